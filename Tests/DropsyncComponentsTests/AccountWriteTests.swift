import DropsyncComponents
import DropsyncCore
import DropsyncStore
import DropsyncTesting
import Foundation
import Testing

@Suite("datasource.write.account")
struct AccountWriteTests {
    let directory = TemporaryDirectory("dropsync-account-write")
    let store: AccountStore
    let job: JobContext
    let file = FileInfo(name: "accounts.csv", path: "/drop/accounts.csv", location: "local:/drop")

    init() throws {
        store = AccountStore(database: try StateDatabase.open(directory: directory.path))
        var services = Services()
        services.register(store)
        services.register(SharedAccountImport(store: store, writers: 1))
        job = ComponentHarness.makeJob(services: services)
    }

    private func account(_ uid: Value, _ email: String) -> Record {
        ["UID": uid, "profile": ["email": .string(email)]]
    }

    @Test("records without a UID go to the error path with MISSING_UID; the others are written")
    func missingUID() async throws {
        let input: [Packet] = [
            .records([account("a", "a@x"), ["profile": ["email": "nobody@x"]], account("", "empty@x")]),
            .sourceDone(file),
        ]
        let result = try await ComponentHarness.run(AccountWriteStep.self, input: input, job: job)
        #expect(result.rejected.map { $0["errorCode"] } == ["MISSING_UID", "MISSING_UID"])
        #expect(result.rejected.first?["profile"] == ["email": "nobody@x"])
        #expect(result.metrics.input.value == 3)
        #expect(result.metrics.output.value == 1)
        #expect(result.metrics.errors.value == 2)
        #expect(job.recordsWritten.value == 1)
        #expect(try store.count() == 1)
    }

    @Test("a file's records are committed at its sourceDone, with a receipt in the trace")
    func commitAtSourceDone() async throws {
        let second = FileInfo(name: "more.csv", path: "/drop/more.csv", location: "local:/drop")
        let input: [Packet] = [
            .records([account("a", "a@x"), account("b", "b@x")]), .records([account(7, "c@x")]), .sourceDone(file),
            .records([account("a", "a@x"), account("b", "new@x")]), .sourceDone(second),
        ]
        let result = try await ComponentHarness.run(AccountWriteStep.self, input: input, job: job)
        #expect(result.rejected.isEmpty)
        #expect(try store.count() == 3)
        #expect(try store.get(uid: "b")?["profile"] == ["email": "new@x"])
        #expect(job.traceLines.map(\.message) == [
            "accounts.csv: 3 inserted, 0 updated, 0 unchanged, 0 rejected",
            "more.csv: 0 inserted, 1 updated, 1 unchanged, 0 rejected",
        ])
    }

    @Test("records that came without a sourceDone are committed at the end of input")
    func commitAtEnd() async throws {
        _ = try await ComponentHarness.run(AccountWriteStep.self, input: [.records([account("a", "a@x")])], job: job)
        #expect(try store.count() == 1)
    }

    @Test("the insert policy rejects existing accounts with ACCOUNT_EXISTS")
    func insertPolicy() async throws {
        let input: [Packet] = [.records([account("a", "a@x")]), .sourceDone(file), .records([account("a", "b@x")]), .sourceDone(file)]
        let result = try await ComponentHarness.run(
            AccountWriteStep.self, params: ["importPolicy": "insert"], input: input, job: job)
        #expect(result.rejected.map { $0["errorCode"] } == ["ACCOUNT_EXISTS"])
        #expect(try store.get(uid: "a")?["profile"] == ["email": "a@x"])
    }

    @Test("a job that fails before a file's sourceDone leaves nothing of that file")
    func failureRollsBackFile() async throws {
        let input = Channel(capacity: 4)
        let step = StepRun(
            id: "write", type: AccountWriteStep.spec.type, input: Inlet(input), output: Outlet([]),
            errorOutput: Outlet([]), metrics: StepMetrics(), job: job)
        let writer = try ComponentHarness.make(AccountWriteStep.self, [:])
        let running = Task { try await writer.run(step) }
        #expect(try await input.send(.records([account("a", "a@x")])))
        #expect(try await input.send(.sourceDone(file)))
        #expect(try await input.send(.records([account("b", "b@x")])))
        #expect(try await input.send(.records([account("c", "c@x")])))
        // Once the writer has taken "c", the first file is committed and "b" went to the store.
        let deadline = ContinuousClock.now + .seconds(60)
        while step.metrics.input.value < 3 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        try #require(step.metrics.input.value == 3)
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(try store.get(uid: "a") != nil)
        #expect(try store.count() == 1)
    }

    @Test("a job without an account store fails with SERVICE_MISSING")
    func missingStore() async throws {
        await #expect(throws: DropsyncError.self) {
            _ = try await ComponentHarness.run(AccountWriteStep.self, input: [.records([account("a", "a@x")])])
        }
    }
}
