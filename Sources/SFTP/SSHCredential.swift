/// How a client logs in: a password, or a private key (OpenSSH PEM or new format) with its passphrase.
public enum SSHCredential: Sendable {
    case password(String)
    case privateKey([UInt8], passphrase: String?)
}

extension SSHCredential {
    /// The first lines private keys that libssh2 reads begin with: OpenSSH's own format and PEM.
    static let privateKeyHeaders = [
        "-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
        "-----BEGIN DSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----", "-----BEGIN ENCRYPTED PRIVATE KEY-----",
    ]

    /// Whether the material starts like a private key libssh2 can read (checked when the
    /// configuration loads, so that a wrong file is not reported as the server refusing the login).
    public static func looksLikePrivateKey(_ material: [UInt8]) -> Bool {
        let start = String(decoding: material.prefix(64), as: UTF8.self).drop { $0.isWhitespace }
        return privateKeyHeaders.contains { start.hasPrefix($0) }
    }
}
