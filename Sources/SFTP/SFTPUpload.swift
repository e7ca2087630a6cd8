import DropsyncCore

/// A remote file uploaded as `<path>.<random><temporaryExtension>` (two jobs never share one),
/// created with `permissions` (the server's umask applies), and renamed into place by `commit`,
/// replacing the file there; released uncommitted, its temporary file is closed, then removed.
final class SFTPUpload: FileUpload {
    let name: String
    private let client: SFTPClient
    private let writer: SFTPFile
    private let temporaryPath: String
    private let finalPath: String
    private var committed = false
    /// Bytes gathered for the next write: libssh2 keeps more requests in flight for a large buffer
    /// than for the readers' 128 KiB chunks.
    private var buffered: [UInt8] = []
    static let writeSize = 2 << 20

    init(client: SFTPClient, path: String, temporaryExtension: String, permissions: Int32) throws(DropsyncError) {
        self.client = client
        name = String(path.split(separator: "/").last ?? "")
        finalPath = path
        temporaryPath = path + "." + String(UInt32.random(in: 0...UInt32.max), radix: 16) + temporaryExtension
        writer = try client.create(temporaryPath, permissions: permissions)
    }

    /// Some servers keep open files: the handle is closed before the removal.
    deinit {
        guard !committed else { return }
        try? writer.close()
        try? client.remove(temporaryPath)
    }

    func write(_ chunk: [UInt8]) throws(DropsyncError) {
        buffered += chunk
        if buffered.count >= Self.writeSize {
            try writer.write(buffered)
            buffered.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is buffered and closes the temporary file (a full disk shows here).
    func finish() throws(DropsyncError) {
        if !buffered.isEmpty { try writer.write(buffered) }
        buffered = []
        try writer.close()
    }

    func commit() throws(DropsyncError) {
        try client.replace(finalPath, with: temporaryPath)
        committed = true
    }
}
