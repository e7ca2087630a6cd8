import CSSH2
import DropsyncCore

/// An authenticated SFTP connection: list directories, read and write files (streaming), rename
/// and remove them. Every call blocks: use it from a thread of its own, one caller at a time.
public final class SFTPClient: FileTransport {
    private let session: SSHSession
    private let sftp: OpaquePointer
    public let location: String
    /// The permission bits of the files `upload` creates (the server's umask applies).
    public var filePermissions: Int32 = 0o640

    /// Connects, checks the host key by `policy` (before sending any credential), logs in.
    public init(
        host: String, port: Int, username: String, credential: SSHCredential, policy: HostKeyPolicy, timeout: Duration
    ) throws(DropsyncError) {
        session = try SSHSession(host: host, port: port, timeout: timeout, hostKeyTypes: policy.algorithms(host: host, port: port))
        try policy.verify(session.hostKey, host: host, port: port)
        try session.authenticate(username: username, credential: credential)
        guard let sftp = libssh2_sftp_init(session.handle) else {
            throw DropsyncError(
                session.abandonIfBroken() ? "CONNECTION_FAILED" : "SFTP_FAILED",
                "the SFTP subsystem did not start on \(host): \(SSHSession.lastError(session.handle))")
        }
        self.sftp = sftp
        location = "sftp://\(username)@\(host):\(port)"
    }

    deinit { libssh2_sftp_shutdown(sftp) }

    /// The entries of `directory` (without `.` and `..`), read one by one from the server.
    public func list(
        _ directory: String, each: (TransportEntry) throws(DropsyncError) -> Void, refused: (String) -> Void
    ) throws(DropsyncError) {
        guard let handle = libssh2_sftp_open_ex(sftp, directory, UInt32(directory.utf8.count), 0, 0, LIBSSH2_SFTP_OPENDIR) else {
            // OpenSSH reports a file that is no directory as missing: the status tells them apart.
            let error = failure("cannot list \(directory)")
            if error.code == "FILE_NOT_FOUND" { _ = try isDirectory(directory, doing: "cannot list \(directory)") }
            throw error
        }
        defer { libssh2_sftp_close_handle(handle) }
        var name = [CChar](repeating: 0, count: 1024)
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        while true {
            let length = libssh2_sftp_readdir_ex(handle, &name, name.count, nil, 0, &attributes)
            if length == 0 { break }
            guard length > 0 else { throw failure("cannot list \(directory)") }
            let bytes = name.prefix(Int(length)).map { UInt8(bitPattern: $0) }
            guard bytes != [0x2E], bytes != [0x2E, 0x2E] else { continue }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                refused(String(decoding: bytes, as: UTF8.self).debugDescription)
                continue
            }
            try each(Self.entry(text, attributes))
        }
    }

    public func status(_ path: String) throws(DropsyncError) -> TransportEntry? {
        try attributes(of: path).map { Self.entry(String(path.split(separator: "/").last ?? ""), $0) }
    }

    /// The attributes of `path` (symbolic links followed); nil when there is nothing there.
    private func attributes(of path: String) throws(DropsyncError) -> LIBSSH2_SFTP_ATTRIBUTES? {
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        guard libssh2_sftp_stat_ex(sftp, path, UInt32(path.utf8.count), LIBSSH2_SFTP_STAT, &attributes) == 0 else {
            let error = failure("cannot read the status of \(path)")
            if error.code == "FILE_NOT_FOUND" { return nil }
            throw error
        }
        return attributes
    }

    /// Whether the directory `path` exists; `NOT_A_DIRECTORY` when something else is there, as the
    /// reason `doing` failed. (A server that sends no permissions says nothing: taken as a directory.)
    private func isDirectory(_ path: String, doing: String) throws(DropsyncError) -> Bool {
        guard let attributes = try attributes(of: path) else { return false }
        if let type = Self.fileType(attributes), type != UInt(LIBSSH2_SFTP_S_IFDIR) {
            throw DropsyncError("NOT_A_DIRECTORY", "\(location): \(doing): \(path) is not a directory")
        }
        return true
    }

    private static func entry(_ name: String, _ attributes: LIBSSH2_SFTP_ATTRIBUTES) -> TransportEntry {
        let flags = UInt(attributes.flags)
        // A server that sends no permissions says nothing about the type: take it as a file.
        let type = fileType(attributes)
        return TransportEntry(
            name: name,
            size: flags & UInt(LIBSSH2_SFTP_ATTR_SIZE) != 0 ? Int64(attributes.filesize) : 0,
            modified: flags & UInt(LIBSSH2_SFTP_ATTR_ACMODTIME) != 0 ? Double(attributes.mtime) : 0,
            isRegularFile: type == nil || type == UInt(LIBSSH2_SFTP_S_IFREG))
    }

    /// The type bits (`S_IFMT`) of the permissions, when the server sent them.
    private static func fileType(_ attributes: LIBSSH2_SFTP_ATTRIBUTES) -> UInt? {
        guard UInt(attributes.flags) & UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS) != 0 else { return nil }
        return attributes.permissions & UInt(LIBSSH2_SFTP_S_IFMT)
    }

    /// Opens `path` for reading.
    public func open(_ path: String) throws(DropsyncError) -> any TransportDownload {
        guard let handle = libssh2_sftp_open_ex(sftp, path, UInt32(path.utf8.count), UInt(LIBSSH2_FXF_READ), 0, LIBSSH2_SFTP_OPENFILE) else {
            throw failure("cannot open \(path)")
        }
        return SFTPFile(client: self, handle: handle, path: path)
    }

    public func upload(_ path: String, temporaryExtension: String) throws(DropsyncError) -> any FileUpload {
        try SFTPUpload(client: self, path: path, temporaryExtension: temporaryExtension, permissions: filePermissions)
    }

    /// Creates `path` with `permissions` (less the server's umask) for writing; fails when it exists.
    func create(_ path: String, permissions: Int32) throws(DropsyncError) -> SFTPFile {
        let flags = UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL)
        guard let handle = libssh2_sftp_open_ex(sftp, path, UInt32(path.utf8.count), flags, Int(permissions), LIBSSH2_SFTP_OPENFILE) else {
            throw failure("cannot create \(path)")
        }
        return SFTPFile(client: self, handle: handle, path: path)
    }

    /// Renames `source` to `target` (which must not exist), creating `target`'s directory when
    /// missing; `NOT_A_DIRECTORY` when a file stands where that directory should be.
    public func rename(_ source: String, to target: String) throws(DropsyncError) {
        if move(source, to: target, replacing: false) { return }
        let doing = "cannot rename \(source) to \(target)"
        // Read now: the calls that find out why overwrite the session's last error.
        let refused = failure(doing)
        let parent = target.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        guard !session.isAbandoned, !parent.isEmpty, try !isDirectory(parent, doing: doing) else { throw refused }
        try makeDirectories(parent, doing: doing)
        guard move(source, to: target, replacing: false) else { throw failure(doing) }
    }

    /// Renames `source` to `target`, replacing a file already there: SFTP v3 servers (OpenSSH)
    /// refuse to rename over a file, so an existing one is first renamed aside, and put back if
    /// the new one cannot take its place. Anything but a file at `target` (a directory) is
    /// left alone, and the rename fails.
    func replace(_ target: String, with source: String) throws(DropsyncError) {
        if move(source, to: target, replacing: true) { return }
        let refused = failure("cannot rename \(source) to \(target)")
        guard !session.isAbandoned, let existing = try attributes(of: target) else { throw refused }
        if let type = Self.fileType(existing), type != UInt(LIBSSH2_SFTP_S_IFREG) {
            let what = type == UInt(LIBSSH2_SFTP_S_IFDIR) ? "a directory" : "not a regular file"
            throw DropsyncError("TRANSFER_FAILED", "\(location): cannot replace \(target): it is \(what); only a file is replaced")
        }
        let aside = target + ".replaced-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        guard move(target, to: aside, replacing: false) else { throw failure("cannot move \(target) aside to replace it") }
        guard move(source, to: target, replacing: false) else {
            let error = failure("cannot rename \(source) to \(target)")
            _ = move(aside, to: target, replacing: false)
            throw error
        }
        try? remove(aside)
    }

    private func move(_ source: String, to target: String, replacing: Bool) -> Bool {
        let flags = Int(LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE | (replacing ? LIBSSH2_SFTP_RENAME_OVERWRITE : 0))
        return libssh2_sftp_rename_ex(sftp, source, UInt32(source.utf8.count), target, UInt32(target.utf8.count), flags) == 0
    }

    /// Creates `directory` and its missing parents, for `doing`.
    private func makeDirectories(_ directory: String, doing: String) throws(DropsyncError) {
        var path = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            path += "/" + component
            if try isDirectory(path, doing: doing) { continue }
            guard libssh2_sftp_mkdir_ex(sftp, path, UInt32(path.utf8.count), 0o750) == 0 else {
                throw failure("cannot create the directory \(path)")
            }
        }
    }

    /// Removes `path`; a missing file counts as removed.
    public func remove(_ path: String) throws(DropsyncError) {
        guard libssh2_sftp_unlink_ex(sftp, path, UInt32(path.utf8.count)) == 0 else {
            let error = failure("cannot remove \(path)")
            guard error.code == "FILE_NOT_FOUND" else { throw error }
            return
        }
    }

    /// The error for the call that just failed (read before any other call), doing `what`; a
    /// session the failure left past use is abandoned, and the error is `CONNECTION_FAILED`: the
    /// server stopped answering or the connection broke, which is no fault of the file.
    func failure(_ what: String) -> DropsyncError {
        let connectionLost = session.abandonIfBroken()
        // The SFTP status means something only when the session's error is an SFTP one.
        guard libssh2_session_last_errno(session.handle) == LIBSSH2_ERROR_SFTP_PROTOCOL else {
            return DropsyncError(
                connectionLost ? "CONNECTION_FAILED" : "SFTP_FAILED", "\(location): \(what): \(SSHSession.lastError(session.handle))")
        }
        switch libssh2_sftp_last_error(sftp) {
        case LIBSSH2_FX_NO_SUCH_FILE: return DropsyncError("FILE_NOT_FOUND", "\(location): \(what): no such file")
        case LIBSSH2_FX_PERMISSION_DENIED: return DropsyncError("SFTP_FAILED", "\(location): \(what): permission denied")
        case let status: return DropsyncError("SFTP_FAILED", "\(location): \(what): SFTP status \(status)")
        }
    }
}
