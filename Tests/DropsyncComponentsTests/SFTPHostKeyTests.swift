import DropsyncTesting
import Testing

/// Host keys checked against known_hosts files whose names `ssh-keygen -H` hashed (Debian's
/// `HashKnownHosts yes`), against a real OpenSSH server on loopback.
@Suite struct SFTPHostKeyTests {
    @Test("a known_hosts file with hashed host names lets the client connect")
    func hashedNames() throws {
        let server = try OpenSSHServer()
        let hashed = try server.hashed(knownHosts: server.knownHostsLines)
        #expect(!hashed.contains("127.0.0.1"), "\(hashed)")
        _ = try server.connect(knownHosts: hashed)
    }

    @Test("a hashed name of another host or port does not stand for the server", arguments: ["[localhost]:PORT", "[127.0.0.1]:1"])
    func hashedOtherName(_ name: String) throws {
        let server = try OpenSSHServer()
        let other = server.knownHostsLines.replacingOccurrences(
            of: "[127.0.0.1]:\(server.port)", with: name.replacingOccurrences(of: "PORT", with: "\(server.port)"))
        #expect {
            _ = try server.connect(knownHosts: try server.hashed(knownHosts: other))
        } throws: { error in
            isDropsyncError(error, code: "HOST_KEY_UNKNOWN", containing: "does not list under [127.0.0.1]:\(server.port)")
        }
    }

    @Test("a key marked @revoked under a hashed name is refused, though also listed")
    func hashedRevoked() throws {
        let server = try OpenSSHServer()
        let hashed = try server.hashed(knownHosts: server.knownHostsLines)
        let ed25519 = hashed.split(separator: "\n").first { $0.contains("ssh-ed25519") } ?? ""
        #expect {
            _ = try server.connect(knownHosts: hashed + "@revoked \(ed25519)\n")
        } throws: { error in
            isDropsyncError(error, code: "HOST_KEY_REVOKED")
        }
    }
}
