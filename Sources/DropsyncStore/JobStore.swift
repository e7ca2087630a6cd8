import DropsyncCore
import Foundation
import GRDB

/// The job history: one row per job, with its steps' metrics, error samples, trace and files.
///
/// Writes are `async`: they wait for the single writer connection (which an open account import
/// may hold for a while) without blocking a thread of Swift's cooperative pool.
public struct JobStore: Sendable {
    let database: StateDatabase

    public init(database: StateDatabase) { self.database = database }

    /// Records a new `running` job and returns its id (a decimal number).
    public func start(dataflow: String, trigger: String, startedAt: Date) async throws -> String {
        let id = try await database.pool.write { db in
            try db.execute(
                sql: "INSERT INTO jobs(dataflow, trigger, status, startedAt) VALUES (?, ?, ?, ?)",
                arguments: [dataflow, trigger, JobStatus.running.rawValue, startedAt.storedMilliseconds])
            return db.lastInsertedRowID
        }
        return String(id)
    }

    /// Stores how the job ended, in one transaction: status, times, counts and failure, then its
    /// steps, error samples, trace and files (replacing any stored before). A succeeded job
    /// becomes its dataflow's `lastRuntime` (its start time) and `lastJob`, unless it was a test
    /// run (`--limit`, `--dry-run`: `testRun`), which must not move a delta export's window.
    public func finish(_ report: JobReport, testRun: Bool = false) async throws {
        let id = try Self.rowID(report.id)
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET status = ?, startedAt = ?, endedAt = ?, processed = ?, errors = ?, failure = ?
                    WHERE id = ?
                    """,
                arguments: [
                    report.status.rawValue, report.startedAt.storedMilliseconds, report.endedAt?.storedMilliseconds,
                    report.processed, report.errors, report.failure, id,
                ])
            guard db.changesCount == 1 else {
                throw DropsyncError("JOB_NOT_FOUND", "job \(report.id) was never started")
            }
            for table in ["job_steps", "job_errors", "job_trace", "job_files"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE job = ?", arguments: [id])
            }
            try insertSteps(report.steps, job: id, db)
            try insertErrorSamples(report.errorSamples, job: id, db)
            try insertTrace(report.trace, job: id, db)
            try insertFiles(report.files, job: id, db)
            if report.status == .succeeded && !testRun {
                try db.execute(
                    sql: """
                        INSERT INTO dataflow_state(dataflow, lastRuntime, lastJob) VALUES (?, ?, ?)
                        ON CONFLICT(dataflow) DO UPDATE SET lastRuntime = excluded.lastRuntime, lastJob = excluded.lastJob
                        """,
                    arguments: [report.dataflow, report.startedAt.storedMilliseconds, id])
            }
        }
    }

    /// Jobs newest first, of one dataflow or of all; steps, samples, trace and files are left empty.
    public func list(dataflow: String? = nil, limit: Int) throws -> [JobReport] {
        try database.pool.read { db in
            let rows: [Row]
            if let dataflow {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM jobs WHERE dataflow = ? ORDER BY id DESC LIMIT ?", arguments: [dataflow, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return rows.map(Self.job)
        }
    }

    /// Everything stored about one job, or nil when there is no such job.
    public func report(id: String) throws -> JobReport? {
        guard let rowID = Int64(id) else { return nil }
        return try database.pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [rowID]) else {
                return nil
            }
            var report = Self.job(row)
            report.steps = try Row.fetchAll(
                db, sql: "SELECT * FROM job_steps WHERE job = ? ORDER BY position", arguments: [rowID]
            ).map { row in
                StepReport(
                    id: row["stepId"], type: row["type"], durationMs: row["durationMs"], input: row["input"],
                    output: row["output"], errors: row["errors"], bytesIn: row["bytesIn"], bytesOut: row["bytesOut"])
            }
            report.errorSamples = try Row.fetchAll(
                db, sql: "SELECT * FROM job_errors WHERE job = ? ORDER BY rowid", arguments: [rowID]
            ).map { row in
                let recordText: String? = row["record"]
                return ErrorSample(
                    step: row["step"], code: row["code"], message: row["message"],
                    record: recordText.flatMap { try? JSONParser.parse($0).objectValue })
            }
            report.trace = try Row.fetchAll(
                db, sql: "SELECT * FROM job_trace WHERE job = ? ORDER BY rowid", arguments: [rowID]
            ).map { row in
                let level: String = row["level"]
                return TraceLine(
                    time: Date(storedMilliseconds: row["time"]), level: TraceLine.Level(rawValue: level) ?? .info,
                    step: row["step"], message: row["message"])
            }
            report.files = try Row.fetchAll(
                db, sql: "SELECT * FROM job_files WHERE job = ? ORDER BY position", arguments: [rowID]
            ).map { row in
                FileInfo(name: row["name"], path: row["path"], location: row["location"], size: row["size"], modified: row["modified"])
            }
            return report
        }
    }

    /// Marks jobs still `running` (their process died) as failed; returns how many there were.
    public func failInterruptedJobs(endedAt: Date, reason: String) async throws -> Int {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE jobs SET status = ?, endedAt = ?, failure = ? WHERE status = ?",
                arguments: [JobStatus.failed.rawValue, endedAt.storedMilliseconds, reason, JobStatus.running.rawValue])
            return db.changesCount
        }
    }

    static func rowID(_ id: String) throws -> Int64 {
        guard let rowID = Int64(id) else { throw DropsyncError("JOB_NOT_FOUND", "'\(id)' is not a job id") }
        return rowID
    }

    private static func job(_ row: Row) -> JobReport {
        let id: Int64 = row["id"]
        let status: String = row["status"]
        let endedAt: Int64? = row["endedAt"]
        return JobReport(
            id: String(id), dataflow: row["dataflow"], trigger: row["trigger"], status: JobStatus(rawValue: status) ?? .failed,
            startedAt: Date(storedMilliseconds: row["startedAt"]), endedAt: endedAt.map(Date.init(storedMilliseconds:)),
            processed: row["processed"], errors: row["errors"], failure: row["failure"])
    }

    private func insertSteps(_ steps: [StepReport], job: Int64, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO job_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (position, step) in steps.enumerated() {
            try statement.execute(arguments: [
                job, position, step.id, step.type, step.durationMs, step.input, step.output, step.errors,
                step.bytesIn, step.bytesOut,
            ])
        }
    }

    private func insertErrorSamples(_ samples: [ErrorSample], job: Int64, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO job_errors(job, step, code, message, record) VALUES (?, ?, ?, ?, ?)")
        for sample in samples {
            let record = sample.record.map { JSONWriter.string(.object($0)) }
            try statement.execute(arguments: [job, sample.step, sample.code, sample.message, record])
        }
    }

    private func insertTrace(_ lines: [TraceLine], job: Int64, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO job_trace(job, time, level, step, message) VALUES (?, ?, ?, ?, ?)")
        for line in lines {
            try statement.execute(arguments: [job, line.time.storedMilliseconds, line.level.rawValue, line.step, line.message])
        }
    }

    private func insertFiles(_ files: [FileInfo], job: Int64, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO job_files VALUES (?, ?, ?, ?, ?, ?, ?)")
        for (position, file) in files.enumerated() {
            try statement.execute(arguments: [job, position, file.name, file.path, file.location, file.size, file.modified])
        }
    }
}
