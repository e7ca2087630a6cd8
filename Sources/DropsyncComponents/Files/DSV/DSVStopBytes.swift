/// Finds the next byte that may end a run of ordinary field bytes, eight bytes at a time.
///
/// The candidates are control bytes (below 0x0E: NUL, line breaks, but also tab) and two given
/// bytes (the separator and escape outside quotes, the quote and escape inside). The tokenizer
/// decides on each candidate; a control byte that is ordinary (a tab in a CSV field) costs it one
/// more call.
///
/// Bytes below `n` are marked by `(x - n…) & ~x & 0x80…` (zero bytes with n = 1, after XOR with
/// a given byte); borrows only mark bytes above a real match, so the lowest mark is exact.
struct StopBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let controlLimit: UInt64 = ones &* 0x0E
    /// The two given bytes, each repeated in all eight bytes of a word.
    private let first, second: UInt64

    private init(_ first: UInt8, _ second: UInt8) {
        self.first = Self.ones &* UInt64(first)
        self.second = Self.ones &* UInt64(second)
    }

    /// Outside quotes: the separator and the escape.
    init(unquoted options: DSVTokenizer.Options) {
        self.init(options.separator, options.escape ?? options.separator)
    }

    /// Inside quotes: the quote and the escape.
    init(quoted options: DSVTokenizer.Options) {
        let quote = options.quote ?? options.separator
        self.init(quote, options.escape ?? quote)
    }

    /// The index of the first candidate at or after `start`, or `end` when there is none.
    @inline(__always)
    func next(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let firstMatches = word ^ first
            let secondMatches = word ^ second
            let marks = ((word &- Self.controlLimit) & ~word | (firstMatches &- Self.ones) & ~firstMatches
                | (secondMatches &- Self.ones) & ~secondMatches) & Self.highs
            if marks != 0 { return index + marks.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end && !isCandidate(base[index]) { index += 1 }
        return index
    }

    @inline(__always)
    private func isCandidate(_ byte: UInt8) -> Bool {
        byte < 0x0E || UInt64(byte) == first & 0xFF || UInt64(byte) == second & 0xFF
    }
}
