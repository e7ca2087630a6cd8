import DropsyncCore
import Foundation
import class GRDB.Row

/// How an import treats a UID it finds (or does not find) in the store.
public enum AccountImportPolicy: String, Sendable, Hashable, CaseIterable {
    /// Merge into the account, creating it when the UID is new.
    case upsert
    /// Create new accounts only; an existing UID is rejected with `ACCOUNT_EXISTS`.
    case insert
    /// Merge into existing accounts only; an unknown UID is rejected with `ACCOUNT_NOT_FOUND`.
    case update
}

/// What one `AccountImport.write` did with its batch.
public struct AccountWriteResult: Sendable {
    public var inserted = 0
    public var updated = 0
    /// Records that matched their stored account exactly: nothing was written.
    public var unchanged = 0
    /// The records refused, by their index in the batch.
    public var rejected: [(index: Int, rejection: Rejection)] = []

    public init() {}

    /// Records accepted: inserted, updated or found unchanged.
    public var written: Int { inserted + updated + unchanged }

    /// Adds another result's counts (rejections are not kept: their indexes belong to their batch).
    public mutating func add(_ other: AccountWriteResult) {
        inserted += other.inserted
        updated += other.updated
        unchanged += other.unchanged
    }
}

/// The embedded account store: one JSON document per `UID`, merged into by imports.
///
/// A write merges the record (minus `UID`) into the stored document — objects merge deeply,
/// `null` removes a field, arrays and scalars replace — and sets `created*` when it creates the
/// account. `lastUpdated` (ISO 8601, UTC, milliseconds) and `lastUpdatedTimestamp` (milliseconds
/// since 1970) change only when the document really changed, so re-importing a file changes
/// nothing and does not flood the next delta export.
public final class AccountStore: Sendable {
    let database: StateDatabase

    public init(database: StateDatabase) { self.database = database }

    /// Opens an import: one write transaction that stays open across many `write` calls until
    /// `commit` or `rollback`. Waits while another write holds the database.
    ///
    /// `now` stamps `created*` and `lastUpdated*` of every account the import changes.
    public func beginImport(policy: AccountImportPolicy = .upsert, now: Date = Date()) async throws -> AccountImport {
        try await AccountImport.begin(pool: database.pool, policy: policy, now: now)
    }

    /// The account `uid`: `UID`, `created`, `createdTimestamp`, `lastUpdated`,
    /// `lastUpdatedTimestamp`, then the document's fields in stored order.
    public func get(uid: String) throws -> Record? {
        try database.pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE UID = ?", arguments: [uid]) else {
                return nil
            }
            return try Self.account(row)
        }
    }

    /// How many accounts the store holds.
    public func count() throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts") ?? 0 }
    }

    /// The record's `UID` as text: a string that is not blank, or an integer; nil otherwise.
    public static func uid(of record: Record) -> String? {
        switch record["UID"] {
        case .string(let text) where text.utf8.contains(where: { !Self.isBlank($0) }): text
        case .int(let number): String(number)
        default: nil
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Whether a top-level field is one the store keeps itself: a record may not set it.
    static func isSystemField(_ name: String) -> Bool {
        switch name {
        case "created", "createdTimestamp", "lastUpdated", "lastUpdatedTimestamp": true
        default: false
        }
    }

    static func account(_ row: Row) throws -> Record {
        let uid: String = row["UID"]
        let text: String = row["doc"]
        let document: Value
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw DropsyncError("ACCOUNT_CORRUPT", "the stored document of an account is not JSON: \(error)")
        }
        let created: String = row["created"]
        let createdTimestamp: Int64 = row["createdTimestamp"]
        let lastUpdated: String = row["lastUpdated"]
        let lastUpdatedTimestamp: Int64 = row["lastUpdatedTimestamp"]
        var account = Record(reservingCapacity: 5 + (document.objectValue?.count ?? 0))
        account.appendUnchecked("UID", .string(uid))
        account.appendUnchecked("created", .string(created))
        account.appendUnchecked("createdTimestamp", .int(createdTimestamp))
        account.appendUnchecked("lastUpdated", .string(lastUpdated))
        account.appendUnchecked("lastUpdatedTimestamp", .int(lastUpdatedTimestamp))
        for field in document.objectValue?.fields ?? [] { account.appendUnchecked(field.name, field.value) }
        return account
    }
}
