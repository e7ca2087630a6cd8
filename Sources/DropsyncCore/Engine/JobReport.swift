import Foundation

public enum JobStatus: String, Sendable, Hashable, CaseIterable {
    case running, succeeded, failed, cancelled
}

/// What one step did in one job.
public struct StepReport: Sendable, Hashable {
    public var id: String
    public var type: String
    public var durationMs: Int
    /// Records in (files in, for file steps).
    public var input: Int
    /// Records out (files out, for file steps).
    public var output: Int
    public var errors: Int
    public var bytesIn: Int
    public var bytesOut: Int

    public init(id: String, type: String, durationMs: Int = 0, input: Int = 0, output: Int = 0, errors: Int = 0, bytesIn: Int = 0, bytesOut: Int = 0) {
        self.id = id
        self.type = type
        self.durationMs = durationMs
        self.input = input
        self.output = output
        self.errors = errors
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
    }
}

/// One run of a dataflow, as the history keeps it and `dropsync job ID` shows it.
public struct JobReport: Sendable, Hashable {
    public var id: String
    public var dataflow: String
    public var trigger: String
    public var status: JobStatus
    public var startedAt: Date
    public var endedAt: Date?
    /// Records the entry steps produced (read from files or the store).
    public var processed: Int
    /// Records rejected by any step.
    public var errors: Int
    public var steps: [StepReport]
    public var errorSamples: [ErrorSample]
    public var trace: [TraceLine]
    /// Why the job failed, when it did.
    public var failure: String?
    /// The failure's error code and the file it names, when the job knows them (not stored).
    public var failureCode: String?
    public var failureFile: String?
    /// The source files the job read.
    public var files: [FileInfo]

    /// The trigger a dry run (`run --dry-run`) is recorded with, so the history tells it apart.
    public static let dryRunTrigger = "dry-run"

    public var isDryRun: Bool { trigger == Self.dryRunTrigger }

    public init(
        id: String, dataflow: String, trigger: String, status: JobStatus, startedAt: Date, endedAt: Date? = nil,
        processed: Int = 0, errors: Int = 0, steps: [StepReport] = [], errorSamples: [ErrorSample] = [],
        trace: [TraceLine] = [], failure: String? = nil, files: [FileInfo] = []
    ) {
        self.id = id
        self.dataflow = dataflow
        self.trigger = trigger
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.processed = processed
        self.errors = errors
        self.steps = steps
        self.errorSamples = errorSamples
        self.trace = trace
        self.failure = failure
        self.files = files
    }
}
