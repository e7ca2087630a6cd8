import DropsyncCore
import Foundation
import GRDB

/// One version of a drop-zone file as the daemon saw it: a new size or mtime is new content.
public struct DropZoneFile: Sendable, Hashable {
    public var dataflow: String
    public var location: String
    public var path: String
    public var size: Int64
    public var modified: Double
    /// What the server says identifies this version besides size and time (S3's ETag), recorded.
    public var versionTag: String?

    public init(dataflow: String, location: String, path: String, size: Int64, modified: Double, versionTag: String? = nil) {
        self.dataflow = dataflow
        self.location = location
        self.path = path
        self.size = size
        self.modified = modified
        self.versionTag = versionTag
    }
}

/// The daemon's side of the ledger: observing files, claiming them for jobs in transactions,
/// settling them, and taking back the claims of jobs that never ended.
extension LedgerStore {
    /// Records what the daemon saw of a file (`seen` or `ready`, with the reason). A new file, or a
    /// known one with new content (size or mtime changed), starts over with no attempts; the same
    /// version already claimed or settled is left as it is. Returns the file's status after.
    @discardableResult
    public func observe(_ file: DropZoneFile, status: LedgerStatus, reason: String, at time: Date = Date()) async throws -> LedgerStatus {
        try await database.pool.write { db in
            let stored = try Row.fetchOne(
                db, sql: "SELECT status, size, mtime FROM ledger WHERE location = ? AND path = ?",
                arguments: [file.location, file.path])
            if let stored {
                let storedStatus = LedgerStatus(rawValue: stored["status"]) ?? .failed
                let sameVersion = stored["size"] as Int64? == file.size && stored["mtime"] as Double? == file.modified
                if sameVersion && (storedStatus == .claimed || storedStatus.isSettled || storedStatus == status) {
                    if storedStatus == .seen && status == .seen {
                        // The same version waits for something else now (the next poll, then `stableFor`).
                        try db.execute(
                            sql: "UPDATE ledger SET readyReason = ? WHERE location = ? AND path = ? AND readyReason IS NOT ?",
                            arguments: [reason, file.location, file.path, reason])
                    }
                    return storedStatus
                }
                try db.execute(
                    sql: """
                        UPDATE ledger SET dataflow = ?, size = ?, mtime = ?, versionTag = ?, status = ?, readyReason = ?, updatedAt = ?,
                            attempts = CASE WHEN ? THEN attempts ELSE 0 END,
                            lastError = CASE WHEN ? THEN lastError ELSE NULL END,
                            contentHash = CASE WHEN ? THEN contentHash ELSE NULL END,
                            movedTo = NULL, postActionProblem = NULL
                        WHERE location = ? AND path = ?
                        """,
                    arguments: [file.dataflow, file.size, file.modified, file.versionTag, status.rawValue, reason, time.storedMilliseconds,
                                sameVersion, sameVersion, sameVersion, file.location, file.path])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO ledger(location, path, dataflow, size, mtime, versionTag, status, attempts, firstSeen, updatedAt, readyReason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                        """,
                    arguments: [file.location, file.path, file.dataflow, file.size, file.modified, file.versionTag, status.rawValue,
                                time.storedMilliseconds, time.storedMilliseconds, reason])
            }
            return status
        }
    }

    /// Claims (for `job`, when it has an id yet) the files that are still `ready` in the same
    /// version, in one transaction; returns those it claimed (each claim counts an attempt).
    public func claim(_ files: [DropZoneFile], job: String?, at time: Date = Date()) async throws -> [DropZoneFile] {
        let jobID = try job.map(JobStore.rowID)
        return try await database.pool.write { db in
            try files.filter { file in
                try db.execute(
                    sql: """
                        UPDATE ledger SET status = 'claimed', job = ?, attempts = attempts + 1, updatedAt = ?
                        WHERE location = ? AND path = ? AND status = 'ready' AND size IS ? AND mtime IS ?
                        """,
                    arguments: [jobID, time.storedMilliseconds, file.location, file.path, file.size, file.modified])
                return db.changesCount == 1
            }
        }
    }

    /// Settles a claimed file, in the version claimed (a newer version under the same name keeps
    /// its own entry): `succeeded`, `failed` or `quarantined` (with where it was moved), or back to
    /// `ready` when its job ended before reaching it. `error` is kept as the file's
    /// last error (for a success: a note, such as why it was skipped); a success without one
    /// clears it. `job` is the job that worked on the file (the claim comes before the job has an id).
    public func settle(
        _ file: DropZoneFile, status: LedgerStatus, error: String? = nil, movedTo: String? = nil, job: String? = nil,
        at time: Date = Date()
    ) async throws {
        let jobID = try job.map(JobStore.rowID)
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE ledger SET status = ?1, updatedAt = ?2,
                        lastError = CASE WHEN ?1 = 'succeeded' AND ?3 IS NULL THEN NULL ELSE coalesce(?3, lastError) END,
                        movedTo = coalesce(?4, movedTo), job = coalesce(?9, job)
                    WHERE location = ?5 AND path = ?6 AND size IS ?7 AND mtime IS ?8
                    """,
                arguments: [
                    status.rawValue, time.storedMilliseconds, error, movedTo, file.location, file.path, file.size, file.modified,
                    jobID,
                ])
        }
    }

    /// Stores the content hash of the file's current version.
    public func recordHash(_ file: DropZoneFile, _ hash: String) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE ledger SET contentHash = ? WHERE location = ? AND path = ? AND size IS ? AND mtime IS ?",
                arguments: [hash, file.location, file.path, file.size, file.modified])
        }
    }

    /// A file of the dataflow, under another path, imported with this content hash.
    public func imported(contentHash: String, dataflow: String, besides path: String) throws -> LedgerEntry? {
        try database.pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM ledger WHERE contentHash = ? AND dataflow = ? AND path != ? AND status = 'succeeded'
                    ORDER BY updatedAt LIMIT 1
                    """,
                arguments: [contentHash, dataflow, path]
            ).map(Self.entry)
        }
    }

    /// Notes why the file's post-action failed, or (nil) that it succeeded, without changing its
    /// status or its error.
    public func notePostAction(location: String, path: String, problem: String?, at time: Date = Date()) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE ledger SET postActionProblem = ?, updatedAt = ? WHERE location = ? AND path = ?",
                arguments: [problem, time.storedMilliseconds, location, path])
        }
    }

    /// Files claimed by a job that never ended (the daemon was killed) go back to `ready`; returns them.
    public func reclaimAbandoned(at time: Date = Date()) async throws -> [LedgerEntry] {
        try await database.pool.write { db in
            let abandoned = try Row.fetchAll(db, sql: "SELECT * FROM ledger WHERE status = 'claimed'").map(Self.entry)
            try db.execute(
                sql: "UPDATE ledger SET status = 'ready', readyReason = 'reclaimed: its job never ended', updatedAt = ? WHERE status = 'claimed'",
                arguments: [time.storedMilliseconds])
            return abandoned
        }
    }

    /// Entries, most recently updated first, of one dataflow, one status and one location when given.
    public func list(dataflow: String?, status: LedgerStatus?, location: String? = nil, limit: Int) throws -> [LedgerEntry] {
        try database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM ledger WHERE (?1 IS NULL OR dataflow = ?1) AND (?2 IS NULL OR status = ?2)
                        AND (?4 IS NULL OR location = ?4)
                    ORDER BY updatedAt DESC, rowid DESC LIMIT ?3
                    """,
                arguments: [dataflow, status?.rawValue, limit, location]
            ).map(Self.entry)
        }
    }

    /// The entries of a path (any location), most recent first.
    public func entries(path: String) throws -> [LedgerEntry] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ledger WHERE path = ? ORDER BY updatedAt DESC", arguments: [path])
                .map(Self.entry)
        }
    }

    /// Makes a failed or quarantined file `ready` again with no attempts counted, for `files retry`.
    /// Returns false when its status does not allow it.
    public func requeue(location: String, path: String, at time: Date = Date()) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE ledger SET status = 'ready', attempts = 0, readyReason = 'retry requested', movedTo = NULL, postActionProblem = NULL, updatedAt = ?
                    WHERE location = ? AND path = ? AND status IN ('failed', 'quarantined')
                    """,
                arguments: [time.storedMilliseconds, location, path])
            return db.changesCount == 1
        }
    }
}
