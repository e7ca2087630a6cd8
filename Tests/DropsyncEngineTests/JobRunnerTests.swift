import DropsyncCore
import DropsyncEngine
import DropsyncTesting
import Testing

@Suite struct JobRunnerTests {
    let sink = Sink()
    let scratch = TemporaryDirectory("engine")

    func compile(_ json: String) throws -> CompiledDataflow {
        guard case .object = try JSONParser.parse(json) else { throw DropsyncError("TEST", "not an object") }
        scratch.write("flow.json", json)
        let configuration = Configuration.load(directory: scratch.path, registry: testRegistry)
        #expect(configuration.diagnostics.isEmpty, "\(configuration.diagnostics)")
        return try #require(configuration.dataflows.first)
    }

    func job(limit: Int? = nil) -> JobContext {
        var services = Services()
        services.register(sink)
        return JobContext(jobID: "1", dataflow: "flow", limit: limit, services: services)
    }

    func flow(_ steps: String) -> String { "{\"name\": \"flow\", \"steps\": [\(steps)]}" }

    @Test("several ids in next give every branch every record")
    func fanOut() async throws {
        let dataflow = try compile(flow("""
            {"id": "emit", "type": "test.emit", "params": {"count": 9}, "next": ["left", "right"]},
            {"id": "left", "type": "test.collect"}, {"id": "right", "type": "test.collect"}
            """))
        let report = await JobRunner().run(dataflow, job: job(), trigger: "test")
        #expect(report.status == .succeeded)
        #expect(sink.records("left").count == 9)
        #expect(sink.records("right") == sink.records("left"))
    }

    @Test("rejected records go down the error path with errorCode, errorMessage and errorStep")
    func errorPath() async throws {
        let dataflow = try compile(flow("""
            {"id": "emit", "type": "test.emit", "params": {"count": 6}, "next": ["filter"]},
            {"id": "filter", "type": "test.reject-odd", "next": ["good"], "error": ["bad"]},
            {"id": "good", "type": "test.collect"}, {"id": "bad", "type": "test.collect"}
            """))
        let report = await JobRunner().run(dataflow, job: job(), trigger: "test")
        #expect(report.status == .succeeded)
        #expect(report.errors == 3)
        #expect(sink.records("good").map { $0["n"] } == [0, 2, 4])
        let rejected = sink.records("bad")
        #expect(rejected.map { $0["n"] } == [1, 3, 5])
        #expect(rejected.first?["errorCode"] == "ODD")
        #expect(rejected.first?["errorMessage"] == "odd number")
        #expect(rejected.first?["errorStep"] == "filter")
        #expect(report.errorSamples.isEmpty)
    }

    @Test("without an error path, rejected records are counted and sampled into the job")
    func rejectedWithoutErrorPath() async throws {
        let dataflow = try compile(flow("""
            {"id": "emit", "type": "test.emit", "params": {"count": 4}, "next": ["filter"]},
            {"id": "filter", "type": "test.reject-odd", "next": ["good"]}, {"id": "good", "type": "test.collect"}
            """))
        let report = await JobRunner().run(dataflow, job: job(), trigger: "test")
        #expect(report.status == .succeeded)
        #expect(report.errors == 2)
        #expect(report.errorSamples.map(\.code) == ["ODD", "ODD"])
        #expect(report.errorSamples.first?.record?["n"] == 1)
        #expect(report.steps.first { $0.id == "filter" }?.errors == 2)
    }

    @Test("a failing step fails the job, and no other step mistakes the failure for the end of input")
    func failurePropagates() async throws {
        let dataflow = try compile(flow("""
            {"id": "emit", "type": "test.emit", "params": {"count": 1000}, "next": ["broken", "other"]},
            {"id": "broken", "type": "test.collect", "params": {"failAfter": 10}},
            {"id": "other", "type": "test.collect"}
            """))
        let report = await JobRunner().run(dataflow, job: job(), trigger: "test")
        #expect(report.status == .failed)
        #expect(report.failure?.contains("step 'broken'") == true)
        #expect(report.failure?.contains("TEST_FAILURE") == true)
        #expect(sink.stepsThatSawTheEnd.isEmpty)
    }

    @Test("a reader that cannot open a file lets what it sent before go through, then the job fails naming that file")
    func unreadableSource() async throws {
        let dataflow = try compile(flow("""
            {"id": "emit", "type": "test.emit", "params": {"count": 100, "thenUnreadable": "b.csv"}, "next": ["collect"]},
            {"id": "collect", "type": "test.collect"}
            """))
        let job = job()
        let report = await JobRunner().run(dataflow, job: job, trigger: "test")
        #expect(report.status == .failed)
        #expect(report.failureFile == "b.csv")
        #expect(job.committedSources == [EmitRecords.source], "the file before it went through every step: committed")
        #expect(job.traceLines.contains { $0.message.contains("cannot read b.csv") })
        #expect(report.failureCode == "TEST_UNREADABLE")
        #expect(report.failure?.contains("step 'emit'") == true)
        #expect(report.files.map(\.path) == ["numbers", "b.csv"], "the unreadable file counts as one the job started")
        #expect(sink.records("collect").count == 100)
        #expect(sink.stepsThatSawTheEnd == ["collect"], "the writer saw the end of its input, not an abort")
    }

    @Test("a record limit stops the reader and the job still succeeds")
    func limit() async throws {
        let dataflow = try compile(flow("""
            {"id": "emit", "type": "test.emit", "params": {"forever": true}, "next": ["sink"]},
            {"id": "sink", "type": "test.collect"}
            """))
        let report = await JobRunner().run(dataflow, job: job(limit: 7), trigger: "test")
        #expect(report.status == .succeeded)
        #expect(sink.records("sink").count == 7)
        #expect(report.processed == 7)
    }

    @Test("cancelling the caller cancels the job")
    func cancellation() async throws {
        let dataflow = try compile(flow("""
            {"id": "emit", "type": "test.emit", "params": {"forever": true}, "next": ["sink"]},
            {"id": "sink", "type": "test.collect"}
            """))
        let context = job()
        let running = Task { await JobRunner().run(dataflow, job: context, trigger: "test") }
        let deadline = ContinuousClock.now + .seconds(60)
        while sink.records("sink").count < 100 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        try #require(sink.records("sink").count >= 100)
        running.cancel()
        let report = await running.value
        #expect(report.status == .cancelled)
        #expect(sink.stepsThatSawTheEnd.isEmpty)
    }
}
