import DropsyncCore

/// Turns one field's UTF-8 bytes into a value: trims when asked, and infers numbers, booleans and
/// null when asked.
struct DSVFieldDecoder: Sendable {
    var trimWhitespace: Bool
    var inferTypes: Bool

    /// The value of a field whose bytes are valid UTF-8 (the parser validates whole rows: a field
    /// of a valid row is valid, since rows split only at ASCII bytes).
    @inline(__always)
    func value(_ bytes: UnsafeBufferPointer<UInt8>) -> Value {
        let field = trimWhitespace ? Self.trimmed(bytes) : bytes
        if inferTypes, let inferred = Self.inferred(field) { return inferred }
        return .string(String(decoding: field, as: UTF8.self))
    }

    /// The field as text (trimmed when asked), from bytes known to be valid UTF-8.
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: trimWhitespace ? Self.trimmed(bytes) : bytes, as: UTF8.self)
    }

    /// The bytes without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end && isBlank(bytes[start]) { start += 1 }
        while end > start && isBlank(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// Empty → null, `true`/`false` → boolean, JSON-style numbers → integer or double; nil for
    /// anything else. Numbers with leading zeros (`007`, zip codes) stay text.
    static func inferred(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        guard let first = bytes.first else { return .null }
        switch first {
        case UInt8(ascii: "t"): return equals(bytes, "true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return equals(bytes, "false") ? .bool(false) : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number(bytes)
        default: return nil
        }
    }

    /// Whether the bytes are exactly this ASCII word; the length is compared first.
    @inline(__always)
    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        bytes.count == word.utf8CodeUnitCount
            && UnsafeRawBufferPointer(bytes).elementsEqual(UnsafeRawBufferPointer(start: word.utf8Start, count: bytes.count))
    }

    /// Parses `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. An integer outside Int64 stays text:
    /// as a double it would lose digits (such long numbers are identifiers, not quantities).
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        var position = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { position = 1 }
        let integerStart = position
        var magnitude: UInt64 = 0
        var overflow = false
        while position < bytes.count, let digit = digitValue(bytes[position]) {
            let (times, overflowed) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, added) = times.addingReportingOverflow(UInt64(digit))
            overflow = overflow || overflowed || added
            magnitude = sum
            position += 1
        }
        let integerDigits = position - integerStart
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
        var isInteger = true
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard skipDigits(bytes, &position) else { return nil }
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                position += 1
            }
            guard skipDigits(bytes, &position) else { return nil }
        }
        guard position == bytes.count else { return nil }
        if isInteger {
            guard !overflow else { return nil }
            if negative && magnitude <= UInt64(Int64.max) + 1 { return .int(Int64(truncatingIfNeeded: 0 &- magnitude)) }
            if !negative && magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
            return nil
        }
        // A number too large for a Double stays text rather than becoming infinity.
        guard let number = Double(String(decoding: bytes, as: UTF8.self)), number.isFinite else { return nil }
        return .double(number)
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    /// Moves past one or more digits; false when there is none.
    private static func skipDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Bool {
        let start = position
        while position < bytes.count && digitValue(bytes[position]) != nil { position += 1 }
        return position > start
    }
}
