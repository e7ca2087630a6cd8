/// How a client logs in: a password, or a private key (OpenSSH PEM or new format) with its passphrase.
public enum SSHCredential: Sendable {
    case password(String)
    case privateKey([UInt8], passphrase: String?)
}
