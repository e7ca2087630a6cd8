import DropsyncCore
import Foundation
import class GRDB.Database

/// Writes batches of account records inside an open transaction: one prepared statement per
/// import, the merge done by SQLite's `json_patch` (RFC 7396: objects merge deeply, `null`
/// removes a member, arrays and scalars replace).
///
/// Each record becomes a patch (the record minus `UID`, written compactly by `JSONWriter`). A new
/// account stores the patch without its null members — exactly what `json_patch('{}', patch)`
/// gives, without asking SQLite to parse it. An existing account is rewritten, and its
/// `lastUpdated*` bumped, only when `json_patch(doc, patch)` differs from the stored text: the
/// stored document is always `json_patch`'s own compact rendering, so equal documents compare
/// equal as text.
///
/// Upserts first try `insertRun` accounts at a time as new, in one statement (`INSERT OR
/// IGNORE`): executing a statement per row costs SQLite about as much as the insert itself. When
/// some of a run exist already, the run goes through the one-row upsert as well, which leaves the
/// accounts just inserted unchanged (their document is the patch applied to nothing) and merges
/// the others in order.
struct AccountBatchWriter {
    private let policy: AccountImportPolicy
    private let write: PreparedWrite
    private let exists: PreparedWrite?
    /// The upsert's multi-row insert of new accounts; nil for the other policies.
    private let insertMany: PreparedWrite?

    /// Accounts per multi-row insert.
    static let insertRun = 32

    /// Parameters: ?1 UID, ?2 patch, ?3 new document, ?4 time as text, ?5 time in milliseconds.
    private static func sql(_ policy: AccountImportPolicy) -> String {
        let insert = """
            INSERT INTO accounts(UID, doc, created, createdTimestamp, lastUpdated, lastUpdatedTimestamp)
            VALUES (?1, ?3, ?4, ?5, ?4, ?5)
            """
        switch policy {
        case .upsert:
            return insert + """
                 ON CONFLICT(UID) DO UPDATE SET doc = json_patch(doc, ?2), lastUpdated = ?4, lastUpdatedTimestamp = ?5
                WHERE json_patch(doc, ?2) IS NOT doc
                """
        case .insert:
            return insert + " ON CONFLICT(UID) DO NOTHING"
        case .update:
            return """
                UPDATE accounts SET doc = json_patch(doc, ?2), lastUpdated = ?4, lastUpdatedTimestamp = ?5
                WHERE UID = ?1 AND json_patch(doc, ?2) IS NOT doc
                """
        }
    }

    /// Parameters: ?1, ?2 the first account's UID and document, ?3, ?4 the second's, …; then the
    /// time as text and in milliseconds.
    ///
    /// `OR IGNORE` rather than `ON CONFLICT(UID) DO NOTHING`: the same here (every column is bound
    /// non-null, so the UID is the only constraint a row can meet), but a statement that can no
    /// longer abort half-way needs no statement journal. With one, SQLite copied the pages each
    /// statement touched into a temporary file first: four times the writes of the import itself.
    private static let insertManySQL: String = {
        let time = 2 * insertRun + 1
        let rows = (0..<insertRun).map { "(?\(2 * $0 + 1), ?\(2 * $0 + 2), ?\(time), ?\(time + 1), ?\(time), ?\(time + 1))" }
        return "INSERT OR IGNORE INTO accounts(UID, doc, created, createdTimestamp, lastUpdated, lastUpdatedTimestamp) VALUES "
            + rows.joined(separator: ", ")
    }()

    init(_ db: Database, policy: AccountImportPolicy, now: Date) throws {
        self.policy = policy
        write = try PreparedWrite(db, sql: Self.sql(policy))
        try write.bind(4, UTCDateFormat.iso8601(now))
        try write.bind(5, now.storedMilliseconds)
        exists = policy == .update ? try PreparedWrite(db, sql: "SELECT 1 FROM accounts WHERE UID = ?1") : nil
        if policy == .upsert {
            let insertMany = try PreparedWrite(db, sql: Self.insertManySQL)
            try insertMany.bind(Int32(2 * Self.insertRun + 1), UTCDateFormat.iso8601(now))
            try insertMany.bind(Int32(2 * Self.insertRun + 2), now.storedMilliseconds)
            self.insertMany = insertMany
        } else {
            insertMany = nil
        }
    }

    func write(_ batch: AccountPatches) throws -> AccountWriteResult {
        var result = AccountWriteResult()
        try batch.bytes.withUnsafeBufferPointer { bytes in
            var run: [(index: Int, entry: AccountPatches.Entry)] = []
            for (index, planned) in batch.entries.enumerated() {
                let entry: AccountPatches.Entry
                switch planned {
                case .write(let account): entry = account
                case .reject(let rejection):
                    result.rejected.append((index, rejection))
                    continue
                }
                guard let insertMany else {
                    try writeOne(index, entry, bytes, into: &result)
                    continue
                }
                run.append((index, entry))
                if run.count == Self.insertRun {
                    try writeRun(run, with: insertMany, bytes, into: &result)
                    run.removeAll(keepingCapacity: true)
                }
            }
            for (index, entry) in run { try writeOne(index, entry, bytes, into: &result) }
        }
        return result
    }

    /// Inserts a run of accounts as new; when some exist already, upserts the whole run one by one
    /// (the ones just inserted come out unchanged and are counted as inserted).
    private func writeRun(
        _ run: [(index: Int, entry: AccountPatches.Entry)], with insertMany: PreparedWrite, _ bytes: UnsafeBufferPointer<UInt8>,
        into result: inout AccountWriteResult
    ) throws {
        for (position, (_, entry)) in run.enumerated() {
            // The batch's bytes outlive each execution: SQLite reads them in place.
            try insertMany.bind(Int32(2 * position + 1), borrowing: UnsafeBufferPointer(rebasing: bytes[entry.uidBytes]))
            try insertMany.bind(Int32(2 * position + 2), borrowing: UnsafeBufferPointer(rebasing: bytes[entry.document ?? entry.patch]))
        }
        let inserted = try insertMany.execute()
        result.inserted += inserted
        guard inserted < run.count else { return }
        var merged = AccountWriteResult()
        for (index, entry) in run { try writeOne(index, entry, bytes, into: &merged) }
        result.updated += merged.updated
        result.unchanged += merged.unchanged - inserted
    }

    /// Writes one account with the policy's one-row statement.
    private func writeOne(
        _ index: Int, _ entry: AccountPatches.Entry, _ bytes: UnsafeBufferPointer<UInt8>, into result: inout AccountWriteResult
    ) throws {
        try write.bind(1, borrowing: UnsafeBufferPointer(rebasing: bytes[entry.uidBytes]))
        try write.bind(2, borrowing: UnsafeBufferPointer(rebasing: bytes[entry.patch]))
        if policy != .update {
            try write.bind(3, borrowing: UnsafeBufferPointer(rebasing: bytes[entry.document ?? entry.patch]))
        }
        try execute(entry.uid, index, into: &result)
    }

    /// Runs the bound statement for one account and counts what it did.
    private func execute(_ uid: String, _ index: Int, into result: inout AccountWriteResult) throws {
        let changed = try write.execute() > 0
        switch policy {
        case .upsert:
            if !changed { result.unchanged += 1 } else if write.insertedRow { result.inserted += 1 } else { result.updated += 1 }
        case .insert:
            if changed {
                result.inserted += 1
            } else {
                result.rejected.append((index, Rejection("ACCOUNT_EXISTS", "an account with this UID already exists")))
            }
        case .update:
            if changed {
                result.updated += 1
            } else if try accountExists(uid) {
                result.unchanged += 1
            } else {
                result.rejected.append((index, Rejection("ACCOUNT_NOT_FOUND", "no account has this UID")))
            }
        }
    }

    private func accountExists(_ uid: String) throws -> Bool {
        guard let exists else { return false }
        try exists.bind(1, uid)
        return try exists.producesRow()
    }
}
