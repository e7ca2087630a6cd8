import DropsyncCore
import Testing

@Suite("Record")
struct RecordTests {
    let sample: Record = ["UID": "u1", "profile": ["email": "a@b.c", "name": ["first": "Ann"]], "a.b": 1]

    private func path(_ text: String) -> FieldPath { FieldPath(text)! }

    @Test("setting a new top-level field appends it; setting an existing one keeps its place")
    func topLevelOrder() {
        var record: Record = ["a": 1, "b": 2]
        record["c"] = 3
        record["a"] = 9
        #expect(record.names == ["a", "b", "c"])
        #expect(record["a"] == 9)
    }

    @Test("setting nil removes a top-level field")
    func topLevelRemove() {
        var record: Record = ["a": 1, "b": 2]
        record["a"] = nil
        #expect(record.names == ["b"])
    }

    @Test("reads values at a path", arguments: [
        ("UID", Value.string("u1")),
        ("profile.email", "a@b.c"),
        ("profile.name.first", "Ann"),
        ("'a.b'", 1),
    ])
    func valueAtPath(text: String, expected: Value) {
        #expect(sample.value(at: path(text)) == expected)
    }

    @Test("a path through a missing or non-object field reads nothing", arguments: [
        "missing", "profile.phone", "UID.x", "profile.email.x", "a.b",
    ])
    func missingPath(text: String) {
        #expect(sample.value(at: path(text)) == nil)
    }

    @Test("setting a nested path creates the objects on the way")
    func setCreatesNesting() {
        var record: Record = ["UID": "u1"]
        record.setValue("x@y.z", at: path("profile.contact.email"))
        #expect(record == ["UID": "u1", "profile": ["contact": ["email": "x@y.z"]]])
    }

    @Test("setting a nested path keeps siblings and replaces a scalar on the way")
    func setKeepsSiblings() {
        var record: Record = ["profile": ["name": "Ann"], "data": 5]
        record.setValue(true, at: path("profile.active"))
        record.setValue(1, at: path("data.count"))
        #expect(record == ["profile": ["name": "Ann", "active": true], "data": ["count": 1]])
    }

    @Test("a quoted segment sets one field whose name has a dot")
    func setQuoted() {
        var record = Record()
        record.setValue(1, at: path("data.'x.y'"))
        #expect(record == ["data": ["x.y": 1]])
    }

    @Test("removing a nested field returns it and leaves the emptied object")
    func removeNested() {
        var record: Record = ["profile": ["email": "a@b.c"], "UID": "u1"]
        #expect(record.removeValue(at: path("profile.email")) == "a@b.c")
        #expect(record == ["profile": [:], "UID": "u1"])
    }

    @Test("removing a missing path changes nothing", arguments: ["nope", "profile.nope", "UID.x"])
    func removeMissing(text: String) {
        var record = sample
        #expect(record.removeValue(at: path(text)) == nil)
        #expect(record == sample)
    }

    @Test("a quoted segment removes the literal dotted field")
    func removeQuoted() {
        var record = sample
        #expect(record.removeValue(at: path("'a.b'")) == 1)
        #expect(record.names == ["UID", "profile"])
    }

    @Test("describes itself as compact JSON in field order")
    func description() {
        let record: Record = ["b": 1, "a": [true, nil]]
        #expect(record.description == #"{"b":1,"a":[true,null]}"#)
    }
}
