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
struct AccountBatchWriter {
    private let policy: AccountImportPolicy
    private let write: PreparedWrite
    private let exists: PreparedWrite?
    private var patch = JSONWriter()
    private var document = JSONWriter()

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

    init(_ db: Database, policy: AccountImportPolicy, now: Date) throws {
        self.policy = policy
        write = try PreparedWrite(db, sql: Self.sql(policy))
        try write.bind(4, UTCDateFormat.iso8601(now))
        try write.bind(5, now.storedMilliseconds)
        exists = policy == .update ? try PreparedWrite(db, sql: "SELECT 1 FROM accounts WHERE UID = ?1") : nil
    }

    mutating func write(_ batch: [Record]) throws -> AccountWriteResult {
        var result = AccountWriteResult()
        for (index, record) in batch.enumerated() {
            guard let uid = AccountStore.uid(of: record) else {
                result.rejected.append((index, Rejection("MISSING_UID", "the record has no UID (a non-empty string or integer)")))
                continue
            }
            try write.bind(1, uid)
            let hasNulls = writePatch(record)
            try patch.bytes.withUnsafeBufferPointer { try write.bind(2, utf8: $0) }
            if policy != .update {
                if hasNulls {
                    document.bytes.removeAll(keepingCapacity: true)
                    document.write(Self.withoutNullMembers(record, skipping: "UID"))
                    try document.bytes.withUnsafeBufferPointer { try write.bind(3, utf8: $0) }
                } else {
                    try patch.bytes.withUnsafeBufferPointer { try write.bind(3, utf8: $0) }
                }
            }
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
        return result
    }

    private func accountExists(_ uid: String) throws -> Bool {
        guard let exists else { return false }
        try exists.bind(1, uid)
        return try exists.producesRow()
    }

    /// Writes the record minus `UID` into `patch`; returns whether an object member is null.
    private mutating func writePatch(_ record: Record) -> Bool {
        patch.bytes.removeAll(keepingCapacity: true)
        patch.bytes.append(UInt8(ascii: "{"))
        var hasNulls = false
        var first = true
        for field in record.fields where field.name != "UID" {
            if !first { patch.bytes.append(UInt8(ascii: ",")) }
            first = false
            patch.writeString(field.name)
            patch.bytes.append(UInt8(ascii: ":"))
            patch.write(field.value)
            if !hasNulls { hasNulls = Self.containsNullMember(field.value) }
        }
        patch.bytes.append(UInt8(ascii: "}"))
        return hasNulls
    }

    private static func containsNullMember(_ value: Value) -> Bool {
        switch value {
        case .null: true
        case .object(let record): record.fields.contains { containsNullMember($0.value) }
        default: false
        }
    }

    /// The record with null members removed from it and its nested objects (not from arrays).
    private static func withoutNullMembers(_ record: Record, skipping skipped: String? = nil) -> Value {
        var kept = Record(reservingCapacity: record.count)
        for field in record.fields where field.name != skipped {
            switch field.value {
            case .null: continue
            case .object(let inner): kept.appendUnchecked(field.name, withoutNullMembers(inner))
            default: kept.appendUnchecked(field.name, field.value)
            }
        }
        return .object(kept)
    }
}
