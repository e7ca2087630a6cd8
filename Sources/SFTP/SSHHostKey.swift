import Foundation

/// A server's SSH host key as an operator checks and pins it.
public struct SSHHostKey: Sendable, Hashable {
    /// The key's algorithm as known_hosts writes it: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ….
    public var type: String
    /// The public key blob (the SSH wire format).
    public var blob: [UInt8]

    /// `SHA256:` and the base64 of the blob's SHA-256, unpadded: how OpenSSH shows fingerprints.
    public var fingerprint: String

    /// The line to add to a known_hosts file for this key (`[host]:port` unless the port is 22).
    public func knownHostsLine(host: String, port: Int) -> String {
        "\(Self.knownHostsName(host: host, port: port)) \(type) \(Data(blob).base64EncodedString())"
    }

    /// How known_hosts names a server: the host, or `[host]:port` for another port than 22.
    static func knownHostsName(host: String, port: Int) -> String { port == 22 ? host : "[\(host)]:\(port)" }

    /// An unpadded base64 SHA-256 digest in OpenSSH's form.
    static func fingerprint(sha256 digest: [UInt8]) -> String {
        var text = Data(digest).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }
}
