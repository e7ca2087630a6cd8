import DropsyncCore
import Synchronization

/// What the test sinks saw, shared through the job's services.
final class Sink: Sendable {
    private let state = Mutex<[String: [Record]]>([:])
    private let ends = Mutex<[String]>([])

    func append(_ step: String, _ records: [Record]) { state.withLock { $0[step, default: []] += records } }
    func records(_ step: String) -> [Record] { state.withLock { $0[step] ?? [] } }
    func endOfInput(_ step: String) { ends.withLock { $0.append(step) } }
    var stepsThatSawTheEnd: [String] { ends.withLock { $0 } }
}

/// nothing → records: `count` records `{n: i}` in batches of `batch`, then sourceDone.
struct EmitRecords: Component {
    static let spec = ComponentSpec(
        type: "test.emit", summary: "emits numbered records", input: .nothing, output: .records,
        params: [
            ParamSpec("count", .integer, default: 10, "how many"),
            ParamSpec("batch", .integer, default: 4, "per packet"),
            ParamSpec("forever", .boolean, default: false, "never stop"),
            ParamSpec("thenUnreadable", .string, "then stop at a source of this name it cannot open"),
        ])
    let count: Int
    let batch: Int
    let forever: Bool
    let thenUnreadable: String?

    init(params: Params) throws(ParamError) {
        count = params.int("count")!
        batch = params.int("batch")!
        forever = params.bool("forever")!
        thenUnreadable = params.string("thenUnreadable")
    }

    /// The one source it reads.
    static let source = FileInfo(name: "numbers", path: "numbers", location: "test")

    func run(_ step: StepRun) async throws {
        step.job.sourceStarted(Self.source)
        var next = 0
        while forever || next < count {
            let wanted = forever ? batch : min(batch, count - next)
            let granted = step.job.limit.take(wanted)
            guard granted > 0 else { break }
            let records = (next..<next + granted).map { number -> Record in ["n": .int(Int64(number))] }
            next += granted
            step.metrics.output.add(granted)
            guard try await step.output.send(.records(records)) else { return }
        }
        try await step.output.send(.sourceDone(Self.source))
        if let thenUnreadable {
            let file = FileInfo(name: thenUnreadable, path: thenUnreadable, location: "test")
            step.job.sourceUnreadable(file, DropsyncError("TEST_UNREADABLE", "cannot open \(thenUnreadable)").inStep(step.id))
        }
    }
}

/// records → records: rejects odd `n`.
struct RejectOdd: RecordTransformer {
    static let spec = ComponentSpec(
        type: "test.reject-odd", summary: "rejects odd numbers", input: .records, output: .records,
        rejectsRecords: true, params: [])
    init(params: Params) throws(ParamError) {}

    func transform(_ record: inout Record, job: JobContext) throws(Rejection) -> Bool {
        if let number = record["n"]?.intValue, number % 2 == 1 { throw Rejection("ODD", "odd number") }
        return true
    }
}

/// records → nothing: keeps what arrives in the `Sink`; `failAfter` throws after that many.
struct Collect: Component {
    static let spec = ComponentSpec(
        type: "test.collect", summary: "collects records", input: .records, output: .nothing,
        params: [ParamSpec("failAfter", .integer, "throw after this many records")])
    let failAfter: Int?

    init(params: Params) throws(ParamError) { failAfter = params.int("failAfter") }

    func run(_ step: StepRun) async throws {
        let sink = try step.job.services.resolve(Sink.self)
        var seen = 0
        while let packet = try await step.input.next() {
            guard case .records(let batch) = packet else { continue }
            seen += batch.count
            step.metrics.input.add(batch.count)
            if let failAfter, seen > failAfter { throw DropsyncError("TEST_FAILURE", "failing on purpose") }
            sink.append(step.id, batch)
        }
        sink.endOfInput(step.id)
    }
}

let testRegistry = ComponentRegistry([EmitRecords.self, RejectOdd.self, Collect.self])
