import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// The params of an SFTP step logging in to `server` with a new key, its host key listed in a
/// known_hosts file in `scratch`.
func sftpParams(_ server: OpenSSHServer, _ scratch: TemporaryDirectory) throws -> Record {
    scratch.write("known_hosts", server.knownHostsLines)
    return [
        "host": "127.0.0.1", "port": .int(Int64(server.port)), "username": .string(OpenSSHServer.username),
        "privateKey": .object(["file": .string(try server.authorizeNewUserKey())]), "knownHosts": .string(scratch.path + "/known_hosts"),
    ]
}

/// `datasource.write.sftp` against a real OpenSSH server on loopback (its SFTP umask 022).
@Suite struct SFTPWriteStepTests {
    let scratch = TemporaryDirectory("sftp-write-step")

    /// Uploads `files` into `out` with `params` added to the connection's.
    func upload(_ files: [Packet], _ params: Record = [:]) async throws -> HarnessResult {
        let server = try OpenSSHServer()
        try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: true)
        var all = try sftpParams(server, scratch)
        all["remotePath"] = .string(scratch.path + "/out")
        for field in params.fields { all[field.name] = field.value }
        return try await ComponentHarness.run(SFTPWriteStep.self, params: all, input: files)
    }

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: scratch.path + "/" + path)[.posixPermissions] as? Int)
    }

    @Test("a file is created readable by its owner and group (0640) unless filePermissions says otherwise", arguments: [(nil, 0o640), ("0644", 0o644), ("600", 0o600)])
    func permissions(given: String?, expected: Int) async throws {
        _ = try await upload(filePackets("accounts.csv", "UID\n1\n"), given.map { ["filePermissions": .string($0)] } ?? [:])
        #expect(scratch.readText("out/accounts.csv") == "UID\n1\n")
        #expect(try mode("out/accounts.csv") == expected)
    }

    @Test("a directory under the file's name fails the job naming it, and stays as it was, with no temporary file left")
    func directoryInTheWay() async throws {
        scratch.write("out/target.csv/partner.txt", "theirs")
        let error = await dropsyncError {
            _ = try await upload(filePackets("data.csv", "UID\n1\n"), ["fileName": "target.csv"])
        }
        #expect(error?.code == "TRANSFER_FAILED", "\(String(describing: error))")
        #expect(error?.message.contains("\(scratch.path)/out/target.csv: it is a directory") == true, "\(String(describing: error))")
        #expect(scratch.list("out") == ["target.csv"])
        #expect(scratch.readText("out/target.csv/partner.txt") == "theirs")
    }
}
