import CSSH2
import DropsyncCore

/// One entry of a remote directory.
public struct SFTPEntry: Sendable, Hashable {
    /// Nil when the server sent a name that is not valid UTF-8 (it cannot be read safely).
    public var name: String?
    /// The name's bytes as sent, escaped where not printable, for messages.
    public var shownName: String
    public var size: Int64
    /// Seconds since 1970 (SFTP v3 gives whole seconds).
    public var modified: Double
    public var isRegularFile: Bool
}

/// An authenticated SFTP connection: list directories, read and write files (streaming), rename
/// and remove them. Every call blocks: use it from a thread of its own, one caller at a time.
public final class SFTPClient {
    private let session: SSHSession
    private let sftp: OpaquePointer
    public let location: String

    /// Connects, checks the host key by `policy` (before sending any credential), logs in.
    public init(
        host: String, port: Int, username: String, credential: SSHCredential, policy: HostKeyPolicy, timeout: Duration
    ) throws(DropsyncError) {
        session = try SSHSession(host: host, port: port, timeout: timeout, hostKeyTypes: policy.algorithms(host: host, port: port))
        try policy.verify(session.hostKey, host: host, port: port)
        try session.authenticate(username: username, credential: credential)
        guard let sftp = libssh2_sftp_init(session.handle) else {
            throw DropsyncError("SFTP_FAILED", "the SFTP subsystem did not start on \(host): \(SSHSession.lastError(session.handle))")
        }
        self.sftp = sftp
        location = "sftp://\(username)@\(host):\(port)"
    }

    deinit { libssh2_sftp_shutdown(sftp) }

    /// The entries of `directory` (without `.` and `..`).
    public func list(_ directory: String) throws(DropsyncError) -> [SFTPEntry] {
        guard let handle = libssh2_sftp_open_ex(sftp, directory, UInt32(directory.utf8.count), 0, 0, LIBSSH2_SFTP_OPENDIR) else {
            throw failure("cannot list \(directory)")
        }
        defer { libssh2_sftp_close_handle(handle) }
        var entries: [SFTPEntry] = []
        var name = [CChar](repeating: 0, count: 1024)
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        while true {
            let length = libssh2_sftp_readdir_ex(handle, &name, name.count, nil, 0, &attributes)
            if length == 0 { break }
            guard length > 0 else { throw failure("cannot list \(directory)") }
            let bytes = name.prefix(Int(length)).map { UInt8(bitPattern: $0) }
            guard bytes != [0x2E], bytes != [0x2E, 0x2E] else { continue }
            let text = String(validating: bytes, as: UTF8.self)
            let flags = UInt(attributes.flags)
            // A server that sends no permissions says nothing about the type: take it as a file.
            let hasType = flags & UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS) != 0
            entries.append(SFTPEntry(
                name: text, shownName: text ?? String(decoding: bytes, as: UTF8.self).debugDescription,
                size: flags & UInt(LIBSSH2_SFTP_ATTR_SIZE) != 0 ? Int64(attributes.filesize) : 0,
                modified: flags & UInt(LIBSSH2_SFTP_ATTR_ACMODTIME) != 0 ? Double(attributes.mtime) : 0,
                isRegularFile: !hasType || attributes.permissions & UInt(LIBSSH2_SFTP_S_IFMT) == UInt(LIBSSH2_SFTP_S_IFREG)))
        }
        return entries
    }

    /// Opens `path` for reading.
    public func open(_ path: String) throws(DropsyncError) -> SFTPFile {
        guard let handle = libssh2_sftp_open_ex(sftp, path, UInt32(path.utf8.count), UInt(LIBSSH2_FXF_READ), 0, LIBSSH2_SFTP_OPENFILE) else {
            throw failure("cannot open \(path)")
        }
        return SFTPFile(client: self, handle: handle, path: path)
    }

    /// Creates `path`, owner-only, for writing; fails when it exists.
    public func create(_ path: String) throws(DropsyncError) -> SFTPFile {
        let flags = UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL)
        guard let handle = libssh2_sftp_open_ex(sftp, path, UInt32(path.utf8.count), flags, 0o600, LIBSSH2_SFTP_OPENFILE) else {
            throw failure("cannot create \(path)")
        }
        return SFTPFile(client: self, handle: handle, path: path)
    }

    /// Renames `source` to `target`, replacing a file already there: SFTP v3 servers (OpenSSH)
    /// refuse to rename over a file, so an existing one is first renamed aside, and put back if
    /// the new one cannot take its place.
    public func rename(_ source: String, to target: String) throws(DropsyncError) {
        if move(source, to: target) { return }
        guard exists(target) else { throw failure("cannot rename \(source) to \(target)") }
        let aside = target + ".replaced-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        guard move(target, to: aside) else { throw failure("cannot move \(target) aside to replace it") }
        guard move(source, to: target) else {
            let error = failure("cannot rename \(source) to \(target)")
            _ = move(aside, to: target)
            throw error
        }
        remove(aside)
    }

    private func move(_ source: String, to target: String) -> Bool {
        let flags = Int(LIBSSH2_SFTP_RENAME_OVERWRITE | LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE)
        return libssh2_sftp_rename_ex(sftp, source, UInt32(source.utf8.count), target, UInt32(target.utf8.count), flags) == 0
    }

    private func exists(_ path: String) -> Bool {
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        return libssh2_sftp_stat_ex(sftp, path, UInt32(path.utf8.count), LIBSSH2_SFTP_STAT, &attributes) == 0
    }

    /// Removes `path`; false when it could not (a missing file counts as removed).
    @discardableResult
    public func remove(_ path: String) -> Bool {
        libssh2_sftp_unlink_ex(sftp, path, UInt32(path.utf8.count)) == 0 || !exists(path)
    }

    func failure(_ what: String) -> DropsyncError {
        // The SFTP status means something only when the session's error is an SFTP one.
        guard libssh2_session_last_errno(session.handle) == LIBSSH2_ERROR_SFTP_PROTOCOL else {
            return DropsyncError("SFTP_FAILED", "\(location): \(what): \(SSHSession.lastError(session.handle))")
        }
        switch libssh2_sftp_last_error(sftp) {
        case LIBSSH2_FX_NO_SUCH_FILE: return DropsyncError("FILE_NOT_FOUND", "\(location): \(what): no such file")
        case LIBSSH2_FX_PERMISSION_DENIED: return DropsyncError("SFTP_FAILED", "\(location): \(what): permission denied")
        case let status: return DropsyncError("SFTP_FAILED", "\(location): \(what): SFTP status \(status)")
        }
    }
}

/// A remote file open for reading or writing; closed when released.
public final class SFTPFile {
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
