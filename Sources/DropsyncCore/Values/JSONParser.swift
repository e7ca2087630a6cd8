/// A JSON parser over UTF-8 bytes that keeps object field order and, when asked, skips `//` and
/// `/* */` comments (as IdentitySync's own samples have them). Errors carry line and column.
public struct JSONParser {
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public let line: Int
        public let column: Int
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Parses exactly one JSON value (surrounded by white space and, if allowed, comments).
    public static func parse(_ bytes: some Collection<UInt8>, allowComments: Bool = false) throws(SyntaxError) -> Value {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer throws(SyntaxError) in
            var parser = JSONParser(buffer: buffer, allowComments: allowComments)
            return try parser.parseDocument()
        }
    }

    public static func parse(_ text: String, allowComments: Bool = false) throws(SyntaxError) -> Value {
        try parse(Array(text.utf8), allowComments: allowComments)
    }

    /// A key written a second time in one object, located where that second one starts.
    public struct DuplicateKey: Sendable, Equatable {
        public let name: String
        public let line: Int
        public let column: Int
    }

    /// Parses a configuration file: comments allowed, a UTF-8 byte-order mark at the start skipped,
    /// and every key written twice in one object reported (the last value is kept).
    public static func parseConfiguration(_ bytes: some Collection<UInt8>) throws(SyntaxError) -> (value: Value, duplicateKeys: [DuplicateKey]) {
        var array = Array(bytes)
        if array.starts(with: [0xEF, 0xBB, 0xBF]) { array.removeFirst(3) }
        return try array.withUnsafeBufferPointer { buffer throws(SyntaxError) in
            var parser = JSONParser(buffer: buffer, allowComments: true)
            parser.duplicateKeys = []
            let value = try parser.parseDocument()
            return (value, parser.duplicateKeys ?? [])
        }
    }

    private let buffer: UnsafeBufferPointer<UInt8>
    private let allowComments: Bool
    private var position = 0
    private var depth = 0
    /// Keys written twice, when asked for (nil: not looked for, so data parsing pays nothing).
    private var duplicateKeys: [DuplicateKey]?
    private static let maximumDepth = 512

    /// A parser over bytes the caller keeps alive; `parseNext` reads one value at a time.
    public init(buffer: UnsafeBufferPointer<UInt8>, allowComments: Bool = false) {
        self.buffer = buffer
        self.allowComments = allowComments
    }

    public var isAtEnd: Bool { position >= buffer.count }

    public mutating func parseDocument() throws(SyntaxError) -> Value {
        try skipTrivia()
        let value = try parseValue()
        try skipTrivia()
        guard isAtEnd else { throw error("unexpected text after the JSON value") }
        return value
    }

    /// Skips white space and comments, then parses one value; nil at the end of input.
    public mutating func parseNext() throws(SyntaxError) -> Value? {
        try skipTrivia()
        if isAtEnd { return nil }
        return try parseValue()
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
        try skipTrivia()
        guard !isAtEnd, buffer[position] == byte else { throw error("expected \(what)") }
        position += 1
    }

    private mutating func parseValue() throws(SyntaxError) -> Value {
        guard !isAtEnd else { throw error("unexpected end of input") }
        switch buffer[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(printable(buffer[position]))'")
        }
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nesting deeper than \(Self.maximumDepth)") }
    }

    private mutating func parseObject() throws(SyntaxError) -> Value {
        try enter()
        defer { depth -= 1 }
        position += 1
        var record = Record()
        try skipTrivia()
        if !isAtEnd, buffer[position] == UInt8(ascii: "}") {
            position += 1
            return .object(record)
        }
        while true {
            try skipTrivia()
            guard !isAtEnd, buffer[position] == UInt8(ascii: "\"") else { throw error("expected a field name in quotes") }
            let nameStart = position
            let name = try parseString()
            if duplicateKeys != nil, record[name] != nil {
                let (line, column) = location(of: nameStart)
                duplicateKeys?.append(DuplicateKey(name: name, line: line, column: column))
            }
            try expect(UInt8(ascii: ":"), "':' after field name")
            try skipTrivia()
            let value = try parseValue()
            record[name] = value
            try skipTrivia()
            guard !isAtEnd else { throw error("unterminated object") }
            if buffer[position] == UInt8(ascii: ",") {
                position += 1
            } else if buffer[position] == UInt8(ascii: "}") {
                position += 1
                return .object(record)
            } else {
                throw error("expected ',' or '}' in object")
            }
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> Value {
        try enter()
        defer { depth -= 1 }
        position += 1
        var items: [Value] = []
        try skipTrivia()
        if !isAtEnd, buffer[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            try skipTrivia()
            items.append(try parseValue())
            try skipTrivia()
            guard !isAtEnd else { throw error("unterminated array") }
            if buffer[position] == UInt8(ascii: ",") {
                position += 1
            } else if buffer[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            } else {
                throw error("expected ',' or ']' in array")
            }
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: Value) throws(SyntaxError) -> Value {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= buffer.count else { throw error("unexpected end of input") }
        for offset in 0..<utf8.count where buffer[position + offset] != utf8[offset] {
            throw error("invalid literal")
        }
        position += utf8.count
        return value
    }

    private mutating func parseNumber() throws(SyntaxError) -> Value {
        let start = position
        var isInteger = true
        if buffer[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while !isAtEnd, isDigit(buffer[position]) { position += 1 }
        guard position > digitsStart else { throw error("invalid number") }
        if buffer[digitsStart] == UInt8(ascii: "0") && position - digitsStart > 1 { throw error("leading zero in number") }
        if !isAtEnd, buffer[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let fractionStart = position
            while !isAtEnd, isDigit(buffer[position]) { position += 1 }
            guard position > fractionStart else { throw error("invalid number") }
        }
        if !isAtEnd, buffer[position] == UInt8(ascii: "e") || buffer[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if !isAtEnd, buffer[position] == UInt8(ascii: "+") || buffer[position] == UInt8(ascii: "-") { position += 1 }
            let exponentStart = position
            while !isAtEnd, isDigit(buffer[position]) { position += 1 }
            guard position > exponentStart else { throw error("invalid number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text) else { throw error("invalid number") }
        guard double.isFinite else { throw error("number out of range") }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func parseString() throws(SyntaxError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while !isAtEnd {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<position])
                position += 1
                guard let text = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in string") }
            position += 1
        }
        var bytes = Array(UnsafeBufferPointer(rebasing: buffer[start..<position]))
        while !isAtEnd {
            let byte = buffer[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: bytes, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &bytes)
            case 0..<0x20:
                position -= 1
                throw error("control character in string")
            default:
                bytes.append(byte)
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseEscape(into bytes: inout [UInt8]) throws(SyntaxError) {
        guard !isAtEnd else { throw error("unterminated string") }
        let escaped = buffer[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escaped)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard position + 1 < buffer.count, buffer[position] == UInt8(ascii: "\\"),
                      buffer[position + 1] == UInt8(ascii: "u") else { throw error("unpaired surrogate") }
                position += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("unpaired surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
            bytes.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw error("invalid escape '\\\(printable(escaped))'")
        }
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard position + 4 <= buffer.count else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = buffer[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func skipTrivia() throws(SyntaxError) {
        while !isAtEnd {
            switch buffer[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: "/") where allowComments && position + 1 < buffer.count:
                if buffer[position + 1] == UInt8(ascii: "/") {
                    while !isAtEnd, buffer[position] != UInt8(ascii: "\n") { position += 1 }
                } else if buffer[position + 1] == UInt8(ascii: "*") {
                    let start = position
                    position += 2
                    while position + 1 < buffer.count,
                          !(buffer[position] == UInt8(ascii: "*") && buffer[position + 1] == UInt8(ascii: "/")) {
                        position += 1
                    }
                    guard position + 1 < buffer.count else {
                        position = start
                        throw error("unterminated comment")
                    }
                    position += 2
                } else {
                    return
                }
            default:
                return
            }
        }
    }

    private func printable(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }

    private func error(_ message: String) -> SyntaxError {
        let (line, column) = location(of: position)
        return SyntaxError(message: message, line: line, column: column)
    }

    /// The 1-based line and column (in characters) of the byte at `offset`.
    private func location(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for index in 0..<min(offset, buffer.count) {
            if buffer[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if buffer[index] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
