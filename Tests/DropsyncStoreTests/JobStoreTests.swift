import DropsyncCore
import DropsyncStore
import Foundation
import Testing

@Suite("Job store")
struct JobStoreTests {
    let started = Date(timeIntervalSince1970: 1_795_000_000.125)

    private func finishedReport(id: String, status: JobStatus = .succeeded) -> JobReport {
        JobReport(
            id: id, dataflow: "import", trigger: "file", status: status, startedAt: started,
            endedAt: started.addingTimeInterval(2.5), processed: 10, errors: 1,
            steps: [
                StepReport(id: "read", type: "datasource.read.local", durationMs: 12, input: 1, output: 1, bytesOut: 300),
                StepReport(id: "write", type: "datasource.write.account", durationMs: 40, input: 10, output: 9, errors: 1),
            ],
            errorSamples: [
                ErrorSample(step: "write", code: "MISSING_UID", message: "no UID", record: record(#"{"z":1,"a":{"y":[1,"x"],"b":null}}"#))
            ],
            trace: [TraceLine(time: started.addingTimeInterval(1), level: .info, step: "write", message: "a.csv: 9 inserted")],
            failure: status == .failed ? "boom" : nil,
            files: [FileInfo(name: "a.csv", path: "/drop/a.csv", location: "local:/drop", size: 300, modified: 1_794_999_000)])
    }

    @Test("a started job is listed as running")
    func startRecordsRunningJob() async throws {
        let fixture = try StoreFixture()
        let id = try await fixture.database.jobs.start(dataflow: "import", trigger: "manual", startedAt: started)
        let listed = try fixture.database.jobs.list(limit: 10)
        #expect(listed.map(\.id) == [id])
        #expect(listed.first?.status == .running)
        #expect(listed.first?.startedAt == started)
    }

    @Test("a finished job's report comes back whole")
    func reportRoundTrip() async throws {
        let fixture = try StoreFixture()
        let id = try await fixture.database.jobs.start(dataflow: "import", trigger: "file", startedAt: started)
        let report = finishedReport(id: id)
        try await fixture.database.jobs.finish(report)
        #expect(try fixture.database.jobs.report(id: id) == report)
    }

    @Test("finishing twice replaces the steps, samples, trace and files")
    func finishReplaces() async throws {
        let fixture = try StoreFixture()
        let id = try await fixture.database.jobs.start(dataflow: "import", trigger: "file", startedAt: started)
        try await fixture.database.jobs.finish(finishedReport(id: id))
        var second = finishedReport(id: id, status: .failed)
        second.steps.removeLast()
        try await fixture.database.jobs.finish(second)
        #expect(try fixture.database.jobs.report(id: id) == second)
    }

    @Test("the list is newest first and filters by dataflow")
    func listNewestFirst() async throws {
        let fixture = try StoreFixture()
        let jobs = fixture.database.jobs
        let first = try await jobs.start(dataflow: "import", trigger: "file", startedAt: started)
        let other = try await jobs.start(dataflow: "export", trigger: "schedule", startedAt: started)
        let third = try await jobs.start(dataflow: "import", trigger: "file", startedAt: started)
        #expect(try jobs.list(limit: 10).map(\.id) == [third, other, first])
        #expect(try jobs.list(dataflow: "import", limit: 10).map(\.id) == [third, first])
        #expect(try jobs.list(limit: 1).map(\.id) == [third])
    }

    @Test("a succeeded job becomes the dataflow's last runtime; a failed one does not")
    func lastRuntimeOnSuccessOnly() async throws {
        let fixture = try StoreFixture()
        let jobs = fixture.database.jobs
        let succeeded = try await jobs.start(dataflow: "import", trigger: "file", startedAt: started)
        try await jobs.finish(finishedReport(id: succeeded))
        let failed = try await jobs.start(dataflow: "import", trigger: "file", startedAt: started.addingTimeInterval(60))
        var failure = finishedReport(id: failed, status: .failed)
        failure.startedAt = started.addingTimeInterval(60)
        try await jobs.finish(failure)
        let state = try jobs.state(dataflow: "import")
        #expect(state?.lastRuntime == started)
        #expect(state?.lastJob == succeeded)
    }

    @Test("the next run is remembered per dataflow")
    func nextRun() async throws {
        let fixture = try StoreFixture()
        try await fixture.database.jobs.setNextRun(started, dataflow: "export")
        #expect(try fixture.database.jobs.state(dataflow: "export") == DataflowState(dataflow: "export", nextRun: started))
        #expect(try fixture.database.jobs.state(dataflow: "import") == nil)
    }

    @Test("jobs left running by a dead process are marked failed")
    func interruptedJobsFail() async throws {
        let fixture = try StoreFixture()
        let id = try await fixture.database.jobs.start(dataflow: "import", trigger: "file", startedAt: started)
        #expect(try await fixture.database.jobs.failInterruptedJobs(endedAt: started, reason: "restarted") == 1)
        let report = try fixture.database.jobs.report(id: id)
        #expect(report?.status == .failed)
        #expect(report?.failure == "restarted")
    }

    @Test("finishing a job that was never started fails")
    func finishUnknownJob() async throws {
        let fixture = try StoreFixture()
        await #expect(throws: DropsyncError.self) { try await fixture.database.jobs.finish(finishedReport(id: "42")) }
    }
}
