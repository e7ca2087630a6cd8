import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// The example import flow, end to end through `dropsync run`: a gzip'd partner CSV into the
/// account store, with rejected rows written to a DSV file by the error branch.
@Suite struct ImportFlowTests {
    let scratch = TemporaryDirectory("import-flow")

    static let flow = """
        // comments are allowed, as in IdentitySync's samples
        {
          "name": "fans",
          "steps": [
            { "id": "read", "type": "datasource.read.local",
              "params": { "path": "../inbound", "fileNameRegex": ".*\\\\.csv\\\\.gz" }, "next": ["gunzip"] },
            { "id": "gunzip", "type": "file.uncompress.gzip", "next": ["parse"] },
            { "id": "parse", "type": "file.parse.dsv", "params": { "inferTypes": true },
              "next": ["rename"], "error": ["format-rejected"] },
            { "id": "rename", "type": "field.rename", "params": { "fields": [
                { "sourceField": "email", "targetField": "profile.email" },
                { "sourceField": "firstName", "targetField": "profile.firstName" },
                { "sourceField": "points", "targetField": "data.points" } ] },
              "next": ["write"] },
            { "id": "write", "type": "datasource.write.account", "error": ["format-rejected"] },
            { "id": "format-rejected", "type": "file.format.dsv",
              "params": { "fileName": "rejected_${jobId}.csv", "columns": ["errorCode", "errorMessage",
                "errorStep", "lineNumber", "rawLine", "UID", "profile.email", "profile.firstName", "data.points"] },
              "next": ["write-rejected"] },
            { "id": "write-rejected", "type": "datasource.write.local", "params": { "path": "../rejected" } }
          ]
        }
        """

    static let csv = """
        UID,email,firstName,points
        u1,ada@example.com,Ada,10
        u2,"turing, alan@example.com","Al""an",20
        u3,short-row
        ,nobody@example.com,Nemo,0
        u4,grace@example.com,Grace,30

        """

    init() throws {
        scratch.write("conf.d/fans.json", Self.flow)
        try writeGzip("inbound/partner.csv.gz", Self.csv)
    }

    func writeGzip(_ name: String, _ text: String) throws {
        let plain = scratch.write(name + ".plain", text)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -nc '\(plain)' > '\(scratch.path)/\(name)' && rm '\(plain)'"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
    }

    func dropsync(_ arguments: String...) throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(arguments + ["--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
    }

    func account(_ uid: String) throws -> Record? {
        let result = try dropsync("accounts", "get", uid, "--json")
        guard result.status == 0 else { return nil }
        return try JSONParser.parse(result.stdout).objectValue
    }

    @Test("good rows land in the account store, field by field")
    func importsGoodRows() throws {
        let run = try dropsync("run", "fans")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let count = try dropsync("accounts", "count")
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "3")

        let first = try #require(try account("u1"))
        #expect(first["UID"] == "u1")
        #expect(first.value(at: FieldPath("profile.email")!) == "ada@example.com")
        #expect(first.value(at: FieldPath("profile.firstName")!) == "Ada")
        #expect(first.value(at: FieldPath("data.points")!) == .int(10))
        #expect(first["created"]?.stringValue?.hasSuffix("Z") == true)
        #expect(first["lastUpdatedTimestamp"]?.intValue != nil)

        let second = try #require(try account("u2"))
        #expect(second.value(at: FieldPath("profile.email")!) == "turing, alan@example.com")
        #expect(second.value(at: FieldPath("profile.firstName")!) == "Al\"an")
        #expect(try account("u3") == nil)
    }

    @Test("rejected rows are written by the error branch with code, step and line")
    func writesRejectedRows() async throws {
        let run = try dropsync("run", "fans", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let job = try #require(try JSONParser.parse(run.stdout).objectValue)
        #expect(job["status"] == "succeeded")
        #expect(job["errors"] == .int(2))
        let files = scratch.list("rejected")
        #expect(files == ["rejected_\(job["id"]!.plainText).csv"])
        let text = try #require(scratch.readText("rejected/" + files[0]))
        let rows = try await readDSV(Array(text.utf8))
        #expect(text.hasPrefix("errorCode,errorMessage,errorStep,lineNumber,rawLine,UID,profile.email,profile.firstName,data.points\n"))
        #expect(rows.count == 2)
        let parseError = try #require(rows.first { $0["errorCode"] == "WRONG_FIELD_COUNT" })
        #expect(parseError["errorStep"] == "parse")
        #expect(parseError["lineNumber"] == "4")
        #expect(parseError["rawLine"] == "u3,short-row")
        #expect(parseError["UID"] == "")
        let writeError = try #require(rows.first { $0["errorCode"] == "MISSING_UID" })
        #expect(writeError["errorStep"] == "write")
        #expect(writeError["lineNumber"] == "")
        #expect(writeError.value(at: FieldPath("profile.email")!) == "nobody@example.com")
        #expect(writeError.value(at: FieldPath("profile.firstName")!) == "Nemo")
        #expect(writeError.value(at: FieldPath("data.points")!) == "0")
    }

    /// Reads a DSV file back with dropsync's own parser, values as strings, header as field names.
    func readDSV(_ bytes: [UInt8]) async throws -> [Record] {
        let file = FileInfo(name: "rejected.csv", path: "rejected.csv", location: "test")
        return try await ComponentHarness.run(DSVParseStep.self, input: [.fileStart(file), .bytes(bytes), .fileEnd]).records
    }

    @Test("re-running the same file changes nothing: lastUpdated stays")
    func reimportIsANoOp() throws {
        #expect(try dropsync("run", "fans").status == 0)
        let before = try #require(try account("u1"))
        #expect(try dropsync("run", "fans").status == 0)
        let after = try #require(try account("u1"))
        #expect(before["lastUpdatedTimestamp"] == after["lastUpdatedTimestamp"])
        #expect(before == after)
    }

    @Test("a truncated gzip fails the job, names the file and commits nothing")
    func truncatedGzipFailsTheJob() throws {
        let whole = try #require(scratch.read("inbound/partner.csv.gz"))
        scratch.write("inbound/partner.csv.gz", Array(whole.prefix(whole.count - 12)))
        let run = try dropsync("run", "fans")
        #expect(run.status != 0)
        #expect(run.stdout.contains("failed"))
        #expect(run.stdout.contains("partner.csv.gz"))
        #expect(try dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let jobs = try #require(try JSONParser.parse(try dropsync("jobs", "--json").stdout).arrayValue)
        #expect(jobs.first?.objectValue?["status"] == "failed")
    }

    @Test("job --json has the documented fields")
    func jobJSONShape() throws {
        let run = try dropsync("run", "fans", "--json")
        let id = try #require(try JSONParser.parse(run.stdout).objectValue?["id"]?.stringValue)
        let shown = try dropsync("job", id, "--json")
        #expect(shown.status == 0)
        let job = try #require(try JSONParser.parse(shown.stdout).objectValue)
        for key in ["id", "dataflow", "status", "startedAt", "endedAt", "processed", "errors", "steps", "errorSamples"] {
            #expect(job[key] != nil, "missing \(key)")
        }
        #expect(job["processed"] == .int(5))
        let steps = try #require(job["steps"]?.arrayValue).compactMap { $0.objectValue }
        #expect(steps.map { $0["id"]?.stringValue } == ["read", "gunzip", "parse", "rename", "write", "format-rejected", "write-rejected"])
        let parse = try #require(steps.first { $0["id"] == "parse" })
        #expect(parse["output"] == .int(4))
        #expect(parse["errors"] == .int(1))
        for key in ["id", "type", "durationMs", "input", "output", "errors"] { #expect(parse[key] != nil) }
        // The listing gives each job's headline, not details it does not hold (empty lists would say "none").
        let listed = try #require(try JSONParser.parse(try dropsync("jobs", "--json").stdout).arrayValue?.first?.objectValue)
        #expect(listed["id"] == .string(id) && listed["processed"] == .int(5))
        #expect(listed["steps"] == nil && listed["errorSamples"] == nil)
    }

    @Test("Ctrl-C cancels a running job: nothing is committed and the history says cancelled")
    func interruptCancels() throws {
        let rows = (0..<400_000).map { "big\($0),user\($0)@example.com,Name\($0),\($0)" }.joined(separator: "\n")
        try writeGzip("inbound/big.csv.gz", "UID,email,firstName,points\n" + rows + "\n")
        let running = try DropsyncCommand.start(
            ["run", "fans", "--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
        let deadline = ContinuousClock.now + .seconds(60)
        var seenRunning = false
        while !seenRunning && ContinuousClock.now < deadline {
            seenRunning = (try? dropsync("jobs", "--json").stdout.contains("\"running\"")) ?? false
        }
        guard seenRunning else {
            running.signal(SIGKILL)
            Issue.record("the job never showed as running: \(running.wait().stderr)")
            return
        }
        running.signal(SIGINT)
        let result = running.wait()
        #expect(result.status != 0)
        #expect(result.stdout.contains("cancelled"), "\(result.stdout)")
        #expect(try dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let jobs = try #require(try JSONParser.parse(try dropsync("jobs", "--json").stdout).arrayValue)
        #expect(jobs.first?.objectValue?["status"] == "cancelled")
    }

    @Test("an insert writer whose error path feeds an update writer (more rejects than a channel holds): no deadlock")
    func chainedWriters() throws {
        scratch.write("conf.d/split.json", """
            { "name": "split", "steps": [
              { "id": "read", "type": "datasource.read.local",
                "params": { "path": "../split-inbound" }, "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "next": ["create"] },
              { "id": "create", "type": "datasource.write.account", "params": { "importPolicy": "insert" },
                "error": ["update"] },
              { "id": "update", "type": "datasource.write.account", "params": { "importPolicy": "update" } }
            ] }
            """)
        let existing = (0..<12000).map { "s\($0),old\($0)@example.com" }.joined(separator: "\n")
        scratch.write("split-inbound/1.csv", "UID,email\n" + existing + "\n")
        #expect(try dropsync("run", "split").status == 0)
        let mixed = (0..<24000).map { "s\($0),new\($0)@example.com" }.joined(separator: "\n")
        scratch.write("split-inbound/1.csv", "UID,email\n" + mixed + "\n")
        let run = try dropsync("run", "split", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let steps = try #require(try JSONParser.parse(run.stdout).objectValue?["steps"]?.arrayValue).compactMap { $0.objectValue }
        #expect(steps.first { $0["id"] == "create" }?["output"] == .int(12000))
        #expect(steps.first { $0["id"] == "create" }?["errors"] == .int(12000))
        #expect(steps.first { $0["id"] == "update" }?["output"] == .int(12000))
        #expect(try dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "24000")
        let updated = try #require(try account("s1"))
        #expect(updated["email"] == "new1@example.com")
        #expect(updated["errorCode"] == nil && updated["errorStep"] == nil && updated["errorMessage"] == nil)
    }

    @Test("--limit stops the readers after N records")
    func limitStopsEarly() throws {
        let run = try dropsync("run", "fans", "--limit", "2", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }

    @Test("--limit reports no rejected row after the last record it takes")
    func limitReportsNoLaterRejections() throws {
        let run = try dropsync("run", "fans", "--limit", "2", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let job = try #require(try JSONParser.parse(run.stdout).objectValue)
        #expect(job["errors"] == .int(0), "line 4 (u3,short-row) comes after the second record")
        #expect(scratch.list("rejected").isEmpty)
    }

    @Test("--dry-run prints what the writers would do and commits nothing")
    func dryRun() throws {
        let run = try dropsync("run", "fans", "--dry-run")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("(dry run: nothing was committed)"))
        #expect(run.stdout.contains("[write] partner.csv: 3 to insert, 0 to update, 0 unchanged, 1 rejected (dry run: rolled back)"))
        #expect(run.stdout.contains("[write-rejected] would write rejected_1.csv ("))
        #expect(try dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/rejected"))
        let job = try JSONParser.parse(try dropsync("job", "1", "--json").stdout).objectValue
        #expect(job?["trigger"] == "dry-run")

        // After a real run, a dry run of the same file finds nothing to change.
        #expect(try dropsync("run", "fans").status == 0)
        let again = try dropsync("run", "fans", "--dry-run")
        #expect(again.stdout.contains("[write] partner.csv: 0 to insert, 0 to update, 3 unchanged, 1 rejected (dry run: rolled back)"))
    }

    @Test("--file runs the flow on the named file instead of listing the drop zone")
    func explicitFile() throws {
        try writeGzip("elsewhere/other.csv.gz", "UID,email,firstName,points\nz9,z@example.com,Zed,1\n")
        let run = try dropsync("run", "fans", "--file", scratch.path + "/elsewhere/other.csv.gz", "--json")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try account("z9") != nil)
        #expect(try account("u1") == nil)
    }
}
