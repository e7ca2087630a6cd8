import Foundation
import Synchronization

/// Counters of one step in one job; updated by the step, read by the progress line and the summary.
public final class StepMetrics: Sendable {
    public let input = Atomic<Int>(0)
    public let output = Atomic<Int>(0)
    public let errors = Atomic<Int>(0)
    public let bytesIn = Atomic<Int>(0)
    public let bytesOut = Atomic<Int>(0)
    /// Time spent working (not waiting on channels), in nanoseconds.
    public let busyNanoseconds = Atomic<Int>(0)

    public init() {}

    /// Runs `work`, adding its duration to the busy time.
    public func timed<T, E: Error>(_ work: () throws(E) -> T) throws(E) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { busyNanoseconds.add(Int(DispatchTime.now().uptimeNanoseconds - start), ordering: .relaxed) }
        return try work()
    }
}

extension Atomic where Value == Int {
    public func add(_ amount: Int) { _ = add(amount, ordering: .relaxed) }
    public var value: Int { load(ordering: .relaxed) }
}

/// The outgoing side of a step: one channel per downstream step (several = fan-out).
public struct Outlet: Sendable {
    public let channels: [Channel]

    public init(_ channels: [Channel]) { self.channels = channels }

    public var isConnected: Bool { !channels.isEmpty }

    /// Sends to every downstream channel; false once none of them wants more. An end step's
    /// output (no channels) is discarded and always "wanted".
    @discardableResult
    public func send(_ packet: Packet) async throws -> Bool {
        if channels.isEmpty { return true }
        var anyOpen = false
        for channel in channels where try await channel.send(packet) { anyOpen = true }
        return anyOpen
    }

    public func finish() { for channel in channels { channel.finishProducer() } }

    /// The step failed: downstream must not take what it got so far for a complete input.
    public func abort() { for channel in channels { channel.abort() } }
}

/// The incoming side of a step: the packets of every upstream step, merged.
public struct Inlet: Sendable {
    public let channel: Channel?

    public init(_ channel: Channel?) { self.channel = channel }

    /// The next packet, or nil at the end of input (or for an entry step).
    public func next() async throws -> Packet? { try await channel?.receive() }

    /// Tells upstream that this step needs nothing more.
    public func close() { channel?.close() }

    /// The step failed: upstream stops with an error instead of a normal end.
    public func abort() { channel?.abort() }
}

/// A record rejected by a step: why, and (for parse errors) where.
public struct Rejection: Error, Sendable {
    public var code: String
    public var message: String
    public var lineNumber: Int?
    public var rawLine: String?

    /// The fields `StepRun.rejectedRecord` adds to a rejected record.
    public static let carriedFields: Set = ["errorCode", "errorMessage", "errorStep", "lineNumber", "rawLine"]

    /// The record without what an error path added to it; unchanged when it came no such way.
    public static func original(of record: Record) -> Record {
        guard record.index(of: "errorStep") != nil, record.index(of: "errorCode") != nil else { return record }
        return Record(record.fields.filter { !carriedFields.contains($0.name) })
    }

    /// A raw line longer than this is cut: it goes into error files and the job's samples.
    public static let maximumRawLineBytes = 4096

    /// A line's bytes as `rawLine` shows them: cut to `maximumRawLineBytes` (before a character
    /// the cut would split), and with each byte that is not valid UTF-8 written as `\xNN`, so that
    /// the report keeps what it was.
    public static func rawLine(_ bytes: some Collection<UInt8>) -> String {
        var kept = Array(bytes.prefix(maximumRawLineBytes + 1))
        if kept.count > maximumRawLineBytes {
            var end = maximumRawLineBytes
            // Back to the first byte of the character the cut falls in (at most three bytes back).
            while end > maximumRawLineBytes - 3, kept[end] & 0xC0 == 0x80 { end -= 1 }
            kept.removeSubrange((kept[end] & 0xC0 == 0x80 ? maximumRawLineBytes : end)...)
        }
        return UTF8Escaping.showingInvalidBytes(kept)
    }

    public init(_ code: String, _ message: String, lineNumber: Int? = nil, rawLine: String? = nil) {
        self.code = code
        self.message = message
        self.lineNumber = lineNumber
        self.rawLine = rawLine
    }
}

/// Everything one step sees while it runs in one job.
public struct StepRun: Sendable {
    public let id: String
    public let type: String
    public let input: Inlet
    public let output: Outlet
    /// The `error` path; rejected records go here, or are sampled into the job when unconnected.
    public let errorOutput: Outlet
    public let metrics: StepMetrics
    public let job: JobContext

    public init(id: String, type: String, input: Inlet, output: Outlet, errorOutput: Outlet, metrics: StepMetrics, job: JobContext) {
        self.id = id
        self.type = type
        self.input = input
        self.output = output
        self.errorOutput = errorOutput
        self.metrics = metrics
        self.job = job
    }

    /// The rejected record as the error path carries it: its fields plus `errorCode`,
    /// `errorMessage`, `errorStep` and, for parse errors, `lineNumber` and `rawLine`.
    public func rejectedRecord(_ record: Record, _ rejection: Rejection) -> Record {
        var carried = record
        carried["errorCode"] = .string(rejection.code)
        carried["errorMessage"] = .string(rejection.message)
        carried["errorStep"] = .string(id)
        if let line = rejection.lineNumber { carried["lineNumber"] = .int(Int64(line)) }
        if let raw = rejection.rawLine { carried["rawLine"] = .string(raw) }
        return carried
    }

    /// Routes rejected records: down the error path when there is one, else into the job's samples.
    public func reject(_ rejected: [(Record, Rejection)]) async throws {
        guard !rejected.isEmpty else { return }
        metrics.errors.add(rejected.count)
        let records = rejected.map { rejectedRecord($0.0, $0.1) }
        if errorOutput.isConnected {
            try await errorOutput.send(.records(records))
        } else {
            for (record, rejection) in zip(records, rejected) {
                job.recordError(step: id, code: rejection.1.code, message: rejection.1.message, record: record)
            }
        }
    }

    /// Sends `sourceDone` to both paths, so writers on either commit the file's effects.
    public func sourceDone(_ file: FileInfo) async throws {
        try await output.send(.sourceDone(file))
        if errorOutput.isConnected { try await errorOutput.send(.sourceDone(file)) }
    }
}
