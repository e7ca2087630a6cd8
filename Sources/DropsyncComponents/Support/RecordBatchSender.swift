import DropsyncCore

/// Sends the records a parser produces downstream in batches of about `batchSize`. Counts the
/// step's `output`. (The parser itself stops at the job's `--limit`: `RecordLimit.takeOne`.)
///
/// Once `add` or `flush` returns false — nothing downstream wants more — the parser should say
/// `sourceDone` for the current file, stop reading and return.
public struct RecordBatchSender {
    public static let batchSize = 1000

    private let step: StepRun
    private var batch: [Record] = []
    private var downstreamClosed = false

    /// True once nothing downstream wants more.
    public var isStopped: Bool { downstreamClosed }

    public init(step: StepRun) {
        self.step = step
        batch.reserveCapacity(Self.batchSize)
    }

    /// Takes records and sends every full batch.
    public mutating func add(_ records: [Record]) async throws -> Bool {
        guard !isStopped else { return false }
        batch.append(contentsOf: records)
        while batch.count >= Self.batchSize {
            let full = Array(batch.prefix(Self.batchSize))
            batch.removeFirst(full.count)
            guard try await send(full) else { return false }
        }
        return !isStopped
    }

    /// Sends the records still held (before `sourceDone`, and at the end).
    public mutating func flush() async throws -> Bool {
        if !batch.isEmpty {
            let rest = batch
            batch.removeAll(keepingCapacity: true)
            guard try await send(rest) else { return false }
        }
        return !isStopped
    }

    private mutating func send(_ records: [Record]) async throws -> Bool {
        step.metrics.output.add(records.count)
        if try await !step.output.send(.records(records)) { downstreamClosed = true }
        return !downstreamClosed
    }
}
