import DropsyncTesting
import Foundation
import Gzip
import Testing

/// `datasource.write.amazon.s3` through `dropsync run`, against moto's S3 server on loopback with
/// request signatures checked.
@Suite struct S3WriteTests {
    let scratch = TemporaryDirectory("s3-write")

    /// An export flow: the files of `outbox` (through `extraSteps`, ids chained from `read`) to
    /// the prefix `out` in parts of 5 MiB.
    func writeFlow(_ server: S3Server, extraSteps: String = "", first: String = "upload") {
        scratch.write("conf.d/export.json", """
            { "name": "export", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../outbox" }, "next": ["\(first)"] },
              \(extraSteps)
              { "id": "upload", "type": "datasource.write.amazon.s3", "params": {
                  \(server.connectionParams()), "objectKeyPrefix": "out", "partSize": 5 } } ] }
            """)
    }

    func export() throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(["run", "export", "--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
    }

    /// Bytes that do not compress, so a gzip of them is as long as they are.
    static func noise(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test("a file larger than two parts is uploaded as a multipart upload and reads back byte for byte")
    func multipartUpload() throws {
        let server = try S3Server()
        let content = Self.noise(12 << 20 + 12_345)
        scratch.write("outbox/accounts.bin", content)
        writeFlow(server)
        let run = try export()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try server.keys("out/") == ["out/accounts.bin"])
        try server.call("get", "out/accounts.bin", scratch.path + "/back.bin")
        #expect(scratch.read("back.bin") == content)
        #expect(try server.pendingUploads().isEmpty)
    }

    @Test("a small file is one object under the prefix")
    func smallFile() throws {
        let server = try S3Server()
        scratch.write("outbox/done.ok", "")
        scratch.write("outbox/list.csv", "UID\nu1\n")
        writeFlow(server)
        let run = try export()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try server.keys("out/") == ["out/done.ok", "out/list.csv"])
        try server.call("get", "out/list.csv", scratch.path + "/back.csv")
        #expect(scratch.readText("back.csv") == "UID\nu1\n")
    }

    @Test("an upload cut off after some parts (its input fails) leaves no object and no pending multipart upload")
    func interruptedUpload() throws {
        let server = try S3Server()
        let encoder = try GzipEncoder(level: 1)
        let compressed = try encoder.encode(Self.noise(16 << 20)) + encoder.finish()
        // Cut where more than two parts have been decompressed.
        scratch.write("outbox/export.bin.gz", Array(compressed.prefix(13 << 20)))
        writeFlow(server, extraSteps: #"{ "id": "gunzip", "type": "file.uncompress.gzip", "next": ["upload"] },"#, first: "gunzip")
        let run = try export()
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("GZIP_TRUNCATED"), "\(run.stdout)\(run.stderr)")
        #expect(try server.keys("out/").isEmpty)
        #expect(try server.pendingUploads().isEmpty)
    }
}
