import DropsyncTesting
import Foundation
import Gzip
import Testing

/// `datasource.write.ftp` through `dropsync run`, against a real pyftpdlib server on loopback.
@Suite struct FTPWriteTests {
    let fixture = FTPFlowFixture("ftp-write")

    /// A flow uploading the files of `outbox/` (uncompressed with `gunzip`) as `accounts.csv`.
    func prepare(connection: String, gunzip: Bool = false) {
        let steps = gunzip
            ? #"{ "id": "gunzip", "type": "file.uncompress.gzip", "next": ["upload"] },"#
            : ""
        fixture.scratch.write("conf.d/export.json", """
            { "name": "export", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../outbox" }, "next": ["\(gunzip ? "gunzip" : "upload")"] },
              \(steps)
              { "id": "upload", "type": "datasource.write.ftp", "params": {
                  \(connection), "remotePath": "partner-inbox", "fileName": "accounts.csv" } } ] }
            """)
    }

    @Test("a file is uploaded byte for byte under its name, with no temporary file left", arguments: [false, true])
    func uploads(tls: Bool) throws {
        let server = try FTPServer(home: fixture.home, tls: tls ? try TLSCertificate(in: fixture.scratch.path) : nil)
        try FileManager.default.createDirectory(atPath: fixture.home + "/partner-inbox", withIntermediateDirectories: true)
        prepare(connection: fixture.connection(server, tls ? #""tls": "require", "caFile": "../server.pem""# : ""))
        let content = (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ $0 >> 11) }
        fixture.scratch.write("outbox/data.bin", content)
        let run = try fixture.dropsync("run", "export")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(fixture.scratch.read("home/partner-inbox/accounts.csv") == content)
        #expect(fixture.scratch.list("home/partner-inbox") == ["accounts.csv"])
        #expect(!fixture.revealsPassword(run))
    }

    @Test("a job that fails after the first bytes leaves nothing on the server")
    func failedJob() throws {
        let server = try FTPServer(home: fixture.home)
        try FileManager.default.createDirectory(atPath: fixture.home + "/partner-inbox", withIntermediateDirectories: true)
        prepare(connection: fixture.connection(server), gunzip: true)
        // A gzip stream cut short: its first megabytes come out before the error.
        let text = Array((0..<400_000).map { "line \($0) of the export\n" }.joined().utf8)
        let encoder = try GzipEncoder()
        let compressed = try encoder.encode(text) + encoder.finish()
        fixture.scratch.write("outbox/data.csv.gz", Array(compressed.dropLast(compressed.count / 3)))
        let run = try fixture.dropsync("run", "export", "--json")
        #expect(run.status != 0)
        #expect(run.stdout.contains("GZIP_TRUNCATED") || run.stderr.contains("GZIP_TRUNCATED"), "\(run.stdout)\(run.stderr)")
        #expect(fixture.scratch.list("home/partner-inbox").isEmpty, "\(fixture.scratch.list("home/partner-inbox"))")
        let log = server.logText
        #expect(log.contains("STOR") && log.contains("DELE"), "the upload had begun, and its temporary file was removed: \(log)")
    }
}
