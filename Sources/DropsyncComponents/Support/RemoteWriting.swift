import DropsyncCore

/// What the remote writers (SFTP, FTP, S3) do the same way: each incoming file is uploaded under
/// `remotePath` through the transport's `upload` (nobody sees it before it is whole), connecting at
/// the first file.
public struct RemoteWriting: Sendable {
    static let specs: [ParamSpec] = [
        ParamSpec("fileName", .string, "Name to upload each file under instead of its own; macros such as ${now:yyyyMMdd} are expanded."),
        ParamSpec(
            "temporaryUploadExtension", .string, default: ".uploading", constraints: [.nonEmpty],
            "Suffix of the name a file has while it is uploaded (never empty: a partner would see half-uploaded files); renamed away once the upload is complete."),
    ]

    let remotePath: String
    let fileName: String?
    let temporaryExtension: String
    /// Connects, checks the peer, logs in.
    let connect: @Sendable () throws(DropsyncError) -> any FileTransport

    /// Uploads into `remotePath` over the connection `connect` makes.
    init(
        _ params: Params, remotePath: String, connect: @escaping @Sendable () throws(DropsyncError) -> any FileTransport
    ) throws(ParamError) {
        self.remotePath = remotePath
        self.connect = connect
        fileName = try params.template("fileName")
        temporaryExtension = params.string("temporaryUploadExtension") ?? ".uploading"
    }

    func run(_ step: StepRun) async throws {
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

/// A remote writer that is its `RemoteWriting`: its params make one, and the run follows.
public protocol RemoteWritingComponent: Component {
    var writing: RemoteWriting { get }
}

extension RemoteWritingComponent {
    public func run(_ step: StepRun) async throws { try await writing.run(step) }
}
