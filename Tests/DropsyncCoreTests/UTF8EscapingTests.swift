import DropsyncCore
import Testing

@Suite("UTF8Escaping")
struct UTF8EscapingTests {
    @Test("valid UTF-8 is shown as it is; each byte of an ill-formed sequence as \\xNN", arguments: [
        (Array("plain, é, 😀, \\x".utf8), #"plain, é, 😀, \x"#),
        ([0x61, 0xFF, 0x62], #"a\xFFb"#),
        // A truncated three-byte sequence, then a valid byte.
        ([0xE2, 0x82, 0x41], #"\xE2\x82A"#),
        // An overlong encoding of "/" and a UTF-16 surrogate are not UTF-8.
        ([0xC0, 0xAF, 0xED, 0xA0, 0x80], #"\xC0\xAF\xED\xA0\x80"#),
        ([], ""),
    ])
    func showsInvalidBytes(bytes: [UInt8], shown: String) {
        #expect(UTF8Escaping.showingInvalidBytes(bytes) == shown)
    }

    @Test("finds the first byte that is not part of a valid sequence")
    func firstInvalidByte() {
        let found = UTF8Escaping.firstInvalidByte(Array("né".utf8) + [0xE9, 0xFF])
        #expect(found?.offset == 3)
        #expect(found?.byte == 0xE9)
        #expect(UTF8Escaping.firstInvalidByte(Array("né".utf8)) == nil)
    }

    @Test("a raw line is cut to its maximum and keeps its invalid bytes")
    func rawLine() {
        #expect(Rejection.rawLine([0x31, 0x2C, 0xE9]) == #"1,\xE9"#)
        #expect(Rejection.rawLine([UInt8](repeating: 0x79, count: 5000)).utf8.count == Rejection.maximumRawLineBytes)
    }

    @Test("a raw line is cut before a character the cut would split, not inside it")
    func rawLineCutAtCharacter() {
        let line = String(repeating: "y", count: Rejection.maximumRawLineBytes - 1) + "€€"
        #expect(Rejection.rawLine(Array(line.utf8)) == String(repeating: "y", count: Rejection.maximumRawLineBytes - 1))
    }
}
