import DropsyncCore

/// What the remote writers (SFTP, FTP, S3) do the same way: each incoming file is uploaded under
/// `remotePath` through the transport's `upload` (nobody sees it before it is whole), connecting at
/// the first file.
struct RemoteWriting: Sendable {
    static let specs: [ParamSpec] = [
        ParamSpec("fileName", .string, "Name to upload each file under instead of its own; macros such as ${now:yyyyMMdd} are expanded."),
        ParamSpec(
            "temporaryUploadExtension", .string, default: ".uploading",
            "Suffix of the name a file has while it is uploaded; renamed away once the upload is complete."),
    ]

    let remotePath: String
    let fileName: String?
    let temporaryExtension: String

    init(_ params: Params, remotePath: String) throws(ParamError) {
        self.remotePath = remotePath
        fileName = try params.template("fileName")
        temporaryExtension = params.string("temporaryUploadExtension") ?? ".uploading"
        guard !temporaryExtension.isEmpty else {
            throw ParamError("temporaryUploadExtension", "must not be empty: a partner would see half-uploaded files")
        }
    }

    func run(_ step: StepRun, connect: () throws(DropsyncError) -> any FileTransport) async throws {
        var transport: (any FileTransport)?
        do {
            try await FileWriting(fileName: fileName).run(step) { name throws(DropsyncError) in
                let connected: any FileTransport
                if let transport {
                    connected = transport
                } else {
                    connected = try connect()
                }
                transport = connected
                return try connected.upload(connected.path(remotePath, name), temporaryExtension: temporaryExtension)
            }
        } catch let error as DropsyncError {
            throw error.inStep(step.id)
        }
    }
}
