import DropsyncCore
import DropsyncTesting
import Foundation
import SFTP
import Testing

/// What an SFTP call that fails says, against a real OpenSSH server on loopback.
@Suite struct SFTPFailureTests {
    let scratch = TemporaryDirectory("sftp-failure")

    @Test(
        "a rename into a directory where a file stands says so, the same way each time",
        arguments: ["done/c1.csv", "done/2026/c1.csv"])
    func renameUnderAFile(_ target: String) throws {
        scratch.write("c/c1.csv", "abc")
        scratch.write("c/done", "a file")
        let server = try OpenSSHServer()
        let directory = scratch.path + "/c"
        var messages: [String] = []
        // A new connection each time, as the daemon retries a post-action.
        for _ in 0..<2 {
            let client = try server.connect()
            do {
                try client.rename(directory + "/c1.csv", to: directory + "/" + target)
                Issue.record("renamed under a file")
            } catch {
                #expect(error.code == "NOT_A_DIRECTORY", "\(error)")
                messages.append(error.message)
            }
        }
        #expect(messages.first?.hasSuffix("cannot rename \(directory)/c1.csv to \(directory)/\(target): \(directory)/done is not a directory") == true, "\(messages)")
        #expect(Set(messages).count == 1, "\(messages)")
    }

    @Test("listing a regular file says it is not a directory")
    func listAFile() throws {
        scratch.write("c.csv", "abc")
        let client = try OpenSSHServer().connect()
        #expect {
            try client.list(scratch.path + "/c.csv", each: { _ in }, refused: { _ in })
        } throws: { error in
            isDropsyncError(error, code: "NOT_A_DIRECTORY", containing: "cannot list \(scratch.path)/c.csv: \(scratch.path)/c.csv is not a directory")
        }
    }

    @Test("a download from a server that froze fails within about the timeout, the connection released with it")
    func frozenServer() throws {
        let server = try OpenSSHServer()
        defer { server.kill() }
        scratch.write("big.bin", [UInt8](repeating: 7, count: 32 << 20))
        var started = ContinuousClock.now
        do {
            let client = try server.connect(timeout: .seconds(3))
            let download = try client.open(scratch.path + "/big.bin")
            _ = try download.read(upTo: 128 << 10)
            server.suspend()
            started = .now
            while try !download.read(upTo: 128 << 10).isEmpty {}
            Issue.record("read to the end from a frozen server")
        } catch let error as DropsyncError {
            #expect(error.message.lowercased().contains("timed out"), "\(error)")
            #expect(error.code == "CONNECTION_FAILED", "a server gone silent is no fault of the file")
        }
        let waited = started.duration(to: .now)
        #expect(waited < .seconds(9), "\(waited)")
    }
}
