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

    public func prepare(_ dataflow: CompiledDataflow, trigger: String, explicitFiles: [String]? = nil, limit: Int? = nil) async throws -> PendingJob {
        let startedAt = Date()
        let id = try await JobStore(database: database).start(dataflow: dataflow.name, trigger: trigger, startedAt: startedAt)
        var services = Services()
        services.register(accounts)
        services.register(SharedAccountImport(store: accounts))
        let context = JobContext(
            jobID: id, dataflow: dataflow.name, startedAt: startedAt, limit: limit,
            explicitFiles: explicitFiles, services: services)
        return PendingJob(dataflow: dataflow, context: context, trigger: trigger)
    }

    /// Runs the job to its end and records it; the report says how it ended.
    public func execute(_ pending: PendingJob) async throws -> JobReport {
        let report = await runner.run(pending.dataflow, job: pending.context, trigger: pending.trigger)
        // The job's outcome is recorded even when the job was cancelled: not as part of its task.
        let database = database
        try await Task.detached {
            try await JobStore(database: database).finish(report)
            let ledger = LedgerStore(database: database)
            let status: LedgerStatus = report.status == .succeeded ? .succeeded : .failed
            for file in report.files {
                try await ledger.record(file, status: status, job: report.id, contentHash: nil, error: report.failure)
            }
        }.value
        return report
    }

    public func run(_ dataflow: CompiledDataflow, trigger: String, explicitFiles: [String]? = nil, limit: Int? = nil) async throws -> JobReport {
        try await execute(await prepare(dataflow, trigger: trigger, explicitFiles: explicitFiles, limit: limit))
    }
}
