import CSSH2
import DropsyncCore
import Foundation

/// An SSH session over its own TCP connection (libssh2, blocking mode): handshake done, the
/// server's host key known, not yet authenticated. Use from one thread at a time.
public final class SSHSession {
    private let connection: TCPConnection
    let handle: OpaquePointer
    public let hostKey: SSHHostKey

    /// libssh2's global state, set up once per process.
    private static let libraryReady: Bool = libssh2_init(0) == 0

    /// Connects and runs the key exchange; `hostKeyTypes` (libssh2 method names, comma-separated)
    /// restricts which host key the server may present.
    public init(host: String, port: Int, timeout: Duration = .seconds(30), hostKeyTypes: String? = nil) throws(DropsyncError) {
        guard Self.libraryReady, let session = dropsync_ssh2_session_init() else {
            throw DropsyncError("SSH_FAILED", "libssh2 could not start")
        }
        self.handle = session
        do {
            connection = try TCPConnection(host: host, port: port, timeout: timeout)
        } catch {
            libssh2_session_free(session)
            throw error
        }
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, max(1, Int(timeout.components.seconds * 1000)))
        if let hostKeyTypes { libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, hostKeyTypes) }
        // AES-128 first: as safe here and much faster than libssh2's default AES-256 on bulk transfers.
        for direction in [LIBSSH2_METHOD_CRYPT_CS, LIBSSH2_METHOD_CRYPT_SC] {
            libssh2_session_method_pref(session, direction, "aes128-ctr,aes192-ctr,aes256-ctr")
        }
        guard libssh2_session_handshake(session, connection.descriptor) == 0 else {
            let reason = Self.lastError(session)
            // A server that does not answer is unreachable; one that answers and cannot agree is not.
            let code = Self.brokenErrors.contains(libssh2_session_last_errno(session)) ? "CONNECTION_FAILED" : "SSH_HANDSHAKE_FAILED"
            libssh2_session_free(session)
            throw DropsyncError(code, "SSH handshake with \(host) port \(port) failed: \(reason)")
        }
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type),
              let digest = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256) else {
            libssh2_session_free(session)
            throw DropsyncError("SSH_HANDSHAKE_FAILED", "\(host) port \(port) presented no host key")
        }
        let blob = key.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
        let hash = digest.withMemoryRebound(to: UInt8.self, capacity: 32) { Array(UnsafeBufferPointer(start: $0, count: 32)) }
        hostKey = SSHHostKey(type: Self.typeName(blob), blob: blob, fingerprint: SSHHostKey.fingerprint(sha256: hash))
    }

    deinit {
        _ = dropsync_ssh2_session_disconnect(handle, "bye")
        libssh2_session_free(handle)
    }

    /// libssh2's errors after which the session is past use: the server stopped answering within
    /// the timeout (a packet may be half read), or the connection failed.
    private static let brokenErrors: Set = [
        LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_DISCONNECT,
        LIBSSH2_ERROR_SOCKET_TIMEOUT,
    ]

    /// Whether `abandonIfBroken` gave the session up.
    private(set) var isAbandoned = false

    /// Shuts the connection down when the last error left the session past use, so that closing
    /// its files, its SFTP channel and itself fails at once instead of waiting the timeout again
    /// for each. Returns whether the session is past use (the connection is lost).
    @discardableResult
    func abandonIfBroken() -> Bool {
        guard !isAbandoned else { return true }
        guard Self.brokenErrors.contains(libssh2_session_last_errno(handle)) else { return false }
        isAbandoned = true
        connection.shutDown()
        return true
    }

    /// Logs in; throws `AUTHENTICATION_FAILED` (not worth retrying) naming the user, never the
    /// secret, or `CONNECTION_FAILED` when the server stopped answering.
    func authenticate(username: String, credential: SSHCredential) throws(DropsyncError) {
        let status: Int32
        switch credential {
        case .password(let password):
            status = libssh2_userauth_password_ex(
                handle, username, UInt32(username.utf8.count), password, UInt32(password.utf8.count), nil)
        case .privateKey(let key, let passphrase):
            status = key.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { characters in
                    libssh2_userauth_publickey_frommemory(
                        handle, username, username.utf8.count, nil, 0, characters.baseAddress, characters.count, passphrase)
                }
            }
        }
        guard status == 0 else {
            let error = libssh2_session_last_errno(handle)
            if error == LIBSSH2_ERROR_FILE {
                throw DropsyncError(
                    "PRIVATE_KEY_UNREADABLE", "the private key for \(username) cannot be read (wrong passphrase or unsupported format)")
            }
            // A server that stops answering mid-login refused nothing: that is worth another try.
            if abandonIfBroken() {
                throw DropsyncError("CONNECTION_FAILED", "the login of \(username) got no answer: \(Self.lastError(handle))")
            }
            throw DropsyncError("AUTHENTICATION_FAILED", "the server refused the login of \(username): \(Self.lastError(handle))")
        }
    }

    /// The algorithm name at the start of the key blob (a length-prefixed string).
    private static func typeName(_ blob: [UInt8]) -> String {
        guard blob.count >= 4 else { return "unknown" }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard blob.count >= 4 + length else { return "unknown" }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
    }

    static func lastError(_ session: OpaquePointer) -> String {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        libssh2_session_last_error(session, &message, &length, 0)
        return message.map { String(cString: $0) } ?? "unknown error"
    }
}
