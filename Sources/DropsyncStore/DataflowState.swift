import Foundation
import GRDB

/// What the scheduler remembers about one dataflow.
public struct DataflowState: Sendable, Hashable {
    public var dataflow: String
    /// The start time of the last succeeded job: a delta export takes what changed since then.
    public var lastRuntime: Date?
    /// The id of the last succeeded job.
    public var lastJob: String?
    /// When the schedule next fires.
    public var nextRun: Date?

    public init(dataflow: String, lastRuntime: Date? = nil, lastJob: String? = nil, nextRun: Date? = nil) {
        self.dataflow = dataflow
        self.lastRuntime = lastRuntime
        self.lastJob = lastJob
        self.nextRun = nextRun
    }
}

extension JobStore {
    /// The stored state of one dataflow, or nil when it never ran nor was scheduled.
    public func state(dataflow: String) throws -> DataflowState? {
        try database.pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM dataflow_state WHERE dataflow = ?", arguments: [dataflow])
            else { return nil }
            let lastRuntime: Int64? = row["lastRuntime"]
            let lastJob: Int64? = row["lastJob"]
            let nextRun: Int64? = row["nextRun"]
            return DataflowState(
                dataflow: dataflow, lastRuntime: lastRuntime.map(Date.init(storedMilliseconds:)),
                lastJob: lastJob.map { String($0) }, nextRun: nextRun.map(Date.init(storedMilliseconds:)))
        }
    }

    /// Remembers when the dataflow's schedule next fires (nil: not scheduled).
    public func setNextRun(_ date: Date?, dataflow: String) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO dataflow_state(dataflow, nextRun) VALUES (?, ?)
                    ON CONFLICT(dataflow) DO UPDATE SET nextRun = excluded.nextRun
                    """,
                arguments: [dataflow, date?.storedMilliseconds])
        }
    }
}
