import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// `dropsync serve` end to end: a real daemon process on a temporary conf.d, driven only through
/// its drop zone, signals, the command line and its NOTIFY_SOCKET.
@Suite("dropsync serve", .serialized) struct ServeTests {
    @Test("a dropped file is imported, and the ledger says why and by which job")
    func dropImports() throws {
        let fixture = DaemonFixture()
        #expect(try fixture.start())
        try fixture.drop("a.csv.gz", uids: ["u1", "u2", "u3"])
        #expect(try fixture.waitUntil { try fixture.status(of: "a.csv.gz") == "succeeded" })
        #expect(try fixture.accountCount() == 3)
        let entry = try #require(try fixture.files()["a.csv.gz"])
        #expect(entry["attempts"] == .int(1))
        #expect(entry["dataflow"] == .string("fans"))
        let why = try fixture.dropsync("files", "why", fixture.inbound + "/a.csv.gz")
        #expect(why.stdout.contains("ready because renamed into the drop zone"), "\(why.stdout)")
        #expect(why.stdout.contains("succeeded"))
        #expect(fixture.stop()?.status == 0)
    }

    @Test("a file still being written is not touched before it is complete")
    func slowWriterWaits() throws {
        let fixture = DaemonFixture()
        #expect(try fixture.start())
        let bytes = DaemonFixture.gzipCSV(uids: (0..<500).map { "slow-\($0)" })
        // One open descriptor, written in 20 pieces over about 2 s, as an upload does.
        let descriptor = open(fixture.inbound + "/slow.csv.gz", O_WRONLY | O_CREAT | O_EXCL, 0o644)
        try #require(descriptor >= 0)
        let pieceSize = bytes.count / 20 + 1
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            let piece = Array(bytes[start..<min(start + pieceSize, bytes.count)])
            #expect(write(descriptor, piece, piece.count) == piece.count)
            usleep(100_000)
            let status = try fixture.status(of: "slow.csv.gz")
            #expect(status == nil || status == "seen", "taken while being written: \(status ?? "")")
        }
        close(descriptor)
        #expect(try fixture.waitUntil { try fixture.status(of: "slow.csv.gz") == "succeeded" })
        #expect(try fixture.accountCount() == 500)
    }

    @Test("a file written in rounds (an upload resumed: open, append, close) is imported once, whole")
    func resumedUploadImportedWhole() throws {
        // A long settleAfterClose, so that a loaded machine sees each round within it.
        let fixture = DaemonFixture(flow: DaemonFixture.flow(readerParams: #", "settleAfterClose": 5"#))
        #expect(try fixture.start())
        let bytes = DaemonFixture.gzipCSV(uids: (0..<3000).map { "r\($0)" })
        let roundSize = bytes.count / 6 + 1
        for start in stride(from: 0, to: bytes.count, by: roundSize) {
            let end = min(start + roundSize, bytes.count)
            let descriptor = open(fixture.inbound + "/resumed.csv.gz", O_WRONLY | O_CREAT | O_APPEND, 0o644)
            try #require(descriptor >= 0)
            let round = Array(bytes[start..<end])
            #expect(write(descriptor, round, round.count) == round.count)
            close(descriptor)
            // The uploader comes back once the daemon has seen this round, within settleAfterClose.
            #expect(try fixture.waitUntil {
                let why = try fixture.dropsync("files", "why", fixture.inbound + "/resumed.csv.gz").stdout
                return why.contains("size         \(end) bytes") && why.contains("status       seen")
            }, "round ending at \(end): \((try? fixture.dropsync("files", "why", fixture.inbound + "/resumed.csv.gz").stdout) ?? "")")
        }
        #expect(try fixture.waitUntil { try fixture.status(of: "resumed.csv.gz") == "succeeded" })
        #expect(try fixture.accountCount() == 3000)
        let jobs = try DropsyncCommand.json(["jobs", "--json"] + fixture.locations, in: fixture.scratch)
        #expect(jobs.arrayValue?.count == 1)
    }

    @Test("2,000 files dropped at once are each processed once")
    func burst() throws {
        let fixture = DaemonFixture()
        #expect(try fixture.start())
        for index in 0..<2000 { try fixture.drop(String(format: "f%04d.csv.gz", index), uids: ["b\(index)"]) }
        #expect(try fixture.waitUntil(timeout: .seconds(120)) {
            try fixture.files().values.filter { $0["status"] == .string("succeeded") }.count == 2000
        })
        let entries = try fixture.files()
        #expect(entries.count == 2000)
        #expect(entries.values.allSatisfy { $0["attempts"] == .int(1) })
        #expect(try fixture.accountCount() == 2000)
    }

    @Test("a corrupt file is quarantined while the next good file imports")
    func corruptQuarantined() throws {
        let fixture = DaemonFixture()
        #expect(try fixture.start())
        fixture.scratch.write("inbound/bad.csv.gz", Array("this is not gzip".utf8))
        try fixture.drop("good.csv.gz", uids: ["g1"])
        #expect(try fixture.waitUntil {
            try fixture.status(of: "bad.csv.gz") == "quarantined" && fixture.status(of: "good.csv.gz") == "succeeded"
        })
        #expect(FileManager.default.fileExists(atPath: fixture.scratch.path + "/quarantine/bad.csv.gz"))
        #expect(!FileManager.default.fileExists(atPath: fixture.inbound + "/bad.csv.gz"))
        let bad = try #require(try fixture.files()["bad.csv.gz"])
        #expect(bad["reason"]?.stringValue?.contains("GZIP_CORRUPT") == true, "\(bad)")
        #expect(try fixture.accountCount() == 1)
        // Retried by hand, it goes back into the drop zone and fails again the same way.
        #expect(try fixture.dropsync("files", "retry", fixture.inbound + "/bad.csv.gz").status == 0)
        let requarantined = try fixture.waitUntil {
            try fixture.files()["bad.csv.gz"]?["attempts"] == .int(1) && fixture.status(of: "bad.csv.gz") == "quarantined"
        }
        let entry = try fixture.files()["bad.csv.gz"].map { "\($0)" } ?? "-"
        #expect(requarantined, "\(entry) \(fixture.daemon?.stderrSoFar ?? "")")
    }

    @Test("with duplicateContent skip, the same content under a new name is not imported again")
    func duplicateContentSkipped() throws {
        let fixture = DaemonFixture(flow: DaemonFixture.flow(readerParams: #", "duplicateContent": "skip""#))
        #expect(try fixture.start())
        try fixture.drop("first.csv.gz", uids: ["d1", "d2"])
        #expect(try fixture.waitUntil { try fixture.status(of: "first.csv.gz") == "succeeded" })
        try fixture.drop("again.csv.gz", uids: ["d1", "d2"])
        #expect(try fixture.waitUntil { try fixture.status(of: "again.csv.gz") == "succeeded" })
        let again = try #require(try fixture.files()["again.csv.gz"])
        #expect(again["reason"]?.stringValue?.contains("same content as " + fixture.inbound + "/first.csv.gz") == true, "\(again)")
        #expect(again["jobId"] == .null)
        let jobs = try DropsyncCommand.json(["jobs", "--json"] + fixture.locations, in: fixture.scratch)
        #expect(jobs.arrayValue?.count == 1)
        // Different content under an existing name is new: imported again.
        try fixture.drop("first.csv.gz", uids: ["d3"])
        #expect(try fixture.waitUntil { try fixture.accountCount() == 3 })
    }

    @Test("an archive that fails (no room for the archive directory) is retried, and never re-imports the file")
    func failedPostActionRetried() throws {
        let fixture = DaemonFixture(
            flow: DaemonFixture.flow(readerParams: #", "afterSuccess": "archive", "archivePath": "../blocked/archive""#),
            settings: #"{ "retryBackoffSeconds": 1 }"#)
        // A regular file where the archive directory should go: creating it fails (ENOTDIR).
        fixture.scratch.write("blocked", "not a directory")
        #expect(try fixture.start())
        try fixture.drop("a.csv.gz", uids: ["p1"])
        #expect(try fixture.waitUntil { try fixture.files()["a.csv.gz"]?["postActionProblem"]?.stringValue?.contains("cannot move") == true })
        #expect(try fixture.status(of: "a.csv.gz") == "succeeded")
        #expect(FileManager.default.fileExists(atPath: fixture.inbound + "/a.csv.gz"))
        try FileManager.default.removeItem(atPath: fixture.scratch.path + "/blocked")
        #expect(fixture.waitUntil { FileManager.default.fileExists(atPath: fixture.scratch.path + "/blocked/archive/a.csv.gz") })
        #expect(try fixture.waitUntil { try fixture.files()["a.csv.gz"]?["postActionProblem"] == .null })
        #expect(!FileManager.default.fileExists(atPath: fixture.inbound + "/a.csv.gz"))
        let jobs = try DropsyncCommand.json(["jobs", "--json"] + fixture.locations, in: fixture.scratch)
        #expect(jobs.arrayValue?.count == 1)
    }

    @Test("a file's done marker leaves the drop zone with it: a new file of the same name waits for a new marker")
    func doneMarkerLeavesWithItsFile() throws {
        let fixture = DaemonFixture(flow: DaemonFixture.flow(
            readerParams: #", "doneMarker": "{name}.done", "afterSuccess": "archive", "archivePath": "../archive""#))
        #expect(try fixture.start())
        try fixture.drop("a.csv.gz", uids: ["m1"])
        fixture.scratch.write("inbound/a.csv.gz.done", "")
        #expect(fixture.waitUntil { FileManager.default.fileExists(atPath: fixture.scratch.path + "/archive/a.csv.gz") })
        #expect(fixture.waitUntil { !FileManager.default.fileExists(atPath: fixture.inbound + "/a.csv.gz.done") })
        // The next delivery under the same name is not released by the old marker.
        try fixture.drop("a.csv.gz", uids: ["m2", "m3"])
        #expect(try fixture.waitUntil {
            try fixture.files()["a.csv.gz"]?["reason"]?.stringValue == "waiting for done marker a.csv.gz.done"
        })
        #expect(try fixture.accountCount() == 1)
        fixture.scratch.write("inbound/a.csv.gz.done", "")
        #expect(try fixture.waitUntil { try fixture.accountCount() == 3 })
        #expect(fixture.stop()?.status == 0)
    }

    @Test("a quarantine that fails keeps the file's own error, notes the problem apart until it is solved, and logs it once")
    func failedQuarantineKeepsTheError() throws {
        let fixture = DaemonFixture(settings: #"{ "retryBackoffSeconds": 1, "logLevel": "debug" }"#)
        // A regular file where the quarantine directory should go: the move fails.
        fixture.scratch.write("quarantine", "not a directory")
        #expect(try fixture.start())
        fixture.scratch.write("inbound/bad.csv.gz", Array("this is not gzip".utf8))
        // The second try comes after the first delay (1 s), the third after twice that.
        #expect(fixture.waitUntil { fixture.daemon?.stderrSoFar.contains("post-action still failing (attempt 2), will retry in 2.0 seconds") == true })
        let noted = try #require(try fixture.files()["bad.csv.gz"])
        #expect(noted["status"] == .string("failed"))
        #expect(noted["reason"]?.stringValue?.contains("GZIP_CORRUPT") == true, "\(noted)")
        #expect(noted["postActionProblem"]?.stringValue?.contains("cannot move") == true, "\(noted)")
        let why = try fixture.dropsync("files", "why", fixture.inbound + "/bad.csv.gz").stdout
        #expect(why.contains("GZIP_CORRUPT") && why.contains("post-action  cannot move"), "\(why)")
        let errors = fixture.daemon?.stderrSoFar.split(separator: "\n").filter { $0.contains("error") && $0.contains("post-action failed") }
        #expect(errors?.count == 1, "\(errors ?? [])")

        try FileManager.default.removeItem(atPath: fixture.scratch.path + "/quarantine")
        #expect(try fixture.waitUntil { try fixture.status(of: "bad.csv.gz") == "quarantined" })
        let quarantined = try #require(try fixture.files()["bad.csv.gz"])
        #expect(quarantined["reason"]?.stringValue?.contains("GZIP_CORRUPT") == true, "\(quarantined)")
        #expect(quarantined["postActionProblem"] == .null)
        #expect(fixture.stop()?.status == 0)
    }

    @Test("a failure outside the file (the output cannot be written) is retried with backoff, then final")
    func outputFailureRetriedThenFinal() throws {
        let flow = """
            { "name": "fans", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../inbound", "stableFor": 0.3 }, "next": ["gunzip"] },
              { "id": "gunzip", "type": "file.uncompress.gzip", "next": ["copy"] },
              { "id": "copy", "type": "datasource.write.local", "params": { "path": "../not-a-directory" } } ] }
            """
        let fixture = DaemonFixture(flow: flow, settings: #"{ "retryBackoffSeconds": 1, "maxAttempts": 2 }"#)
        fixture.scratch.write("not-a-directory", "a file where the output directory should be")
        #expect(try fixture.start())
        try fixture.drop("a.csv.gz", uids: ["o1"])
        #expect(try fixture.waitUntil { try fixture.status(of: "a.csv.gz") == "failed" })
        let entry = try #require(try fixture.files()["a.csv.gz"])
        #expect(entry["attempts"] == .int(2))
        let jobs = try DropsyncCommand.json(["jobs", "--json"] + fixture.locations, in: fixture.scratch)
        #expect(jobs.arrayValue?.count == 2)
        #expect(fixture.daemon?.stderrSoFar.contains("retrying in 1") == true)
    }

    @Test("SIGHUP reloads a valid configuration and refuses an invalid one; notifications come in order")
    func reload() throws {
        let fixture = DaemonFixture()
        #expect(try fixture.start())
        let notifications = try #require(fixture.notifications)
        let tagging = """
            { "id": "tag", "type": "field.add", "params": { "fields": [ { "field": "data.version", "value": 2 } ] }, "next": ["write"] },
            """
        fixture.scratch.write("conf.d/fans.json", DaemonFixture.flow(extraSteps: tagging, next: "tag"))
        fixture.daemon?.signal(SIGHUP)
        let reloading = try #require(notifications.waitFor("RELOADING=1"))
        let ready = try #require(notifications.waitFor("READY=1", after: reloading + 1))
        try fixture.drop("v2.csv.gz", uids: ["r1"])
        #expect(try fixture.waitUntil { try fixture.status(of: "v2.csv.gz") == "succeeded" })
        #expect(try fixture.dropsync("accounts", "get", "r1", "--json").stdout.contains("\"version\":2"))

        fixture.scratch.write("conf.d/fans.json", "{ \"name\": \"fans\", \"steps\": [ { \"id\": \"x\", \"type\": \"nope\" } ] }")
        fixture.daemon?.signal(SIGHUP)
        let refused = try #require(notifications.waitFor("RELOADING=1", after: ready + 1))
        #expect(notifications.waitFor("READY=1", after: refused + 1) != nil)
        try fixture.drop("still.csv.gz", uids: ["r2"])
        #expect(try fixture.waitUntil { try fixture.status(of: "still.csv.gz") == "succeeded" })
        #expect(fixture.daemon?.stderrSoFar.contains("unknown type 'nope'") == true)

        let stopped = fixture.stop(SIGTERM)
        #expect(stopped?.status == 0)
        #expect(notifications.waitFor("STOPPING=1", after: refused + 1) != nil)
    }

    @Test("SIGTERM during a job lets it finish, then the daemon exits 0")
    func termDuringJob() throws {
        let fixture = DaemonFixture()
        #expect(try fixture.start())
        try fixture.drop("big.csv.gz", uids: (0..<200_000).lazy.map { "t\($0)" })
        #expect(try fixture.waitUntil(timeout: .seconds(30)) { try fixture.status(of: "big.csv.gz") == "claimed" })
        let stopped = fixture.stop(SIGTERM)
        #expect(stopped?.status == 0, "\(stopped?.stderr ?? "")")
        #expect(try fixture.status(of: "big.csv.gz") == "succeeded")
        #expect(try fixture.accountCount() == 200_000)
    }

    @Test("SIGTERM during a job longer than shutdownGraceSeconds cancels it when the grace ends: nothing imported, the file left for the next start")
    func termCancelsAfterGrace() throws {
        let fixture = DaemonFixture(settings: #"{ "shutdownGraceSeconds": 1 }"#)
        #expect(try fixture.start())
        let count = 1_000_000
        try fixture.drop("huge.csv.gz", uids: (0..<count).lazy.map { "h\($0)" })
        #expect(try fixture.waitUntil { try fixture.status(of: "huge.csv.gz") == "claimed" })
        let stopped = fixture.stop(SIGTERM)
        #expect(stopped?.status == 0)
        let stderr = stopped?.stderr ?? ""
        #expect(stderr.contains("did not end within the shutdown grace period: cancelling it; its files stay for the next start"), "\(stderr)")
        #expect(!stderr.contains("CancellationError"), "\(stderr)")
        #expect(try fixture.status(of: "huge.csv.gz") == "ready", "\(stderr)")
        #expect(try fixture.accountCount() == 0)
        let jobs = try DropsyncCommand.json(["jobs", "--json"] + fixture.locations, in: fixture.scratch)
        #expect(jobs.arrayValue?.first?.objectValue?["status"] == .string("cancelled"), "\(jobs)")
        // The next start imports it.
        #expect(try fixture.start())
        #expect(try fixture.waitUntil(timeout: .seconds(120)) { try fixture.status(of: "huge.csv.gz") == "succeeded" })
        #expect(try fixture.accountCount() == count)
        #expect(fixture.stop()?.status == 0)
    }

    @Test("kill -9 in the middle of imports: after a restart, ledger and store end as after a clean run")
    func killAndRestart() throws {
        let fixture = DaemonFixture(settings: #"{ "maxFilesPerJob": 5 }"#)
        #expect(try fixture.start())
        let names = (0..<40).map { String(format: "k%02d.csv.gz", $0) }
        for (index, name) in names.enumerated() { try fixture.drop(name, uids: (0..<2_000).map { "k\(index)-\($0)" }) }
        #expect(try fixture.waitUntil { try fixture.files().values.contains { $0["status"] == .string("succeeded") } })
        _ = fixture.stop(SIGKILL)
        #expect(try fixture.files().values.contains { $0["status"] != .string("succeeded") }, "all done before the kill")
        #expect(try fixture.start())
        #expect(try fixture.waitUntil(timeout: .seconds(120)) {
            let entries = try fixture.files()
            return entries.count == names.count && entries.values.allSatisfy { $0["status"] == .string("succeeded") }
        })
        #expect(try fixture.accountCount() == 40 * 2_000)
        let jobs = try DropsyncCommand.json(["jobs", "--json"] + fixture.locations, in: fixture.scratch)
        #expect(jobs.arrayValue?.contains { $0.objectValue?["status"] == .string("running") } == false)
        #expect(fixture.stop()?.status == 0)

        // The same files through a daemon nobody kills: the same accounts, the same ledger.
        let clean = DaemonFixture(settings: #"{ "maxFilesPerJob": 5 }"#)
        #expect(try clean.start())
        for (index, name) in names.enumerated() { try clean.drop(name, uids: (0..<2_000).map { "k\(index)-\($0)" }) }
        #expect(try clean.waitUntil(timeout: .seconds(120)) {
            try clean.files().values.filter { $0["status"] == .string("succeeded") }.count == names.count
        })
        #expect(clean.stop()?.status == 0)
        #expect(try Self.accounts(fixture) == Self.accounts(clean))
        #expect(try Set(fixture.files().map { "\($0.key) \($0.value["status"] ?? .null)" })
            == Set(clean.files().map { "\($0.key) \($0.value["status"] ?? .null)" }))
    }

    /// Every account's UID and document (the timestamps, which differ between runs, left out).
    static func accounts(_ fixture: DaemonFixture) throws -> String {
        let query = "SELECT UID, doc FROM accounts ORDER BY UID"
        let result = try DropsyncCommand.run(
            [fixture.scratch.path + "/state/dropsync.sqlite", query], program: "/usr/bin/sqlite3", in: fixture.scratch)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }
}
