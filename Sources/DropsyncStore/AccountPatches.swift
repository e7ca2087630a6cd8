import DropsyncCore

/// A batch of account records encoded for the store: each record's `UID` and its merge patch
/// (the record minus `UID`, compact JSON), all in one byte buffer that SQLite binds in place.
///
/// Encoding is pure Swift work, so a writer does it on its own thread while the store's thread
/// executes the previous batch. A patch with null members (which remove fields of an existing
/// account) also carries the document a new account gets: the patch without them — exactly what
/// `json_patch('{}', patch)` gives, without asking SQLite to parse it.
public struct AccountPatches: Sendable {
    /// What the batch holds for one record: an account to write, or why the store cannot take it.
    enum Planned: Sendable {
        case write(Entry)
        case reject(Rejection)
    }

    struct Entry: Sendable {
        var uid: String
        /// The UID's UTF-8 bytes.
        var uidBytes: Range<Int>
        var patch: Range<Int>
        /// Where the new-account document differs from the patch; nil when they are the same.
        var document: Range<Int>?
    }

    private(set) var entries: [Planned] = []
    private(set) var bytes: [UInt8] = []

    public init(_ batch: [Record]) {
        entries.reserveCapacity(batch.count)
        var writer = JSONWriter()
        writer.bytes.reserveCapacity(batch.count * 160)
        for record in batch {
            let uid: String
            switch Self.accountUID(record) {
            case .success(let found):
                uid = found
            case .failure(let rejection):
                entries.append(.reject(rejection))
                continue
            }
            let uidStart = writer.bytes.count
            writer.bytes.append(contentsOf: uid.utf8)
            let patchStart = writer.bytes.count
            let hasNullMember = writer.writeObject(record, skipping: "UID")
            let patch = patchStart..<writer.bytes.count
            var document: Range<Int>?
            if hasNullMember {
                writer.writeObject(record, skipping: "UID", omittingNullMembers: true)
                document = patch.upperBound..<writer.bytes.count
            }
            entries.append(.write(Entry(uid: uid, uidBytes: uidStart..<patchStart, patch: patch, document: document)))
        }
        bytes = writer.bytes
    }

    public var count: Int { entries.count }

    /// The record's UID, or why the store cannot take the record.
    static func accountUID(_ record: Record) -> Result<String, Rejection> {
        guard let uid = AccountStore.uid(of: record) else {
            return .failure(Rejection("MISSING_UID", "the record has no UID (a non-blank string or integer)"))
        }
        if let field = record.fields.first(where: { AccountStore.isSystemField($0.name) }) {
            return .failure(Rejection(
                "RESERVED_FIELD", "the record sets \(field.name), which the store keeps itself; rename the field (into data.\(field.name), say)"))
        }
        return .success(uid)
    }
}
