/// Writes values as compact (or indented) JSON into a byte buffer, in field order.
///
/// Each call encodes into a scratch area through a pointer (reserving room ahead, so a string's
/// bytes are copied eight at a time and nothing checks capacity per byte), then appends the result
/// to `bytes` in one copy.
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

    public mutating func write(_ value: Value) {
        encode { $0.write(value, level: 0, omittingNullMembers: false) }
    }

    public mutating func write(_ record: Record) {
        encode { _ = $0.writeObject(record, skipping: nil, omittingNullMembers: false, level: 0) }
    }

    /// Writes a record as an object without its field `skipped`; with `omittingNullMembers`, null
    /// members are left out of it and of the objects it holds (not of arrays).
    ///
    /// Returns whether the record (without `skipped`) has a null member, directly or in an object
    /// it holds at any depth (arrays aside): whether omitting null members would change the output.
    @discardableResult
    public mutating func writeObject(_ record: Record, skipping skipped: String? = nil, omittingNullMembers: Bool = false) -> Bool {
        var hasNullMember = false
        encode { hasNullMember = $0.writeObject(record, skipping: skipped, omittingNullMembers: omittingNullMembers, level: 0) }
        return hasNullMember
    }

    /// Writes a quoted string, escaping quotes, backslashes and control characters.
    public mutating func writeString(_ text: String) {
        encode { $0.writeString(text) }
    }

    /// Runs `body` on an output that starts in a stack buffer (moving to the heap if it outgrows
    /// it), then appends what it wrote to `bytes`.
    private mutating func encode(_ body: (inout JSONOutput) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2048) { scratch in
            var output = JSONOutput(scratch, indent: indent)
            body(&output)
            bytes.append(contentsOf: output.written)
            output.release()
        }
    }
}

/// The encoder behind `JSONWriter`: bytes written through a pointer into room reserved ahead.
private struct JSONOutput {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether `base` was allocated here (after outgrowing the caller's scratch buffer).
    private var ownsBase = false
    private let indent: Int?

    init(_ scratch: UnsafeMutableBufferPointer<UInt8>, indent: Int?) {
        base = scratch.baseAddress!
        capacity = scratch.count
        self.indent = indent
    }

    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    mutating func release() {
        if ownsBase { base.deallocate() }
    }

    // MARK: Values

    mutating func write(_ value: Value, level: Int, omittingNullMembers: Bool) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number): writeDouble(number)
        case .string(let text): writeString(text)
        case .array(let items): writeArray(items, level: level)
        case .object(let record):
            _ = writeObject(record, skipping: nil, omittingNullMembers: omittingNullMembers, level: level)
        }
    }

    private mutating func writeArray(_ items: [Value], level: Int) {
        append(UInt8(ascii: "["))
        items.withUnsafeBufferPointer { items in
            for position in items.indices {
                if position > 0 { append(UInt8(ascii: ",")) }
                newline(level + 1)
                write(items[position], level: level + 1, omittingNullMembers: false)
            }
        }
        if !items.isEmpty { newline(level) }
        append(UInt8(ascii: "]"))
    }

    /// Writes the object; returns whether it has a null member at any depth (arrays aside),
    /// `skipped` left out.
    mutating func writeObject(_ record: Record, skipping skipped: String?, omittingNullMembers: Bool, level: Int) -> Bool {
        append(UInt8(ascii: "{"))
        var isEmpty = true
        var hasNullMember = false
        let skippedLength = skipped?.utf8.count ?? -1
        record.fields.withUnsafeBufferPointer { fields in
            for position in fields.indices {
                if fields[position].name.utf8.count == skippedLength && fields[position].name == skipped { continue }
                if fields[position].value.isNull {
                    hasNullMember = true
                    if omittingNullMembers { continue }
                }
                if !isEmpty { append(UInt8(ascii: ",")) }
                isEmpty = false
                newline(level + 1)
                writeString(fields[position].name)
                append(UInt8(ascii: ":"))
                if indent != nil { append(UInt8(ascii: " ")) }
                if case .object(let inner) = fields[position].value {
                    let innerHasNull = writeObject(inner, skipping: nil, omittingNullMembers: omittingNullMembers, level: level + 1)
                    hasNullMember = hasNullMember || innerHasNull
                } else {
                    write(fields[position].value, level: level + 1, omittingNullMembers: omittingNullMembers)
                }
            }
        }
        if !isEmpty { newline(level) }
        append(UInt8(ascii: "}"))
        return hasNullMember
    }

    private mutating func newline(_ level: Int) {
        guard let indent else { return }
        let spaces = indent * level
        reserve(1 + spaces)
        base[count] = UInt8(ascii: "\n")
        (base + count + 1).initialize(repeating: UInt8(ascii: " "), count: spaces)
        count += 1 + spaces
    }

    /// Writes the decimal digits in place, without making a string: counted first, then written
    /// from the last.
    private mutating func writeInteger(_ number: Int64) {
        reserve(20)
        if number < 0 { append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        var position = count + digits
        count = position
        repeat {
            position -= 1
            base[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    private mutating func writeDouble(_ number: Double) {
        guard number.isFinite else { return append("null") }
        if number.rounded() == number && abs(number) < 1e15 {
            writeInteger(Int64(number))
            append(".0")
        } else {
            var text = "\(number)"
            text.withUTF8 { append($0) }
        }
    }

    // MARK: Strings

    @inline(__always)
    mutating func writeString(_ text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { writeString(utf8: $0) }
        if done == nil { writeNonContiguous(text) }
    }

    /// A string whose UTF-8 is not in one piece (bridged from Objective-C).
    @inline(never)
    private mutating func writeNonContiguous(_ text: String) {
        var text = text
        text.withUTF8 { writeString(utf8: $0) }
    }

    /// Copies the string eight bytes at a time while no byte needs escaping; the first eight
    /// bytes that hold one, and all after them, go byte by byte.
    private mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        let length = utf8.count
        // Room for the quotes and for a word stored whole past the string's last byte.
        reserve(length + 2 + 8)
        base[count] = UInt8(ascii: "\"")
        count += 1
        guard let source = utf8.baseAddress else { return append(UInt8(ascii: "\"")) }
        let target = UnsafeMutableRawPointer(base + count)
        var index = 0
        if length < 8 {
            let word = Self.shortWord(source, length)
            if !Self.needsEscape(word) {
                target.storeBytes(of: word, as: UInt64.self)
                index = length
            }
        } else {
            while index + 8 <= length {
                let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                if Self.needsEscape(word) { break }
                target.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
                index += 8
            }
            // The last few bytes: the string's last eight, overlapping bytes already copied.
            if index < length && index + 8 > length {
                let word = UnsafeRawPointer(source + length - 8).loadUnaligned(as: UInt64.self)
                if !Self.needsEscape(word) {
                    target.storeBytes(of: word, toByteOffset: length - 8, as: UInt64.self)
                    index = length
                }
            }
        }
        count += index
        if index < length { writeEscaping(UnsafeBufferPointer(rebasing: utf8[index...])) }
        base[count] = UInt8(ascii: "\"")
        count += 1
    }

    /// The bytes of a string shorter than eight bytes in one word (little-endian), read without
    /// going past its end; the word's unused bytes are `A`, which needs no escaping.
    @inline(__always)
    private static func shortWord(_ source: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        let padding: UInt64 = 0x4141_4141_4141_4141
        guard length > 0 else { return padding }
        let raw = UnsafeRawPointer(source)
        var word: UInt64
        if length >= 4 {
            // Two four-byte reads that overlap when `length` < 8.
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
            word = low | high << UInt64((length - 4) * 8)
        } else {
            // The first, middle and last bytes cover one to three bytes.
            word = UInt64(source[0]) | UInt64(source[length >> 1]) << UInt64((length >> 1) * 8)
                | UInt64(source[length - 1]) << UInt64((length - 1) * 8)
        }
        return word | padding << UInt64(length * 8)
    }

    /// The rest of a string from its first byte that needs escaping.
    @inline(never)
    private mutating func writeEscaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        // `\u00XX` is the longest escape: six bytes for one. Plus the closing quote.
        reserve(utf8.count * 6 + 1)
        for byte in utf8 {
            guard Self.needsEscape(byte) else {
                base[count] = byte
                count += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            default:
                append("\\u00")
                append(Self.hexDigit(byte >> 4))
                append(Self.hexDigit(byte & 0x0F))
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// A quote, a backslash or a control character: bytes a JSON string cannot hold as they are.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether any of the word's eight bytes needs escaping (the classic bit tricks: a byte below
    /// 0x20, a byte equal to `"`, a byte equal to `\`).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let belowSpace = (word &- ones &* 0x20) & ~word
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        return (belowSpace | hasQuote | hasBackslash) & highBits != 0
    }

    // MARK: Raw bytes

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    @inline(never)
    private mutating func grow(toHold needed: Int) {
        let newCapacity = Swift.max(capacity * 2, needed)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        if ownsBase { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsBase = true
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let start = bytes.baseAddress { (base + count).initialize(from: start, count: bytes.count) }
        count += bytes.count
    }

    private mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
