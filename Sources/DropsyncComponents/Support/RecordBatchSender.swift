import DropsyncCore

/// Sends the records a parser produces downstream in batches of about `batchSize`, within the
/// job's record limit (`--limit N`). Counts the step's `output`.
///
/// Once `add` or `flush` returns false — the limit ran out or nothing downstream wants more —
/// the parser should flush, say `sourceDone` for the current file, stop reading and return.
public struct RecordBatchSender {
    public static let batchSize = 1000

    private let step: StepRun
    private var batch: [Record] = []
    private var limitReached = false
    private var downstreamClosed = false

    /// True once the limit ran out or nothing downstream wants more.
    public var isStopped: Bool { limitReached || downstreamClosed }

    public init(step: StepRun) {
        self.step = step
        batch.reserveCapacity(Self.batchSize)
    }

    /// Takes records (as many as the limit grants) and sends every full batch.
    public mutating func add(_ records: [Record]) async throws -> Bool {
        guard !isStopped else { return false }
        let granted = records.isEmpty ? 0 : step.job.limit.take(records.count)
        batch.append(contentsOf: records.prefix(granted))
        if granted < records.count || step.job.limit.isExhausted { limitReached = true }
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
