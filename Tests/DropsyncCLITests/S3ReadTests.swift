import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// `datasource.read.amazon.s3` through `dropsync run`, against moto's S3 server on loopback with
/// request signatures checked.
@Suite struct S3ReadTests {
    let scratch = TemporaryDirectory("s3-read")

    /// A flow importing the gzip'd CSVs under `in` into the account store.
    func writeFlow(_ server: S3Server, secretKey: String? = nil) {
        scratch.write("conf.d/s3.json", """
            { "name": "s3-fans", "steps": [
              { "id": "read", "type": "datasource.read.amazon.s3", "params": {
                  \(server.connectionParams(secretKey: secretKey)), "objectKeyPrefix": "in", "fileNameRegex": ".*\\\\.csv\\\\.gz" },
                "next": ["gunzip"] },
              { "id": "gunzip", "type": "file.uncompress.gzip", "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "next": ["write"] },
              { "id": "write", "type": "datasource.write.account" } ] }
            """)
    }

    func dropsync(_ arguments: String...) throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(arguments + ["--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
    }

    func accountCount() throws -> String {
        try dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("the objects right under a prefix are imported; deeper keys are not read, unsafe names are refused and traced")
    func importsFromPrefix() throws {
        let server = try S3Server()
        let fans = scratch.write("fans.csv.gz", DaemonFixture.gzipCSV(uids: ["s1", "s2"]))
        let others = scratch.write("others.csv.gz", DaemonFixture.gzipCSV(uids: ["x1"]))
        try server.call("put", "in/fans.csv.gz", fans)
        // moto's routing takes no newline in a key: a carriage return and a bell stand for the control characters.
        for key in ["in/sub/deeper.csv.gz", "in/a/../b.csv.gz", "in/bad\rname.csv.gz", "in/bad\u{7}name.csv.gz", "elsewhere.csv.gz"] {
            try server.call("put", key, others)
        }
        writeFlow(server)
        let run = try dropsync("run", "s3-fans", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try accountCount() == "2")
        let job = try JSONParser.parse(run.stdout)
        #expect(job.objectValue?["steps"]?.arrayValue?.first?.objectValue?["output"] == .int(1))
        #expect(run.stdout.components(separatedBy: "refused the remote name").count == 3, "both unsafe names are traced: \(run.stdout)")
    }

    @Test("--file names an object by its key, as the bucket does, not as a local path")
    func explicitKey() throws {
        let server = try S3Server()
        try server.call("put", "in/fans.csv.gz", scratch.write("fans.csv.gz", DaemonFixture.gzipCSV(uids: ["s1", "s2"])))
        try server.call("put", "in/others.csv.gz", scratch.write("others.csv.gz", DaemonFixture.gzipCSV(uids: ["x1"])))
        writeFlow(server)
        let run = try dropsync("run", "s3-fans", "--file", "in/fans.csv.gz")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try accountCount() == "2")
    }

    @Test("a wrong secret key is an authentication failure naming S3's code, and the secret is shown and stored nowhere")
    func wrongSecret() throws {
        let server = try S3Server()
        try server.call("put-text", "in/fans.csv.gz", "not read")
        let wrong = "Wr0ngSecretKeyThatMustNotLeak0123456789abc"
        writeFlow(server, secretKey: wrong)
        let run = try dropsync("run", "s3-fans")
        let json = try dropsync("run", "s3-fans", "--json")
        let output = run.stdout + run.stderr + json.stdout + json.stderr
        #expect(run.status == 1)
        #expect(output.contains("AUTHENTICATION_FAILED") && output.contains("SignatureDoesNotMatch"), "\(output)")
        #expect(!output.contains(wrong))
        let stateFiles = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/state")
        #expect(!stateFiles.isEmpty)
        for file in stateFiles {
            let bytes = try #require(scratch.read("state/" + file))
            #expect(!String(decoding: bytes, as: UTF8.self).contains(wrong), "\(file) holds the secret")
        }
    }
}
