import Foundation
import Synchronization

/// One rejected record or failure kept with the job (the first `samplesPerStep` of each step).
public struct ErrorSample: Sendable, Hashable {
    public var step: String
    public var code: String
    public var message: String
    public var record: Record?

    public init(step: String, code: String, message: String, record: Record? = nil) {
        self.step = step
        self.code = code
        self.message = message
        self.record = record
    }
}

/// One line of a job's trace.
public struct TraceLine: Sendable, Hashable {
    public enum Level: String, Sendable { case debug, info, warning, error }
    public var time: Date
    public var level: Level
    public var step: String?
    public var message: String

    public init(time: Date = Date(), level: Level, step: String?, message: String) {
        self.time = time
        self.level = level
        self.step = step
        self.message = message
    }
}

/// A shared, thread-safe remaining-records budget for `--limit N` test runs.
public final class RecordLimit: Sendable {
    private let remaining: Mutex<Int?>

    public init(_ limit: Int?) { remaining = Mutex(limit) }

    /// How many of `wanted` records may still be produced (all of them without a limit).
    public func take(_ wanted: Int) -> Int {
        remaining.withLock { remaining in
            guard let left = remaining else { return wanted }
            let granted = min(left, wanted)
            remaining = left - granted
            return granted
        }
    }

    /// Takes one record, for a parser that stops at the last one it may produce: whether it was
    /// granted, and whether it was the last.
    public func takeOne() -> (granted: Bool, last: Bool) {
        remaining.withLock { remaining in
            guard let left = remaining else { return (true, false) }
            guard left > 0 else { return (false, true) }
            remaining = left - 1
            return (true, left == 1)
        }
    }

    public var isExhausted: Bool { remaining.withLock { $0 == 0 } }

    /// Whether this is a test run with a limit at all.
    public var isLimited: Bool { remaining.withLock { $0 != nil } }
}

/// Services a component needs from outside core (the account store, …), looked up by type.
public struct Services: Sendable {
    private var entries: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public mutating func register<Service: Sendable>(_ service: Service, as type: Service.Type = Service.self) {
        entries[ObjectIdentifier(type)] = service
    }

    public func resolve<Service>(_ type: Service.Type) throws(DropsyncError) -> Service {
        guard let service = entries[ObjectIdentifier(type)] as? Service else {
            throw DropsyncError("SERVICE_MISSING", "\(type) is not available in this job")
        }
        return service
    }
}

/// What every step of one job shares: identity, options, services, and the job's error samples,
/// trace and progress.
public final class JobContext: Sendable {
    public static let samplesPerStep = 100
    public static let maximumTraceLines = 1000

    public let jobID: String
    public let dataflow: String
    public let startedAt: Date
    public let limit: RecordLimit
    /// Files named on the command line (`run --file`): entry readers read these instead of listing.
    public let explicitFiles: [String]?
    /// A dry run (`run --dry-run`) goes through every step but commits nothing: account writes
    /// roll back, file writers write nothing, and the receipts in the trace say what would change.
    public let dryRun: Bool
    public let services: Services

    /// Bytes the readers have read, of `totalBytes` they plan to read; records written so far.
    public let bytesRead = Atomic<Int>(0)
    public let totalBytes = Atomic<Int>(0)
    public let recordsWritten = Atomic<Int>(0)

    private struct Journal {
        var samples: [ErrorSample] = []
        var samplesByStep: [String: Int] = [:]
        var trace: [TraceLine] = []
        var droppedTraceLines = 0
        var processedSources: [FileInfo] = []
        var committedSources: Set<FileInfo> = []
        var unreadableSource: DropsyncError?
    }
    private let journal = Mutex(Journal())

    public init(
        jobID: String, dataflow: String, startedAt: Date = Date(), limit: Int? = nil,
        explicitFiles: [String]? = nil, dryRun: Bool = false, services: Services = Services()
    ) {
        self.jobID = jobID
        self.dataflow = dataflow
        self.startedAt = startedAt
        self.limit = RecordLimit(limit)
        self.explicitFiles = explicitFiles
        self.dryRun = dryRun
        self.services = services
    }

    /// The values macros (`${now}`, `${jobId}`) expand to in this job.
    public var macros: MacroContext { MacroContext(now: startedAt, jobID: jobID) }

    public func recordError(step: String, code: String, message: String, record: Record? = nil) {
        journal.withLock { journal in
            let kept = journal.samplesByStep[step, default: 0]
            guard kept < Self.samplesPerStep else { return }
            journal.samplesByStep[step] = kept + 1
            journal.samples.append(ErrorSample(step: step, code: code, message: message, record: record))
        }
    }

    public func trace(_ level: TraceLine.Level, _ message: String, step: String? = nil) {
        journal.withLock { journal in
            guard journal.trace.count < Self.maximumTraceLines else {
                journal.droppedTraceLines += 1
                return
            }
            journal.trace.append(TraceLine(level: level, step: step, message: message))
        }
    }

    /// A reader calls this for every file it hands downstream.
    public func sourceStarted(_ file: FileInfo) {
        journal.withLock { $0.processedSources.append(file) }
    }

    /// A writer calls this once a source file's effects are committed (before the job ends).
    public func sourceCommitted(_ file: FileInfo) {
        journal.withLock { _ = $0.committedSources.insert(file) }
    }

    public var committedSources: Set<FileInfo> { journal.withLock { $0.committedSources } }

    /// A reader that cannot open a file stops there and calls this (it counts the file as
    /// started): the files it sent before still go through the dataflow, and their writers commit
    /// them; then the job fails with `error`, which names the file.
    public func sourceUnreadable(_ file: FileInfo, _ error: DropsyncError) {
        let error = error.concerning(file: file.path)
        // Traced, as another step's failure while the earlier files drain would be reported instead.
        trace(.error, "cannot read \(file.path): \(error)", step: error.step)
        journal.withLock { journal in
            journal.processedSources.append(file)
            if journal.unreadableSource == nil { journal.unreadableSource = error }
        }
    }

    /// The failure `sourceUnreadable` left for the end of the job.
    public var unreadableSource: DropsyncError? { journal.withLock { $0.unreadableSource } }

    public var errorSamples: [ErrorSample] { journal.withLock { $0.samples } }
    public var traceLines: [TraceLine] { journal.withLock { $0.trace } }
    public var sources: [FileInfo] { journal.withLock { $0.processedSources } }
}
