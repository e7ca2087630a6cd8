/// One entry in journald's native protocol (systemd.journal-fields(7), "Native Journal Protocol"):
/// `NAME=value\n` per field, or for a value with a newline the binary-safe form
/// `NAME\n<64-bit little-endian length><value>\n`.
struct JournalEntry {
    private(set) var fields: [(name: String, value: String)] = []

    /// The fields journald reads from every entry; metadata must not repeat them.
    static let ownFieldNames: Set = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC"]

    mutating func append(_ name: String, _ value: String) { fields.append((name, value)) }

    /// The datagram; with `valueLimit`, each value longer than that many bytes is cut at a character
    /// boundary and ends with a note of its full size.
    func serialized(valueLimit: Int? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            let data = valueLimit.map { Self.clipped(value, to: $0) } ?? Array(value.utf8)
            bytes.append(contentsOf: name.utf8)
            if data.contains(UInt8(ascii: "\n")) {
                bytes.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(data.count).littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                bytes.append(UInt8(ascii: "="))
            }
            bytes.append(contentsOf: data)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// The journal field for a metadata key: the daemon's keys by name (`job` → `JOB_ID`, `code` →
    /// `ERROR_CODE`), others upper-cased with every character outside [A-Z0-9_] replaced by `_`.
    /// A name journald would refuse or that repeats one of `ownFieldNames` gets a `META_` prefix
    /// (field names must not start with `_` or a digit), and names are cut at 64 characters.
    static func fieldName(forMetadataKey key: String) -> String {
        switch key {
        case "dataflow": return "DATAFLOW"
        case "job": return "JOB_ID"
        case "step": return "STEP"
        case "file": return "FILE"
        case "code": return "ERROR_CODE"
        default: break
        }
        var name = String(key.uppercased().unicodeScalars.map { scalar -> Character in
            ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        })
        if name.isEmpty || name.first == "_" || name.first!.isNumber || ownFieldNames.contains(name) {
            name = "META_" + name
        }
        return String(name.prefix(64))
    }

    private static func clipped(_ value: String, to limit: Int) -> [UInt8] {
        let utf8 = Array(value.utf8)
        guard utf8.count > limit else { return utf8 }
        var end = limit
        while end > 0 && utf8[end] & 0b1100_0000 == 0b1000_0000 { end -= 1 }
        return Array(utf8[..<end]) + Array(" [truncated: \(utf8.count) bytes in all]".utf8)
    }
}
