/// Which bytes end a run of ordinary field bytes, per state: one table lookup per byte, or eight
/// bytes at a time with `StopBytes`.
final class ByteClasses: @unchecked Sendable {
    static let unquotedStop: UInt8 = 1
    static let quotedStop: UInt8 = 2

    let table: UnsafeMutablePointer<UInt8>
    let unquotedStops: StopBytes
    let quotedStops: StopBytes

    init(_ options: DSVTokenizer.Options) {
        table = .allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        let lineBreaks = [UInt8(ascii: "\n"), UInt8(ascii: "\r")]
        for byte in lineBreaks + [0] {
            table[Int(byte)] = Self.unquotedStop | Self.quotedStop
        }
        table[Int(options.separator)] |= Self.unquotedStop
        if let quote = options.quote { table[Int(quote)] |= Self.quotedStop }
        if let escape = options.escape { table[Int(escape)] |= Self.unquotedStop | Self.quotedStop }
        let quote = options.quote ?? options.separator
        unquotedStops = StopBytes(lineBreaks + [options.separator, options.escape ?? options.separator])
        quotedStops = StopBytes(lineBreaks + [quote, options.escape ?? quote])
    }

    deinit { table.deallocate() }
}

/// Finds the first of four bytes (or NUL) in eight bytes at once: a byte equal to a stop byte is
/// zero after XOR, and `(x - 0x01…) & ~x & 0x80…` marks zero bytes. Borrows only mark bytes
/// above a real zero, so the lowest mark is exact.
struct StopBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private let first, second, third, fourth: UInt64

    init(_ bytes: [UInt8]) {
        (first, second, third, fourth) = (
            Self.ones &* UInt64(bytes[0]), Self.ones &* UInt64(bytes[1]),
            Self.ones &* UInt64(bytes[2]), Self.ones &* UInt64(bytes[3]))
    }

    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }

    /// The index of the first stop byte at or after `start`, or of the last partial word.
    @inline(__always)
    func skipOrdinary(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let marks = Self.zeroBytes(word) | Self.zeroBytes(word ^ first) | Self.zeroBytes(word ^ second)
                | Self.zeroBytes(word ^ third) | Self.zeroBytes(word ^ fourth)
            if marks != 0 { return index + marks.trailingZeroBitCount >> 3 }
            index += 8
        }
        return index
    }
}
