import DropsyncTesting
import Foundation
import Testing

/// `dropsync sftp trust` against a real OpenSSH server on loopback.
@Suite struct SFTPTrustTests {
    let scratch = TemporaryDirectory("sftp-trust")

    /// The RSA host key is not among them: Debian's libssh2 1.10 verifies RSA host keys only with
    /// SHA-1 signatures (`ssh-rsa`), which OpenSSH 9 no longer offers by default.
    @Test("shows the Ed25519 and ECDSA host keys with OpenSSH's fingerprints and known_hosts lines")
    func showsHostKeys() throws {
        let server = try OpenSSHServer()
        let result = try DropsyncCommand.run(["sftp", "trust", "--host", "127.0.0.1", "--port", String(server.port)], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        for type in ["ed25519", "ecdsa"] {
            let fingerprint = try server.fingerprint(type)
            #expect(result.stdout.contains(fingerprint), "\(type) \(fingerprint) missing from:\n\(result.stdout)")
            let publicKey = server.publicKey(type).split(separator: " ")
            #expect(result.stdout.contains("[127.0.0.1]:\(server.port) \(publicKey[0]) \(publicKey[1])\n"))
        }
    }

    @Test("a port nobody listens on is a clear connection error")
    func nobodyThere() throws {
        let server = try OpenSSHServer()
        let port = server.port
        _ = consume server
        let result = try DropsyncCommand.run(["sftp", "trust", "--host", "127.0.0.1", "--port", String(port), "--timeout", "5"], in: scratch)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot connect to 127.0.0.1 port \(port)"), "\(result.stderr)")
        #expect(result.stderr.contains("CONNECTION_FAILED"))
    }
}
