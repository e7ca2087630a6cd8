import DropsyncComponents
import DropsyncCore
import DropsyncDaemon
import DropsyncStore
import DropsyncTesting
import Testing

/// Jobs with their state: the history and the ledger say what became of each file.
@Suite struct JobExecutorTests {
    let scratch = TemporaryDirectory("executor")
    let executor: JobExecutor

    init() throws {
        scratch.write("conf.d/people.json", """
            { "name": "people", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../inbound" }, "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "params": { "maxErrors": 0 }, "next": ["write"] },
              { "id": "write", "type": "datasource.write.account" } ] }
            """)
        executor = JobExecutor(database: try StateDatabase.open(directory: scratch.path + "/state"))
    }

    func dataflow() throws -> CompiledDataflow {
        let configuration = Configuration.load(directory: scratch.path + "/conf.d", registry: BuiltinComponents.registry)
        #expect(configuration.diagnostics.isEmpty, "\(configuration.diagnostics)")
        return try #require(configuration.dataflow(named: "people"))
    }

    func ledgerEntry(_ name: String) throws -> LedgerEntry? {
        try LedgerStore(database: executor.database).entry(location: "local:" + scratch.path + "/inbound", path: scratch.path + "/inbound/" + name)
    }

    func ledgerStatus(_ name: String) throws -> LedgerStatus? { try ledgerEntry(name)?.status }

    @Test("a succeeded job marks its files succeeded, and the history keeps the job")
    func succeeded() async throws {
        scratch.write("inbound/a.csv", "UID,name\n1,Ann\n")
        let report = try await executor.run(try dataflow(), trigger: "test")
        #expect(report.status == .succeeded)
        #expect(try ledgerStatus("a.csv") == .succeeded)
        #expect(try JobStore(database: executor.database).report(id: report.id)?.status == .succeeded)
    }

    @Test("when a later file fails the job, an earlier file is succeeded if its accounts are in the store, else left alone")
    func failedLaterFile() async throws {
        scratch.write("inbound/a.csv", "UID,name\n1,Ann\n")
        scratch.write("inbound/b.csv", "UID,name\n2,Bob,extra\n")
        let report = try await executor.run(try dataflow(), trigger: "test")
        #expect(report.status == .failed)
        // a.csv commits only if the writer reached its end before b.csv failed the job.
        let firstCommitted = try executor.accounts.get(uid: "1") != nil
        #expect(try ledgerStatus("a.csv") == (firstCommitted ? .succeeded : nil))
        #expect(try ledgerStatus("b.csv") == .failed)
        #expect(try executor.accounts.get(uid: "2") == nil)
    }

    @Test("only the file the failure names is failed: a file read after it is left alone for a later job")
    func onlyTheNamedFileFails() async throws {
        scratch.write("inbound/a.csv", "UID,name\n1,Ann\n")
        scratch.write("inbound/b.csv", "UID,name\n2,Bob,extra\n")
        scratch.write("inbound/c.csv", "UID,name\n3,Cy\n")
        let report = try await executor.run(try dataflow(), trigger: "test")
        #expect(report.status == .failed)
        let failed = try #require(try ledgerEntry("b.csv"))
        #expect(failed.status == .failed)
        #expect(failed.lastError?.contains("b.csv") == true)
        #expect(try ledgerStatus("c.csv") == nil)
    }

    @Test("a failure that names no file of the job leaves every file the job read and did not commit ready, with the error, for another try")
    func unnamedFailureLeavesFilesReady() async throws {
        scratch.write("conf.d/people.json", """
            { "name": "people", "steps": [
              { "id": "read", "type": "datasource.read.local", "params": { "path": "../inbound" }, "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "next": ["format"] },
              { "id": "format", "type": "file.format.dsv", "next": ["write"] },
              { "id": "write", "type": "datasource.write.local", "params": { "path": "../out/blocker/x" } } ] }
            """)
        scratch.write("out/blocker", "a file where the writer wants a directory")
        scratch.write("inbound/a.csv", "UID,name\n1,Ann\n")
        let report = try await executor.run(try dataflow(), trigger: "test")
        #expect(report.status == .failed)
        let entry = try #require(try ledgerEntry("a.csv"))
        #expect(entry.status == .ready)
        #expect(entry.lastError == report.failure)
        #expect(entry.job == report.id)
    }

    @Test("the ledger records the dataflow of the files a job read")
    func recordsTheDataflow() async throws {
        scratch.write("inbound/a.csv", "UID,name\n1,Ann\n")
        _ = try await executor.run(try dataflow(), trigger: "manual")
        #expect(try ledgerEntry("a.csv")?.dataflow == "people")
        #expect(try LedgerStore(database: executor.database).list(dataflow: "people", status: nil, limit: 10).count == 1)
    }

    @Test("a test run with a limit leaves the ledger and the dataflow state alone")
    func testRun() async throws {
        scratch.write("inbound/a.csv", "UID,name\n1,Ann\n2,Bob\n")
        let report = try await executor.run(try dataflow(), trigger: "test", limit: 1)
        #expect(report.status == .succeeded)
        #expect(try ledgerStatus("a.csv") == nil)
        #expect(try JobStore(database: executor.database).state(dataflow: "people") == nil)
    }

    @Test("a dry run counts what each file would change in the store as it is, and commits nothing")
    func dryRun() async throws {
        scratch.write("inbound/a.csv", "UID,name\n1,Ann\n2,Bob\n")
        scratch.write("inbound/b.csv", "UID,name\n2,Bobby\n3,Cy\n1,Ann\n")
        let report = try await executor.run(try dataflow(), trigger: "test", dryRun: true)
        #expect(report.status == .succeeded)
        #expect(report.trigger == "dry-run")
        let receipts = report.trace.filter { $0.step == "write" }.map(\.message)
        #expect(receipts == [
            "a.csv: 2 to insert, 0 to update, 0 unchanged, 0 rejected (dry run: rolled back)",
            "b.csv: 3 to insert, 0 to update, 0 unchanged, 0 rejected (dry run: rolled back)",
        ])
        #expect(try executor.accounts.count() == 0)
        #expect(try ledgerStatus("a.csv") == nil)
        #expect(try ledgerStatus("b.csv") == nil)
        #expect(try JobStore(database: executor.database).report(id: report.id)?.trigger == "dry-run")
        #expect(try JobStore(database: executor.database).state(dataflow: "people") == nil)
    }
}
