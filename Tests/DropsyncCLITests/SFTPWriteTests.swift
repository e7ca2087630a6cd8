import DropsyncTesting
import Foundation
import Testing

/// `datasource.write.sftp` through `dropsync run`, against a real OpenSSH server on loopback.
@Suite struct SFTPWriteTests {
    let scratch = TemporaryDirectory("sftp-write")

    @Test("files are uploaded under a temporary name and renamed into place; a second upload replaces the first")
    func uploads() throws {
        let server = try OpenSSHServer()
        let key = try server.authorizeNewUserKey()
        let remote = scratch.path + "/partner-inbox"
        try FileManager.default.createDirectory(atPath: remote, withIntermediateDirectories: true)
        scratch.write("conf.d/known_hosts", server.knownHostsLines)
        scratch.write("conf.d/export.json", """
            { "name": "export", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../outbox" }, "next": ["upload"] },
              { "id": "upload", "type": "datasource.write.sftp", "params": {
                  "host": "127.0.0.1", "port": \(server.port), "username": "\(OpenSSHServer.username)",
                  "privateKey": { "file": "\(key)" }, "knownHosts": "known_hosts", "remotePath": "\(remote)",
                  "fileName": "accounts.csv.gz" } } ] }
            """)
        let first = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        scratch.write("outbox/data.bin", first)
        let run = try DropsyncCommand.run(["run", "export", "--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(scratch.read("partner-inbox/accounts.csv.gz") == first)
        #expect(scratch.list("partner-inbox") == ["accounts.csv.gz"], "no temporary upload left behind")

        scratch.write("outbox/data.bin", Array("second".utf8))
        let again = try DropsyncCommand.run(["run", "export", "--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(scratch.read("partner-inbox/accounts.csv.gz") == Array("second".utf8))
    }
}
