/// The character sets `file.parse.dsv` reads.
public enum DSVCharset: String, Sendable, CaseIterable {
    case utf8 = "UTF-8"
    case latin1 = "ISO-8859-1"
    case windows1252 = "Windows-1252"
    /// UTF-8, UTF-16LE or UTF-16BE by byte-order mark; UTF-8 without one.
    case autoDetect = "auto-detect"
}

/// Turns a file's bytes, chunk by chunk, into UTF-8 for the tokenizer: strips a UTF-8 byte-order
/// mark, detects UTF-16 by its mark, and transcodes ISO-8859-1, Windows-1252 and UTF-16.
///
/// UTF-8 and all-ASCII chunks pass through without a copy. UTF-8 is not validated here: the
/// parser validates each row, so one bad row is rejected and the rest of the file goes on. A
/// UTF-16 unit that makes no character (an unpaired surrogate, a byte cut off at the end) becomes
/// `invalidUnit`, which is never UTF-8, so its row is rejected the same way.
struct CharsetDecoder {
    private enum Encoding { case utf8, latin1, windows1252, utf16LittleEndian, utf16BigEndian }

    private let charset: DSVCharset
    /// Nil until the byte-order mark (or its absence) is known.
    private var encoding: Encoding?
    /// The first bytes of the file while they may still be a byte-order mark.
    private var head: [UInt8] = []
    /// A byte of a UTF-16 code unit split between chunks.
    private var oddByte: UInt8?
    /// A high surrogate waiting for its low half.
    private var highSurrogate: UInt16?

    init(_ charset: DSVCharset) {
        self.charset = charset
        switch charset {
        case .latin1: encoding = .latin1
        case .windows1252: encoding = .windows1252
        case .utf8, .autoDetect: encoding = nil
        }
    }

    /// What to tokenize for one chunk.
    enum Output {
        /// The chunk itself, from this offset (past a byte-order mark).
        case unchanged(Int)
        /// Transcoded bytes, or bytes held back from earlier chunks.
        case converted([UInt8])
    }

    /// Decodes one chunk; may hold a few bytes back while the byte-order mark is undecided.
    mutating func decode(_ chunk: UnsafeRawBufferPointer) -> Output {
        if let encoding { return transcode(chunk, encoding) }
        if head.isEmpty && chunk.count >= 3 {
            let markLength = detect(chunk)
            return transcode(UnsafeRawBufferPointer(rebasing: chunk[markLength...]), encoding!, from: markLength)
        }
        head.append(contentsOf: chunk)
        return head.count >= 3 ? .converted(startWithHead()) : .converted([])
    }

    /// A byte that is never part of UTF-8: what a UTF-16 unit that makes no character becomes.
    static let invalidUnit: UInt8 = 0xFF

    /// Whether the file is UTF-16 (known once its byte-order mark is).
    var isUTF16: Bool { encoding == .utf16LittleEndian || encoding == .utf16BigEndian }

    /// Ends the file: the bytes held back, and `invalidUnit` for a cut UTF-16 unit.
    mutating func finish() -> [UInt8] {
        var rest = encoding == nil ? startWithHead() : []
        if oddByte != nil || highSurrogate != nil {
            oddByte = nil
            highSurrogate = nil
            rest.append(Self.invalidUnit)
        }
        return rest
    }

    private mutating func startWithHead() -> [UInt8] {
        let first = head
        head = []
        return first.withUnsafeBytes { bytes in
            let markLength = detect(bytes)
            switch transcode(UnsafeRawBufferPointer(rebasing: bytes[markLength...]), encoding!, from: markLength) {
            case .unchanged: return Array(bytes[markLength...])
            case .converted(let converted): return converted
            }
        }
    }

    /// Decides the encoding from the file's first bytes; returns the length of the mark.
    private mutating func detect(_ first: UnsafeRawBufferPointer) -> Int {
        if first.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8
            return 3
        }
        if charset == .autoDetect && first.starts(with: [0xFF, 0xFE]) {
            encoding = .utf16LittleEndian
            return 2
        }
        if charset == .autoDetect && first.starts(with: [0xFE, 0xFF]) {
            encoding = .utf16BigEndian
            return 2
        }
        encoding = .utf8
        return 0
    }

    /// `chunk` is the input from offset `offset` on.
    private mutating func transcode(_ chunk: UnsafeRawBufferPointer, _ encoding: Encoding, from offset: Int = 0) -> Output {
        var output: [UInt8] = []
        switch encoding {
        case .utf8:
            return .unchanged(offset)
        case .latin1, .windows1252:
            if Self.isASCII(chunk) { return .unchanged(offset) }
            let table = encoding == .windows1252 ? Self.windows1252High : nil
            output.reserveCapacity(chunk.count * 2)
            for byte in chunk {
                if byte < 0x80 {
                    output.append(byte)
                } else if let table, byte < 0xA0 {
                    Self.appendScalar(UInt32(table[Int(byte - 0x80)]), to: &output)
                } else {
                    Self.appendScalar(UInt32(byte), to: &output)
                }
            }
        case .utf16LittleEndian, .utf16BigEndian:
            decodeUTF16(chunk, bigEndian: encoding == .utf16BigEndian, into: &output)
        }
        return .converted(output)
    }

    private mutating func decodeUTF16(_ chunk: UnsafeRawBufferPointer, bigEndian: Bool, into output: inout [UInt8]) {
        output.reserveCapacity(chunk.count * 3 / 2 + 4)
        var position = 0
        var pending = oddByte
        oddByte = nil
        while position < chunk.count {
            let first: UInt8
            if let held = pending {
                first = held
                pending = nil
            } else {
                first = chunk[position]
                position += 1
            }
            guard position < chunk.count else {
                oddByte = first
                return
            }
            let second = chunk[position]
            position += 1
            let unit = bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first)
            appendUTF16(unit, to: &output)
        }
    }

    private mutating func appendUTF16(_ unit: UInt16, to output: inout [UInt8]) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                Self.appendScalar(scalar, to: &output)
                return
            }
            output.append(Self.invalidUnit)
        }
        switch unit {
        case 0xD800...0xDBFF: highSurrogate = unit
        case 0xDC00...0xDFFF: output.append(Self.invalidUnit)
        default: Self.appendScalar(UInt32(unit), to: &output)
        }
    }

    static func appendScalar(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Whether every byte is below 0x80, checked eight bytes at a time.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var position = 0
        var combined: UInt64 = 0
        while position + 8 <= bytes.count {
            combined |= bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            position += 8
        }
        while position < bytes.count {
            combined |= UInt64(bytes[position])
            position += 1
        }
        return combined & 0x8080_8080_8080_8080 == 0
    }

    /// Windows-1252 0x80…0x9F; the five undefined bytes map to the C1 controls, as browsers do.
    private static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
