import CSSH2
import DropsyncCore

/// A remote file open for reading or writing; closed when released.
public final class SFTPFile: TransportDownload {
    private let client: SFTPClient
    private let handle: OpaquePointer
    public let path: String
    private var closed = false

    init(client: SFTPClient, handle: OpaquePointer, path: String) {
        self.client = client
        self.handle = handle
        self.path = path
    }

    deinit { if !closed { libssh2_sftp_close_handle(handle) } }

    /// The next bytes, up to `maximum` (libssh2 keeps several read requests in flight for a large
    /// buffer); empty at the end of the file.
    public func read(upTo maximum: Int) throws(DropsyncError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { libssh2_sftp_read(handle, $0.baseAddress, $0.count) }
        }
        guard count >= 0 else { throw client.failure("cannot read \(path)") }
        buffer.removeSubrange(count...)
        return buffer
    }

    /// Writes all of `bytes` (libssh2 pipelines the requests of a large buffer).
    public func write(_ bytes: [UInt8]) throws(DropsyncError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: CChar.self) { libssh2_sftp_write(handle, $0.baseAddress! + offset, $0.count - offset) }
            }
            guard count >= 0 else { throw client.failure("cannot write \(path)") }
            offset += count
        }
    }

    /// Closes the file, reporting a failure the close reveals (a full disk on the server).
    public func close() throws(DropsyncError) {
        guard !closed else { return }
        closed = true
        guard libssh2_sftp_close_handle(handle) == 0 else { throw client.failure("cannot complete \(path)") }
    }
}
