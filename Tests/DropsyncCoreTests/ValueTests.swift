import DropsyncCore
import Testing

@Suite("Value")
struct ValueTests {
    @Test("typed accessors return the payload of their own case only", arguments: [
        (Value.string("a"), "string"), (.bool(true), "boolean"), (.int(3), "integer"),
        (.double(1.5), "number"), (.null, "null"), (.array([]), "array"), (.object(Record()), "object"),
    ])
    func typeNames(value: Value, typeName: String) {
        #expect(value.typeName == typeName)
        #expect((value.stringValue != nil) == (typeName == "string"))
        #expect((value.boolValue != nil) == (typeName == "boolean"))
        #expect((value.arrayValue != nil) == (typeName == "array"))
        #expect((value.objectValue != nil) == (typeName == "object"))
        #expect(value.isNull == (typeName == "null"))
    }

    @Test("a whole double reads as an integer; a fraction does not")
    func integerFromDouble() {
        #expect(Value.double(4.0).intValue == 4)
        #expect(Value.double(4.5).intValue == nil)
        #expect(Value.int(7).doubleValue == 7)
    }

    @Test("plain text writes scalars as JSON and null as empty", arguments: [
        (Value.string("x y"), "x y"), (.int(-12), "-12"), (.double(2.5), "2.5"), (.bool(false), "false"),
        (.null, ""), (Value.array(["a", 1]), #"["a",1]"#), (Value.object(["k": "v"]), #"{"k":"v"}"#),
    ])
    func plainText(value: Value, expected: String) {
        #expect(value.plainText == expected)
    }
}

@Suite("FieldPath")
struct FieldPathTests {
    @Test("parses dotted paths and quoted segments", arguments: [
        ("email", ["email"]),
        ("profile.email", ["profile", "email"]),
        ("'a.b'", ["a.b"]),
        ("data.'x.y'.z", ["data", "x.y", "z"]),
        ("it's", ["it's"]),
    ])
    func parses(text: String, components: [String]) {
        #expect(FieldPath(text)?.components == components)
    }

    @Test("rejects empty segments and unterminated quotes", arguments: ["", ".", "a.", ".a", "a..b", "'a.b", "a.''"])
    func rejects(text: String) {
        #expect(FieldPath(text) == nil)
    }

    @Test("describes itself with quotes around dotted segments")
    func description() {
        #expect(FieldPath(components: ["data", "x.y"]).description == "data.'x.y'")
    }
}
