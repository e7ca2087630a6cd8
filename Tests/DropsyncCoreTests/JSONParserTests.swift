import DropsyncCore
import Testing

@Suite("JSONParser and JSONWriter")
struct JSONParserTests {
    @Test("writing what was parsed gives back the same compact text", arguments: [
        #"{"z":1,"a":{"y":[1,2.5,1.5e+300,true,false,null],"b":"x"},"m":[]}"#,
        #"[{},[],"",0,-0.5]"#,
        #""tab\tquote\"back\\slash\nline""#,
        #"{"emoji":"😀","accent":"é"}"#,
    ])
    func roundTrip(text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(JSONWriter.string(value) == text)
    }

    @Test("object fields keep the order they were written in")
    func orderKept() throws {
        let value = try JSONParser.parse(#"{"zeta": 1, "alpha": 2, "mid": 3}"#)
        #expect(value.objectValue?.names == ["zeta", "alpha", "mid"])
    }

    @Test("indented output reads back to the same value")
    func indented() throws {
        let value: Value = ["a": [1, ["b": nil]], "c": [:], "d": []]
        let text = JSONWriter.string(value, indent: 2)
        #expect(text.contains("\n  \"a\": ["))
        #expect(try JSONParser.parse(text) == value)
    }

    @Test("integers stay integers and anything with a fraction or exponent is a double", arguments: [
        ("42", Value.int(42)), ("-7", .int(-7)), ("0", .int(0)),
        ("9223372036854775807", .int(Int64.max)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("1.0", .double(1)), ("2e3", .double(2000)), ("-1.5E-2", .double(-0.015)),
    ])
    func numbers(text: String, expected: Value) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test("a whole double is written with a fraction so it reads back as a double")
    func wholeDouble() throws {
        #expect(JSONWriter.string(.double(3)) == "3.0")
        #expect(try JSONParser.parse(JSONWriter.string(.double(3))) == .double(3))
    }

    @Test("integers are written with their sign and every digit", arguments: [Int64.min, -1, 0, 7, 1_000, Int64.max])
    func integers(number: Int64) {
        #expect(JSONWriter.string(.int(number)) == String(number))
    }

    @Test("an object can be written without one field and without null members, except in arrays")
    func objectWithoutNulls() throws {
        let record: Record = ["UID": "u1", "a": nil, "b": ["c": nil, "d": 1, "e": [nil, ["f": nil]]]]
        var writer = JSONWriter()
        writer.writeObject(record, skipping: "UID", omittingNullMembers: true)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"b":{"d":1,"e":[null,{"f":null}]}}"#)
    }

    @Test("unicode escapes decode, including surrogate pairs", arguments: [
        (#""\u00e9""#, "é"), (#""\u20AC""#, "€"), (#""\ud83d\ude00""#, "😀"), (#""a\/b""#, "a/b"),
        (#""\b\f""#, "\u{8}\u{c}"),
    ])
    func unicodeEscapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test("control characters are written as escapes that read back")
    func controlCharacters() throws {
        let text = JSONWriter.string(.string("a\u{1}b"))
        #expect(text == #""a\u0001b""#)
        #expect(try JSONParser.parse(text) == .string("a\u{1}b"))
    }

    @Test("comments are skipped only when allowed")
    func comments() throws {
        let text = """
            // a dataflow
            { /* inline */ "a": 1, // trailing
              "b": 2 }
            """
        #expect(try JSONParser.parse(text, allowComments: true) == ["a": 1, "b": 2])
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test("an unterminated comment is an error where the comment starts")
    func unterminatedComment() {
        let error = #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse("{\n  /* never closed", allowComments: true)
        }
        #expect(error?.description == "line 2, column 3: unterminated comment")
    }

    @Test("syntax errors carry a message, line and column", arguments: [
        ("{\"a\": 1,\n  \"b\" 2}", "expected ':' after field name", 2, 7),
        ("[1, 2", "unterminated array", 1, 6),
        ("{\"a\": tru}", "invalid literal", 1, 7),
        ("{\"a\": 1} x", "unexpected text after the JSON value", 1, 10),
        ("\n\n   @", "unexpected character '@'", 3, 4),
        ("{\"é\": 01}", "leading zero in number", 1, 9),
        ("[1e999]", "number out of range", 1, 7),
        ("\"abc", "unterminated string", 1, 5),
        ("\"a\nb\"", "control character in string", 1, 3),
        ("\"\\n\u{1}\"", "control character in string", 1, 4),
        ("\"\\x\"", "invalid escape '\\x'", 1, 4),
        ("\"\\ud83d\"", "unpaired surrogate", 1, 8),
        ("\"\\ude00\"", "unpaired surrogate", 1, 8),
        ("\"\\u12G4\"", "invalid \\u escape", 1, 6),
        ("{1: 2}", "expected a field name in quotes", 1, 2),
        ("", "unexpected end of input", 1, 1),
        ("-", "invalid number", 1, 2),
        ("1.", "invalid number", 1, 3),
    ])
    func syntaxErrors(text: String, message: String, line: Int, column: Int) {
        let error = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
        #expect(error?.message == message)
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test("invalid UTF-8 inside a string is an error", arguments: [
        [UInt8(ascii: "\""), 0xC3, UInt8(ascii: "\"")],
        [UInt8(ascii: "\""), 0xFF, 0xFE, UInt8(ascii: "\"")],
        [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), 0xED, 0xA0, 0x80, UInt8(ascii: "\"")],
    ])
    func invalidUTF8(bytes: [UInt8]) {
        let error = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(bytes) }
        #expect(error?.message == "invalid UTF-8 in string")
    }

    @Test("nesting up to 512 levels parses; deeper is refused")
    func nestingLimit() throws {
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(allowed) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
        #expect(error?.message == "nesting deeper than 512")
    }

    @Test("parseNext reads a stream of values one at a time")
    func stream() throws {
        let bytes = Array("{\"a\":1}\n{\"a\":2}\n  ".utf8)
        var values: [Value] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer: buffer)
            while let value = try parser.parseNext() { values.append(value) }
        }
        #expect(values == [["a": 1], ["a": 2]])
    }
}
