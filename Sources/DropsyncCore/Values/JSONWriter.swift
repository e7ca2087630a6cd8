/// Writes values as compact (or indented) JSON into a byte buffer, in field order.
public struct JSONWriter {
    public var bytes: [UInt8] = []
    private let indent: Int?

    /// `indent` spaces per level for human-readable output; nil for compact.
    public init(indent: Int? = nil) { self.indent = indent }

    public static func string(_ value: Value, indent: Int? = nil) -> String {
        var writer = JSONWriter(indent: indent)
        writer.write(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public mutating func write(_ value: Value) { write(value, level: 0) }

    public mutating func write(_ record: Record) { writeObject(record, level: 0) }

    /// Writes a record as an object without its field `skipped`; with `omittingNullMembers`, null
    /// members are left out of it and of the objects it holds (not of arrays).
    public mutating func writeObject(_ record: Record, skipping skipped: String? = nil, omittingNullMembers: Bool = false) {
        writeObject(record, skipping: skipped, omittingNullMembers: omittingNullMembers, level: 0)
    }

    private mutating func write(_ value: Value, level: Int, omittingNullMembers: Bool = false) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number): writeDouble(number)
        case .string(let text): writeString(text)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(level + 1)
                write(item, level: level + 1)
            }
            if !items.isEmpty { newline(level) }
            bytes.append(UInt8(ascii: "]"))
        case .object(let record):
            writeObject(record, omittingNullMembers: omittingNullMembers, level: level)
        }
    }

    private mutating func writeObject(
        _ record: Record, skipping skipped: String? = nil, omittingNullMembers: Bool = false, level: Int
    ) {
        bytes.append(UInt8(ascii: "{"))
        var isEmpty = true
        for field in record.fields {
            if omittingNullMembers && field.value.isNull { continue }
            if let skipped, field.name == skipped { continue }
            if !isEmpty { bytes.append(UInt8(ascii: ",")) }
            isEmpty = false
            newline(level + 1)
            writeString(field.name)
            bytes.append(UInt8(ascii: ":"))
            if indent != nil { bytes.append(UInt8(ascii: " ")) }
            write(field.value, level: level + 1, omittingNullMembers: omittingNullMembers)
        }
        if !isEmpty { newline(level) }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes the decimal digits in place, without making a string: lowest first, then reversed.
    private mutating func writeInteger(_ number: Int64) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var low = bytes.count
        var magnitude = number.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        var high = bytes.count - 1
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    private mutating func writeDouble(_ number: Double) {
        guard number.isFinite else { return append("null") }
        if number.rounded() == number && abs(number) < 1e15 {
            writeInteger(Int64(number))
            append(".0")
        } else {
            bytes.append(contentsOf: "\(number)".utf8)
        }
    }

    /// Writes a quoted string, escaping quotes, backslashes and control characters.
    public mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard Self.needsEscape(byte) else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                default:
                    let hex = String(byte, radix: 16)
                    bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A quote, a backslash or a control character: bytes a JSON string cannot hold as they are.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
