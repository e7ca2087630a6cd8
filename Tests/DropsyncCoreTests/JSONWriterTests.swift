import DropsyncCore
import Testing

/// The writer copies strings eight bytes at a time and switches to escaping at the first byte that
/// needs it: these pin its output against a byte-by-byte reading of the rules, at every length and
/// position around those eight-byte steps.
@Suite("JSONWriter")
struct JSONWriterTests {
    /// The quoted string as the rules give it, one byte at a time.
    static func quoted(_ text: String) -> String {
        var bytes = Array("\"".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): bytes += Array(#"\\"#.utf8)
            case 0x0A: bytes += Array(#"\n"#.utf8)
            case 0x0D: bytes += Array(#"\r"#.utf8)
            case 0x09: bytes += Array(#"\t"#.utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes + Array("\"".utf8), as: UTF8.self)
    }

    @Test("a string without special bytes is copied whole, at every length", arguments: 0...40)
    func plain(length: Int) throws {
        let text = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
        #expect(JSONWriter.string(.string(text)) == Self.quoted(text))
    }

    @Test("a byte that needs escaping is escaped at every position", arguments: ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1f}", "é", "😀", "\u{7f}"])
    func escapedAtEveryPosition(special: String) throws {
        for length in 1...24 {
            for position in 0..<length {
                let text = String(repeating: "x", count: position) + special + String(repeating: "y", count: length - position - 1)
                let written = JSONWriter.string(.string(text))
                #expect(written == Self.quoted(text), "\(length) \(position)")
                #expect(try JSONParser.parse(written) == .string(text))
            }
        }
    }

    @Test("output longer than the writer's stack scratch buffer is kept whole")
    func longOutput() throws {
        let text = String(repeating: "ab\"\u{1}", count: 3000)
        let value: Value = ["text": .string(text), "items": .array((0..<500).map { .int(Int64($0)) })]
        let written = JSONWriter.string(value)
        #expect(written.utf8.count > 20_000)
        #expect(try JSONParser.parse(written) == value)
        var writer = JSONWriter()
        writer.bytes = Array("prefix".utf8)
        writer.write(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "prefix" + written)
    }

    @Test("writeObject tells whether the object has a null member, in objects it holds too but not in arrays", arguments: [
        (#"{"UID":"u","a":1}"#, false),
        (#"{"UID":null,"a":1}"#, false),
        (#"{"UID":"u","a":null}"#, true),
        (#"{"a":{"b":{"c":null}}}"#, true),
        (#"{"a":[null,{"b":null}]}"#, false),
        (#"{}"#, false),
    ])
    func reportsNullMembers(text: String, hasNullMember: Bool) throws {
        let record = try #require(try JSONParser.parse(text).objectValue)
        var writer = JSONWriter()
        #expect(writer.writeObject(record, skipping: "UID") == hasNullMember)
    }
}
