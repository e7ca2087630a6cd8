import DropsyncCore
import DropsyncTesting
import Foundation
import SFTP
import Testing

/// `SFTPClient` as a `FileTransport`, against a real OpenSSH server on loopback.
@Suite struct SFTPTransportTests {
    let scratch = TemporaryDirectory("sftp-transport")

    /// Connects to `server` with a new login key, checking its host key against `knownHosts`
    /// (its own lines by default); makes `out` for uploads.
    func connect(_ server: OpenSSHServer, knownHosts: String? = nil) throws -> SFTPClient {
        try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: true)
        return try server.connect(knownHosts: knownHosts)
    }

    @Test("a listing of 2,500 entries finds every one, once, with its size; a subdirectory is no regular file")
    func largeListing() throws {
        for index in 0..<2_500 { scratch.write("in/file \(index).csv", String(repeating: "x", count: index % 7)) }
        scratch.write("in/sub/nested.csv", "not listed")
        let client = try connect(try OpenSSHServer())
        var entries: [String: TransportEntry] = [:]
        try client.list(scratch.path + "/in", each: { entry in
            #expect(entries.updateValue(entry, forKey: entry.name) == nil, "\(entry.name) listed twice")
        }, refused: { Issue.record("refused \($0)") })
        #expect(entries.count == 2_501)
        #expect(entries["sub"]?.isRegularFile == false)
        let files = entries.values.filter(\.isRegularFile)
        #expect(Set(files.map(\.name)) == Set((0..<2_500).map { "file \($0).csv" }))
        #expect(files.allSatisfy { $0.size == Int64(Int($0.name.dropFirst(5).dropLast(4))! % 7) })
    }

    @Test("status, a rename into a new archive directory (never over a file), and a removal")
    func statusRenameRemove() throws {
        scratch.write("in/a.csv", "abc")
        scratch.write("in/b.csv", "b")
        let client = try connect(try OpenSSHServer())
        let directory = scratch.path + "/in"
        #expect(try client.status(directory + "/a.csv")?.size == 3)
        #expect(try client.status(directory + "/missing.csv") == nil)
        try client.rename(directory + "/a.csv", to: directory + "/done/2026/a.csv")
        #expect(scratch.readText("in/done/2026/a.csv") == "abc")
        #expect(throws: DropsyncError.self) { try client.rename(directory + "/b.csv", to: directory + "/done/2026/a.csv") }
        #expect(scratch.readText("in/done/2026/a.csv") == "abc", "the archived file is not replaced")
        try client.remove(directory + "/b.csv")
        try client.remove(directory + "/b.csv")
        #expect(scratch.list("in") == ["done"])
    }

    @Test("an upload released before its commit leaves nothing; a committed one appears whole under its name")
    func uploadCommitOrNothing() throws {
        let client = try connect(try OpenSSHServer())
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        do {
            let upload = try client.upload(scratch.path + "/out/a.bin", temporaryExtension: ".uploading")
            try upload.write(Array(bytes.prefix(1 << 20)))
        }
        #expect(scratch.list("out").isEmpty)
        let upload = try client.upload(scratch.path + "/out/a.bin", temporaryExtension: ".uploading")
        try upload.write(bytes)
        #expect(!scratch.list("out").contains("a.bin"))
        try upload.finish()
        try upload.commit()
        #expect(scratch.list("out") == ["a.bin"])
        #expect(scratch.read("out/a.bin") == bytes)
    }

    @Test("a server killed in the middle of an upload leaves no file under the final name")
    func serverKilledMidUpload() throws {
        let server = try OpenSSHServer()
        let client = try connect(server)
        let upload = try client.upload(scratch.path + "/out/a.bin", temporaryExtension: ".uploading")
        try upload.write([UInt8](repeating: 7, count: 3 << 20))
        server.kill()
        #expect(throws: DropsyncError.self) {
            try upload.write([UInt8](repeating: 7, count: 3 << 20))
            try upload.finish()
            try upload.commit()
        }
        #expect(!scratch.list("out").contains("a.bin"))
    }

    @Test("a host key other than the one known_hosts lists for the server is refused, showing the key offered")
    func changedHostKey() throws {
        let server = try OpenSSHServer()
        let other = try OpenSSHServer()
        let changed = other.knownHostsLines.replacingOccurrences(of: "[127.0.0.1]:\(other.port)", with: "[127.0.0.1]:\(server.port)")
        do {
            _ = try connect(server, knownHosts: changed)
            Issue.record("connected despite a changed host key")
        } catch let error as DropsyncError {
            #expect(error.code == "HOST_KEY_MISMATCH", "\(error)")
            #expect(try ["ed25519", "ecdsa", "rsa"].contains { error.message.contains(try server.fingerprint($0)) }, "\(error)")
        }
    }
}
