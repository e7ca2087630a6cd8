import Curl
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// `FTPClient` as a `FileTransport`, against a real pyftpdlib server on loopback.
@Suite struct FTPTransportTests {
    let scratch = TemporaryDirectory("ftp-transport")

    func connect(_ server: FTPServer) throws -> FTPClient {
        try FTPClient(FTPSettings(host: "127.0.0.1", port: server.port, username: FTPServer.username, password: FTPServer.password))
    }

    func names(_ client: FTPClient, _ directory: String) throws -> [String: TransportEntry] {
        var entries: [String: TransportEntry] = [:]
        try client.list(directory, each: { entry in
            #expect(entries.updateValue(entry, forKey: entry.name) == nil, "\(entry.name) listed twice")
        }, refused: { Issue.record("refused \($0)") })
        return entries
    }

    @Test("a listing of 2,500 entries finds every one, once, with its size (MLSD, and LIST where MLSD is missing)", arguments: [true, false])
    func largeListing(machineListings: Bool) throws {
        for index in 0..<2_500 { scratch.write("home/in/file \(index).csv", String(repeating: "x", count: index % 7)) }
        scratch.write("home/in/sub/nested.csv", "not listed")
        let server = try FTPServer(home: scratch.path + "/home", machineListings: machineListings)
        let entries = try names(try connect(server), "in")
        #expect(entries.count == 2_501)
        #expect(entries["sub"]?.isRegularFile == false)
        let files = entries.values.filter(\.isRegularFile)
        #expect(Set(files.map(\.name)) == Set((0..<2_500).map { "file \($0).csv" }))
        #expect(files.allSatisfy { $0.size == Int64(Int($0.name.dropFirst(5).dropLast(4))! % 7) })
        #expect(files.allSatisfy { abs($0.modified - Date().timeIntervalSince1970) < 3_600 })
    }

    @Test("status, a rename into a new archive directory, and a removal", arguments: [true, false])
    func statusRenameRemove(machineListings: Bool) throws {
        scratch.write("home/in/a b.csv", "abc")
        let server = try FTPServer(home: scratch.path + "/home", machineListings: machineListings)
        let client = try connect(server)
        let status = try #require(try client.status("in/a b.csv"))
        #expect(status.name == "a b.csv" && status.size == 3 && status.isRegularFile)
        #expect(try client.status("in/missing.csv") == nil)

        try client.rename("in/a b.csv", to: "in/archive/2026/11/a b.csv")
        #expect(scratch.readText("home/in/archive/2026/11/a b.csv") == "abc")
        #expect(try client.status("/in/a b.csv") == nil)

        scratch.write("home/in/other.csv", "other")
        #expect(throws: DropsyncError.self, "the target exists") { try client.rename("in/other.csv", to: "in/archive/2026/11/a b.csv") }
        #expect(scratch.readText("home/in/archive/2026/11/a b.csv") == "abc")

        try client.remove("in/archive/2026/11/a b.csv")
        try client.remove("in/archive/2026/11/a b.csv")
        #expect(scratch.list("home/in/archive/2026/11").isEmpty)
    }

    @Test("a server nobody listens on is a failure to connect, not to log in")
    func connectionRefused() throws {
        let port = try LoopbackPort.free()
        let error = #expect(throws: DropsyncError.self) {
            try FTPClient(FTPSettings(host: "127.0.0.1", port: port, username: FTPServer.username, password: FTPServer.password))
        }
        #expect(error?.code == "CONNECTION_FAILED")
        #expect(error?.message.contains("127.0.0.1:\(port): cannot connect: ") == true, "\(String(describing: error))")
        #expect(error?.message.contains("log in") == false)
    }

    @Test("a download streams the file byte for byte; a missing one is FILE_NOT_FOUND when opened")
    func download() throws {
        let content = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        scratch.write("home/big.bin", content)
        let server = try FTPServer(home: scratch.path + "/home")
        let client = try connect(server)
        let file = try client.open("big.bin")
        var received: [UInt8] = []
        while true {
            let piece = try file.read(upTo: 200_000)
            if piece.isEmpty { break }
            #expect(piece.count <= 200_000)
            received += piece
        }
        #expect(received == content)
        let error = #expect(throws: DropsyncError.self) { try client.open("gone.bin") }
        #expect(error?.code == "FILE_NOT_FOUND", "\(String(describing: error))")
        #expect(try client.status("big.bin")?.size == 3_000_000, "the connection serves on after a download")
    }

    @Test("a download given up halfway leaves the connection usable")
    func downloadGivenUp() throws {
        scratch.write("home/big.bin", [UInt8](repeating: 7, count: 5_000_000))
        let server = try FTPServer(home: scratch.path + "/home")
        let client = try connect(server)
        do {
            let file = try client.open("big.bin")
            #expect(try file.read(upTo: 1_000).count == 1_000)
        }
        #expect(try client.status("big.bin")?.size == 5_000_000)
    }

    @Test("an upload is committed under its name, replacing what was there, with no temporary file left")
    func upload() throws {
        scratch.write("home/out/accounts.csv", "old")
        let server = try FTPServer(home: scratch.path + "/home")
        let client = try connect(server)
        let content = (0..<2_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let upload = try client.upload("out/accounts.csv", temporaryExtension: ".uploading")
        for start in stride(from: 0, to: content.count, by: 131_072) { try upload.write(Array(content[start..<min(content.count, start + 131_072)])) }
        try upload.finish()
        try upload.commit()
        #expect(try client.status("out/accounts.csv")?.size == 2_000_000, "the connection serves on while the upload is held")
        #expect(scratch.read("home/out/accounts.csv") == content)
        #expect(scratch.list("home/out") == ["accounts.csv"])
    }

    @Test("an upload released before its commit leaves nothing behind")
    func uploadAbandoned() throws {
        let server = try FTPServer(home: scratch.path + "/home/out")
        let client = try connect(server)
        do {
            let upload = try client.upload("accounts.csv", temporaryExtension: ".uploading")
            try upload.write([UInt8](repeating: 1, count: 1_000_000))
        }
        #expect(scratch.list("home/out").isEmpty)
        #expect(try client.status("accounts.csv") == nil, "the connection serves on")
    }

    @Test("an upload cut off by the server's end fails and leaves nothing under the final name")
    func uploadCutOff() throws {
        let server = try FTPServer(home: scratch.path + "/home/out")
        let client = try connect(server)
        let upload = try client.upload("accounts.csv", temporaryExtension: ".uploading")
        try upload.write([UInt8](repeating: 1, count: 300_000))
        server.kill()
        let error = #expect(throws: DropsyncError.self) {
            for _ in 0..<100 { try upload.write([UInt8](repeating: 2, count: 131_072)) }
            try upload.finish()
            try upload.commit()
        }
        #expect(error?.code == "CONNECTION_FAILED", "\(String(describing: error))")
        #expect(!scratch.list("home/out").contains("accounts.csv"))
    }
}

extension FTPTransportTests {
    @Test("an upload onto the name of a directory fails with the server's reply, leaving the directory and no temporary file")
    func uploadOntoDirectory() throws {
        scratch.write("home/out/accounts.csv/partner.txt", "theirs")
        let server = try FTPServer(home: scratch.path + "/home")
        do {
            let upload = try connect(server).upload("out/accounts.csv", temporaryExtension: ".uploading")
            try upload.write(Array("UID\n1\n".utf8))
            try upload.finish()
            let error = #expect(throws: DropsyncError.self) { try upload.commit() }
            #expect(error?.code == "TRANSFER_FAILED", "\(String(describing: error))")
            #expect(error?.message.contains("/out/accounts.csv: the server replied 550") == true, "\(String(describing: error))")
        }
        #expect(scratch.list("home/out") == ["accounts.csv"])
        #expect(scratch.readText("home/out/accounts.csv/partner.txt") == "theirs")
    }
}
