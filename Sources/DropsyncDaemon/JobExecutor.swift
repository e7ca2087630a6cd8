import DropsyncCore
import DropsyncEngine
import DropsyncStore
import Foundation

/// Runs jobs with their state: opens the job in the history, hands the engine the services the
/// components need, then records the outcome in the history and the ledger.
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
    }

    /// Opens the job in the history. A dry run is recorded with the trigger `dry-run`.
    public func prepare(
        _ dataflow: CompiledDataflow, trigger: String, explicitFiles: [String]? = nil, limit: Int? = nil, dryRun: Bool = false
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
        return PendingJob(dataflow: dataflow, context: context, trigger: trigger)
    }

    /// Runs the job to its end and records it; the report says how it ended.
    public func execute(_ pending: PendingJob) async throws -> JobReport {
        let report = await runner.run(pending.dataflow, job: pending.context, trigger: pending.trigger)
        // The job's outcome is recorded even when the job was cancelled: not as part of its task.
        let database = database
        try await Task.detached {
            try await JobStore(database: database).finish(report)
            let context = pending.context
            try await recordOutcome(report, committed: context.committedSources, testRun: context.limit.isLimited || context.dryRun)
        }.value
        return report
    }

    /// What became of each file the job read: succeeded with the job, or on its own when its
    /// writes were committed before a later file failed the job; failed otherwise. A test run
    /// (`--limit`, `--dry-run`) and a cancelled job leave the ledger alone: they did not process
    /// their files.
    private func recordOutcome(_ report: JobReport, committed: Set<FileInfo>, testRun: Bool) async throws {
        guard !testRun, report.status != .cancelled else { return }
        let ledger = LedgerStore(database: database)
        for file in report.files {
            let succeeded = report.status == .succeeded || committed.contains(file)
            try await ledger.record(
                file, status: succeeded ? .succeeded : .failed, job: report.id, contentHash: nil,
                error: succeeded ? nil : report.failure)
        }
    }

    public func run(
        _ dataflow: CompiledDataflow, trigger: String, explicitFiles: [String]? = nil, limit: Int? = nil, dryRun: Bool = false
    ) async throws -> JobReport {
        try await execute(await prepare(dataflow, trigger: trigger, explicitFiles: explicitFiles, limit: limit, dryRun: dryRun))
    }
}
