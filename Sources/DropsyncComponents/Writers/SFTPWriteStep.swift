import DropsyncCore
import SFTP

/// `datasource.write.sftp`: uploads each incoming file into a directory on an SFTP server.
///
/// A file is uploaded as `<name>.<random><temporaryUploadExtension>` (so two jobs never share one)
/// and renamed into place once whole, so the partner never picks up half a file; a failed or
/// cancelled upload removes the temporary file. The connection is made at the first file, with the host key checked as for the reader.
public struct SFTPWriteStep: Component {
    public static let spec = ComponentSpec(
        type: "datasource.write.sftp",
        summary: "Uploads files to a directory on an SFTP server (temporary name, then rename); host keys are always verified.",
        input: .file, output: .nothing,
        params: SFTPConnection.specs + [
            ParamSpec("remotePath", .string, default: ".", "The directory to upload into."),
            ParamSpec("fileName", .string, "Name to upload each file under instead of its own; macros such as ${now:yyyyMMdd} are expanded."),
            ParamSpec(
                "temporaryUploadExtension", .string, default: ".uploading",
                "Suffix of the name a file has while it is uploaded; renamed away once the upload is complete."),
        ])

    let connection: SFTPConnection
    let remotePath: String
    let fileName: String?
    let temporaryExtension: String

    public init(params: Params) throws(ParamError) {
        connection = try SFTPConnection(params)
        remotePath = params.string("remotePath") ?? "."
        fileName = try params.template("fileName")
        temporaryExtension = params.string("temporaryUploadExtension") ?? ".uploading"
        guard !temporaryExtension.isEmpty else {
            throw ParamError("temporaryUploadExtension", "must not be empty: a partner would see half-uploaded files")
        }
    }

    public func run(_ step: StepRun) async throws {
        var client: SFTPClient?
        do {
            try await FileWriting(fileName: fileName).run(step) { name throws(DropsyncError) in
                let connected: SFTPClient
                if let client {
                    connected = client
                } else {
                    connected = try connection.connect()
                }
                client = connected
                return try SFTPUpload(
                    client: connected, directory: remotePath, name: name, temporaryExtension: temporaryExtension, step: step)
            }
        } catch let error as DropsyncError {
            throw error.inStep(step.id)
        }
    }
}

/// A remote file uploaded under its temporary name; `commit` renames it into place, and
/// releasing it uncommitted removes it.
private final class SFTPUpload: PendingUpload {
    let name: String
    private let client: SFTPClient
    private let writer: SFTPFile
    private let temporaryPath: String
    private let finalPath: String
    private let step: StepRun
    private var committed = false

    init(client: SFTPClient, directory: String, name: String, temporaryExtension: String, step: StepRun) throws(DropsyncError) {
        self.name = name
        self.client = client
        self.step = step
        finalPath = SFTPConnection.path(directory, name)
        temporaryPath = finalPath + "." + String(UInt32.random(in: 0...UInt32.max), radix: 16) + temporaryExtension
        writer = try client.create(temporaryPath)
    }

    /// An upload that did not complete: its handle closed first (some servers keep open files),
    /// then its temporary file removed.
    deinit {
        guard !committed else { return }
        try? writer.close()
        if !client.remove(temporaryPath) {
            step.job.trace(.warning, "could not remove the incomplete upload \(temporaryPath)", step: step.id)
        }
    }

    /// Bytes gathered for the next write: libssh2 keeps more requests in flight for a large buffer
    /// than for the readers' 128 KiB chunks.
    private var buffered: [UInt8] = []
    static let writeSize = 2 << 20

    func write(_ chunk: [UInt8]) throws(DropsyncError) {
        buffered += chunk
        if buffered.count >= Self.writeSize {
            try writer.write(buffered)
            buffered.removeAll(keepingCapacity: true)
        }
    }

    func commit() throws(DropsyncError) {
        if !buffered.isEmpty { try writer.write(buffered) }
        try writer.close()
        try client.rename(temporaryPath, to: finalPath)
        committed = true
    }
}
