import DropsyncCore
import Foundation
import GRDB

/// Where a file stands in its lifecycle: seen → ready → claimed (a job reads it) → succeeded |
/// failed | quarantined.
public enum LedgerStatus: String, Sendable, Hashable, CaseIterable {
    case seen, ready, claimed, succeeded, failed, quarantined

    /// The job is over for this version of the file.
    public var isSettled: Bool { self == .succeeded || self == .failed || self == .quarantined }
}

/// What the ledger remembers about one file of one drop zone.
public struct LedgerEntry: Sendable, Hashable {
    public var location: String
    public var path: String
    public var size: Int64?
    public var modified: Double?
    public var contentHash: String?
    /// The server's tag of the version (S3's ETag), where it gives one.
    public var versionTag: String?
    public var status: LedgerStatus
    /// How many times the file was claimed for processing.
    public var attempts: Int
    /// The last job that worked on the file.
    public var job: String?
    public var firstSeen: Date
    public var updatedAt: Date
    public var lastError: String?
    /// Why the file was judged ready (age, stable size, done marker, …), or what it waits for.
    public var readyReason: String?
    /// The dataflow whose drop zone holds the file, or whose `run` read it.
    public var dataflow: String?
    /// Where a post-action moved the file (archive, quarantine).
    public var movedTo: String?
    /// Why the file's post-action (archive, delete, quarantine) failed; nil once it succeeded.
    /// Kept apart from `lastError`, which stays the job's reason.
    public var postActionProblem: String?
}

/// The ledger: every file a reader has seen and what became of it, keyed by location and path.
public struct LedgerStore: Sendable {
    let database: StateDatabase

    public init(database: StateDatabase) { self.database = database }

    /// Records the file's new status, creating its entry when first seen.
    ///
    /// Size and mtime follow the file; `dataflow`, `job`, `contentHash` and `readyReason` keep
    /// their stored value when nil; `error` becomes `lastError` (a success clears it). `attempts` grows by one
    /// each time the file is `claimed`.
    ///
    /// An entry the daemon is working on (`seen`, `ready`, `claimed`) for a newer version of the
    /// file than `file` (a later mtime) is left alone: a new delivery under the same name that
    /// arrived while a job read the old one must not take that job's outcome, or it would never
    /// be imported.
    public func record(
        _ file: FileInfo, dataflow: String? = nil, status: LedgerStatus, job: String?, contentHash: String?, error: String?,
        readyReason: String? = nil, at time: Date = Date()
    ) async throws {
        let jobID = try job.map(JobStore.rowID)
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO ledger(location, path, size, mtime, contentHash, status, attempts, job, firstSeen,
                        updatedAt, lastError, readyReason, dataflow)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)
                    ON CONFLICT(location, path) DO UPDATE SET
                        dataflow = coalesce(excluded.dataflow, dataflow),
                        size = coalesce(excluded.size, size),
                        mtime = coalesce(excluded.mtime, mtime),
                        contentHash = coalesce(excluded.contentHash, contentHash),
                        status = excluded.status,
                        attempts = attempts + excluded.attempts,
                        job = coalesce(excluded.job, job),
                        updatedAt = excluded.updatedAt,
                        lastError = CASE WHEN excluded.status = 'succeeded' THEN NULL
                                         ELSE coalesce(excluded.lastError, lastError) END,
                        readyReason = coalesce(excluded.readyReason, readyReason)
                    WHERE ledger.status NOT IN ('seen', 'ready', 'claimed') OR excluded.mtime IS NULL OR ledger.mtime IS NULL
                        OR ledger.mtime <= excluded.mtime
                    """,
                arguments: [
                    file.location, file.path, file.size, file.modified, contentHash, status.rawValue,
                    status == .claimed ? 1 : 0, jobID, time.storedMilliseconds, error, readyReason, dataflow,
                ])
        }
    }

    /// The entry of one file, or nil when the ledger has never seen it.
    public func entry(location: String, path: String) throws -> LedgerEntry? {
        try database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM ledger WHERE location = ? AND path = ?", arguments: [location, path]
            ).map(Self.entry)
        }
    }

    static func entry(_ row: Row) -> LedgerEntry {
        let status: String = row["status"]
        let job: Int64? = row["job"]
        return LedgerEntry(
            location: row["location"], path: row["path"], size: row["size"], modified: row["mtime"],
            contentHash: row["contentHash"], versionTag: row["versionTag"], status: LedgerStatus(rawValue: status) ?? .failed,
            attempts: row["attempts"], job: job.map { String($0) },
            firstSeen: Date(storedMilliseconds: row["firstSeen"]), updatedAt: Date(storedMilliseconds: row["updatedAt"]),
            lastError: row["lastError"], readyReason: row["readyReason"], dataflow: row["dataflow"], movedTo: row["movedTo"],
            postActionProblem: row["postActionProblem"])
    }
}
