import DropsyncCore
import DropsyncEngine
import DropsyncStore
import Foundation

/// Runs jobs with their state: opens the job in the history, hands the engine the services the
/// components need, then records the outcome in the history and (for `dropsync run`) the ledger.
///
/// `dropsync run` and the daemon both start jobs through here.
public struct JobExecutor: Sendable {
    public let database: StateDatabase
    public let accounts: AccountStore
    public var runner = JobRunner()

    public init(database: StateDatabase) {
        self.database = database
        accounts = AccountStore(database: database)
    }

    /// A job that has an id and a context but has not run yet (so a caller can watch its progress).
    public struct PendingJob: Sendable {
        public let dataflow: CompiledDataflow
        public let context: JobContext
        public let trigger: String
        /// Whether `execute` records the job's files in the ledger (`dropsync run`); the daemon
        /// settles the files it claimed itself.
        public let recordsFiles: Bool
    }

    /// Opens the job in the history. A dry run is recorded with the trigger `dry-run`.
    public func prepare(
        _ dataflow: CompiledDataflow, trigger: String, explicitFiles: [String]? = nil, limit: Int? = nil, dryRun: Bool = false,
        recordsFiles: Bool = true
    ) async throws -> PendingJob {
        let trigger = dryRun ? JobReport.dryRunTrigger : trigger
        let startedAt = Date()
        let id = try await JobStore(database: database).start(dataflow: dataflow.name, trigger: trigger, startedAt: startedAt)
        var services = Services()
        services.register(accounts)
        let writers = dataflow.steps.filter { $0.spec.type == SharedAccountImport.writerType }.count
        services.register(SharedAccountImport(store: accounts, writers: writers, dryRun: dryRun))
        let context = JobContext(
            jobID: id, dataflow: dataflow.name, startedAt: startedAt, limit: limit,
            explicitFiles: explicitFiles, dryRun: dryRun, services: services)
        return PendingJob(dataflow: dataflow, context: context, trigger: trigger, recordsFiles: recordsFiles)
    }

    /// Runs the job to its end and records it; the report says how it ended.
    public func execute(_ pending: PendingJob) async throws -> JobReport {
        let report = await runner.run(pending.dataflow, job: pending.context, trigger: pending.trigger)
        // The job's outcome is recorded even when the job was cancelled: not as part of its task.
        let database = database
        try await Task.detached {
            let context = pending.context
            let testRun = context.limit.isLimited || context.dryRun
            try await JobStore(database: database).finish(report, testRun: testRun)
            if pending.recordsFiles { try await recordOutcome(report, committed: context.committedSources, testRun: testRun) }
        }.value
        return report
    }

    /// What became of each file the job read, by the daemon's rule (`FileOutcome`): succeeded
    /// with the job, or on its own when its writes were committed before a later file failed the
    /// job; failed when the failure is its own (or names no file), and `ready` again, with the
    /// error, when that failure is worth another try (the daemon then tries it as it would its
    /// own); left alone when the job ended before processing it. Each file is recorded with the
    /// dataflow. A test run (`--limit`, `--dry-run`) leaves the ledger alone: it did not process
    /// its files.
    private func recordOutcome(_ report: JobReport, committed: Set<FileInfo>, testRun: Bool) async throws {
        guard !testRun else { return }
        let ledger = LedgerStore(database: database)
        let judge = FileOutcome.Judge(report, files: report.files.map(\.path), committed: committed)
        for file in report.files {
            let status: LedgerStatus
            switch judge.outcome(of: file.path) {
            case .succeeded: status = .succeeded
            case .failed: status = judge.failureIsTransient ? .ready : .failed
            case .unread, .notReached: continue
            }
            try await ledger.record(
                file, dataflow: report.dataflow, status: status, job: report.id, contentHash: nil,
                error: status == .succeeded ? nil : report.failure)
        }
    }

    public func run(
        _ dataflow: CompiledDataflow, trigger: String, explicitFiles: [String]? = nil, limit: Int? = nil, dryRun: Bool = false
    ) async throws -> JobReport {
        try await execute(await prepare(dataflow, trigger: trigger, explicitFiles: explicitFiles, limit: limit, dryRun: dryRun))
    }
}
