import DropsyncCore
import Foundation
import SFTP

/// The connection params of the SFTP reader and writer, read when the configuration loads (a
/// changed key or known_hosts file takes effect at the next reload): where, who, and how the
/// server's host key is checked (always: `knownHosts` or `hostKeyFingerprint`).
struct SFTPConnection: Sendable {
    static let specs: [ParamSpec] = [
        ParamSpec("host", .string, required: true, "The server's host name or address."),
        ParamSpec("port", .integer, default: 22, constraints: [.between(1, 65_535)], "The SSH port."),
        ParamSpec("username", .string, required: true, "The login."),
        ParamSpec("password", .secret, "The password (or use privateKey)."),
        ParamSpec("privateKey", .secret, "A private key (OpenSSH format), usually by reference: {\"file\": …} or {\"credential\": …}."),
        ParamSpec("passphrase", .secret, "The private key's passphrase, when it has one."),
        ConnectionTimeout.spec,
        ParamSpec("knownHosts", .string, "A known_hosts file listing the server's key, host names plain or hashed (relative to the dataflow's directory)."),
        ParamSpec(
            "hostKeyFingerprint", .string,
            constraints: [.matches(pattern: "(SHA256:)?[A-Za-z0-9+/]{43}", format: "SHA256: and 43 base64 characters, as ssh-keygen -l shows it")],
            "The server key's fingerprint, `SHA256:…`, instead of knownHosts."),
    ]

    let host: String
    let port: Int
    let username: String
    let credential: SSHCredential
    let policy: HostKeyPolicy
    let timeout: Duration

    init(_ params: Params) throws(ParamError) {
        host = try params.requiredString("host")
        port = params.int("port") ?? 22
        username = try params.requiredString("username")
        let password = try params.secret("password")
        if let keys = try params.secretMaterials("privateKey") {
            guard password == nil else { throw ParamError("password", "give a password or a privateKey, not both") }
            guard keys.count == 1, let key = keys.first else { throw ParamError("privateKey", "must be one key") }
            guard SSHCredential.looksLikePrivateKey(key.value) else {
                throw ParamError("privateKey", "is not an SSH private key (OpenSSH or PEM: -----BEGIN OPENSSH PRIVATE KEY-----, …)")
            }
            credential = .privateKey(key.value, passphrase: try params.secret("passphrase"))
        } else if let password {
            credential = .password(password)
        } else {
            throw ParamError("password", "give a password or a privateKey")
        }
        if let fingerprint = params.string("hostKeyFingerprint") {
            policy = .fingerprint(fingerprint)
        } else if params.string("knownHosts") != nil {
            let path = try params.path("knownHosts")
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ParamError("knownHosts", "\(path) cannot be read")
            }
            policy = .knownHosts(text.split(whereSeparator: \.isNewline).map(String.init))
        } else {
            throw ParamError(
                "knownHosts",
                "host keys are always verified: give knownHosts or hostKeyFingerprint (`dropsync sftp trust --host \(host)` shows them)")
        }
        timeout = ConnectionTimeout.duration(params)
    }

    /// Connects, checks the host key, logs in.
    func connect() throws(DropsyncError) -> SFTPClient {
        try SFTPClient(host: host, port: port, username: username, credential: credential, policy: policy, timeout: timeout)
    }

    /// Where, as the client names it.
    var location: String { "sftp://\(username)@\(host):\(port)" }
}
