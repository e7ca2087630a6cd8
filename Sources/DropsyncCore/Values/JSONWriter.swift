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

    public mutating func write(_ record: Record) { write(.object(record), level: 0) }

    private mutating func write(_ value: Value, level: Int) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): append(String(number))
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
            bytes.append(UInt8(ascii: "{"))
            for (position, field) in record.fields.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeString(field.name)
                bytes.append(UInt8(ascii: ":"))
                if indent != nil { bytes.append(UInt8(ascii: " ")) }
                write(field.value, level: level + 1)
            }
            if !record.isEmpty { newline(level) }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private mutating func writeDouble(_ number: Double) {
        guard number.isFinite else { return append("null") }
        if number.rounded() == number && abs(number) < 1e15 {
            append(String(Int64(number)))
            append(".0")
        } else {
            append("\(number)")
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
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
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
                    append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
