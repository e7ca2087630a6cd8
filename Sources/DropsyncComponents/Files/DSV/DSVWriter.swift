import DropsyncCore

/// Writes records as DSV rows into a byte buffer, quoting fields as the options say.
struct DSVWriter {
    struct Options: Sendable {
        var separator: UInt8
        var quote: UInt8 = UInt8(ascii: "\"")
        /// Put before a quote (or itself) inside a quoted field; the quote itself means doubling.
        var escape: UInt8
        /// Quote every field, not only those that need it.
        var quoteAll: Bool
        var lineEnd: [UInt8]
    }

    private let options: Options
    let columns: [FieldPath]
    /// Bytes written and not yet taken.
    private var buffer: [UInt8] = []

    init(options: Options, columns: [FieldPath]) {
        self.options = options
        self.columns = columns
    }

    /// The columns of `record`: its fields, nested objects flattened to dotted paths.
    static func columns(of record: Record) -> [FieldPath] {
        var paths: [FieldPath] = []
        func collect(_ record: Record, _ prefix: [String]) {
            for field in record.fields {
                let components = prefix + [field.name]
                if case .object(let inner) = field.value, !inner.isEmpty {
                    collect(inner, components)
                } else {
                    paths.append(FieldPath(components: components))
                }
            }
        }
        collect(record, [])
        return paths
    }

    /// The bytes written since the last call; the writer goes on in an empty buffer.
    mutating func takeBytes() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    mutating func writeHeader() {
        writeRow(columns.map(\.description))
    }

    /// One row: strings as they are, numbers and booleans as JSON text, null or missing as empty,
    /// arrays and objects as compact JSON.
    mutating func write(_ record: Record) {
        for (position, path) in columns.enumerated() {
            if position > 0 { buffer.append(options.separator) }
            writeField(record.value(at: path)?.plainText ?? "")
        }
        buffer.append(contentsOf: options.lineEnd)
    }

    private mutating func writeRow(_ texts: [String]) {
        for (position, text) in texts.enumerated() {
            if position > 0 { buffer.append(options.separator) }
            writeField(text)
        }
        buffer.append(contentsOf: options.lineEnd)
    }

    private mutating func writeField(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard options.quoteAll || needsQuotes(bytes) else { return buffer.append(contentsOf: bytes) }
            buffer.append(options.quote)
            var runStart = 0
            for index in bytes.indices where bytes[index] == options.quote || bytes[index] == options.escape {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                buffer.append(options.escape)
                runStart = index
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            buffer.append(options.quote)
        }
    }

    /// A field needs quotes when it holds a separator, quote, escape or line break, or starts or
    /// ends with a space (which a trimming reader would lose).
    private func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") { return true }
        return bytes.contains { byte in
            byte == options.separator || byte == options.quote || byte == options.escape
                || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
    }
}
