import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Testing

/// Runs one field transformer over one record and returns what came out.
private func transform<C: Component>(_ type: C.Type, _ params: Record, _ record: Record) async throws -> [Record] {
    try await ComponentHarness.run(type, params: params, input: [.records([record])]).records
}

/// `{"sourceField": source, "targetField": target}`.
private func rename(_ source: String, _ target: String) -> Value { ["sourceField": .string(source), "targetField": .string(target)] }

@Suite("field.rename")
struct FieldRenameTests {
    @Test("renames fields", arguments: [
        ([rename("b", "x")], ["a": 1, "b": 2, "c": 3], ["a": 1, "x": 2, "c": 3] as Record),
        ([rename("email", "profile.email")], ["email": "e", "UID": "u"], ["profile": ["email": "e"], "UID": "u"]),
        ([rename("email", "profile.email")], ["profile": ["name": "n"], "email": "e"], ["profile": ["name": "n", "email": "e"]]),
        ([rename("email", "'profile.email'")], ["UID": "u", "email": "e"], ["UID": "u", "profile.email": "e"]),
        ([rename("'a.b'", "c")], ["a.b": 1, "z": 0], ["c": 1, "z": 0]),
        ([rename("profile.email", "email")], ["profile": ["email": "e", "x": 1], "UID": "u"],
         ["profile": ["x": 1], "email": "e", "UID": "u"]),
        ([rename("a", "b")], ["a": 1, "b": 2], ["b": 1]),
        ([rename("a", "b"), rename("b", "c")], ["a": 1], ["c": 1]),
        ([rename("a", "a.b")], ["x": 0, "a": 1], ["x": 0, "a": ["b": 1]]),
        ([rename("a", "x")], ["a": nil, "b": 2], ["x": nil, "b": 2]),
    ] as [([Value], Record, Record)])
    func renames(fields: [Value], input: Record, expected: Record) async throws {
        #expect(try await transform(FieldRename.self, ["fields": .array(fields)], input) == [expected])
    }

    @Test("a record without the source passes unchanged", arguments: ["missing", "profile.email", "UID.x"])
    func missingSource(source: String) async throws {
        let record: Record = ["UID": "u", "profile": ["name": "n"]]
        #expect(try await transform(FieldRename.self, ["fields": [rename(source, "target")]], record) == [record])
    }
}

@Suite("field.remove")
struct FieldRemoveTests {
    @Test("removes fields and ignores missing ones", arguments: [
        (["b"], ["a": 1, "b": 2, "c": 3], ["a": 1, "c": 3] as Record),
        (["profile.email", "nope"], ["profile": ["email": "e", "name": "n"]], ["profile": ["name": "n"]]),
        (["profile.email"], ["profile": ["email": "e"], "UID": "u"], ["profile": [:], "UID": "u"]),
        (["'a.b'"], ["a.b": 1, "a": ["b": 2]], ["a": ["b": 2]]),
        (["a.b"], ["a.b": 1, "a": ["b": 2]], ["a.b": 1, "a": [:]]),
        (["a", "b"], ["a": 1, "b": 2], [:]),
    ] as [([Value], Record, Record)])
    func removes(fields: [Value], input: Record, expected: Record) async throws {
        #expect(try await transform(FieldRemove.self, ["fields": .array(fields)], input) == [expected])
    }
}

@Suite("field.select")
struct FieldSelectTests {
    @Test("keeps only the listed fields, in the listed order", arguments: [
        (["c", "a"], ["a": 1, "b": 2, "c": 3], ["c": 3, "a": 1] as Record),
        (["UID", "profile.email"], ["profile": ["email": "e", "name": "n"], "UID": "u", "x": 1],
         ["UID": "u", "profile": ["email": "e"]]),
        (["profile.name", "UID", "profile.email"], ["profile": ["email": "e", "name": "n"], "UID": "u"],
         ["profile": ["name": "n", "email": "e"], "UID": "u"]),
        (["'a.b'", "missing"], ["a.b": 1, "z": 2], ["a.b": 1]),
        (["missing"], ["a": 1], [:]),
    ] as [([Value], Record, Record)])
    func selects(fields: [Value], input: Record, expected: Record) async throws {
        #expect(try await transform(FieldSelect.self, ["fields": .array(fields)], input) == [expected])
    }
}

@Suite("field.move")
struct FieldMoveTests {
    @Test("reorders fields", arguments: [
        (["fields": ["c", "b"]], ["a": 1, "b": 2, "c": 3, "d": 4], ["c": 3, "b": 2, "a": 1, "d": 4] as Record),
        (["fields": ["a"], "after": "c"], ["a": 1, "b": 2, "c": 3, "d": 4], ["b": 2, "c": 3, "a": 1, "d": 4]),
        (["fields": ["d", "a"], "after": "b"], ["a": 1, "b": 2, "c": 3, "d": 4], ["b": 2, "d": 4, "a": 1, "c": 3]),
        (["fields": ["missing", "c"]], ["a": 1, "c": 3], ["c": 3, "a": 1]),
        (["fields": ["profile.email"]], ["UID": "u", "profile": ["name": "n", "email": "e"]],
         ["UID": "u", "profile": ["email": "e", "name": "n"]]),
        (["fields": ["profile.name"], "after": "profile.email"], ["profile": ["name": "n", "email": "e", "x": 1]],
         ["profile": ["email": "e", "name": "n", "x": 1]]),
        (["fields": ["a"], "after": "gone"], ["b": 2, "a": 1], ["b": 2, "a": 1]),
        (["fields": ["profile.email"]], ["profile": "flat"], ["profile": "flat"]),
    ] as [(Record, Record, Record)])
    func moves(params: Record, input: Record, expected: Record) async throws {
        #expect(try await transform(FieldMove.self, params, input) == [expected])
    }
}

@Suite("field.add")
struct FieldAddTests {
    private func add(_ field: String, _ value: Value) -> Value { ["field": .string(field), "value": value] }

    @Test("sets fields, creating nesting and overwriting in place", arguments: [
        ([("source", "import")], ["UID": "u"], ["UID": "u", "source": "import"] as Record),
        ([("data.flags", ["a", 1, nil])], ["UID": "u"], ["UID": "u", "data": ["flags": ["a", 1, nil]]]),
        ([("UID", 7)], ["UID": "u", "x": 1], ["UID": 7, "x": 1]),
        ([("'a.b'", true)], [:], ["a.b": true]),
        ([("a", 1), ("a", 2)], [:], ["a": 2]),
    ] as [([(String, Value)], Record, Record)])
    func adds(fields: [(String, Value)], input: Record, expected: Record) async throws {
        let params: Record = ["fields": .array(fields.map { add($0.0, $0.1) })]
        #expect(try await transform(FieldAdd.self, params, input) == [expected])
    }

    @Test("expands macros in strings, also inside arrays and objects, with the job's time and id")
    func macros() async throws {
        let params: Record = ["fields": [
            add("batch", "${jobId}"),
            add("day", "${now:yyyyMMdd}"),
            add("meta", ["at": "${now}", "tags": ["run ${now-1d:yyyy-MM-dd}", 3]]),
            add("price", "$5 {not a macro}"),
        ]]
        #expect(try await transform(FieldAdd.self, params, ["UID": "u"]) == [[
            "UID": "u", "batch": "test-job", "day": "20261118",
            "meta": ["at": "2026-11-18T11:06:40.000Z", "tags": ["run 2026-11-17", 3]],
            "price": "$5 {not a macro}",
        ]])
    }
}

@Suite("Field transformers")
struct FieldTransformerTests {
    @Test("every record of every batch is transformed, sourceDone is forwarded and metrics count records")
    func batchesAndMetrics() async throws {
        let file = FileInfo(name: "in.csv", path: "/drop/in.csv", location: "local:/drop")
        let result = try await ComponentHarness.run(
            FieldRemove.self, params: ["fields": ["x"]],
            input: [.records([["x": 1, "a": 1], ["a": 2]]), .records([["a": 3, "x": 0]]), .sourceDone(file)])
        #expect(result.records == [["a": 1], ["a": 2], ["a": 3]])
        #expect(result.sourcesDone == [file])
        #expect(result.metrics.input.value == 3)
        #expect(result.metrics.output.value == 3)
        #expect(result.rejected.isEmpty)
    }

    @Test("bad params are refused when the component is built", arguments: [
        (FieldRename.self, ["fields": []], "fields", "must not be empty"),
        (FieldRename.self, ["fields": ["a"]], "fields", #"item 0: expected object {sourceField, targetField}, got string "a""#),
        (FieldRename.self, ["fields": [rename("a", "b"), ["sourceField": "c"]]], "fields", "item 1: needs 'targetField'"),
        (FieldRename.self, ["fields": [["sourceField": "a", "targetField": "b", "as": "c"]]], "fields", "item 0: unknown key 'as'"),
        (FieldRename.self, ["fields": [rename("a..b", "c")]], "fields", #"item 0: 'sourceField' must be a field path (no empty segment, every quote closed), got "a..b""#),
        (FieldRename.self, ["fields": [["sourceField": 1, "targetField": "b"]]], "fields", "item 0: 'sourceField' expected string, got integer 1"),
        (FieldRemove.self, ["fields": ["ok", "'open"]], "fields", #"item 1: must be a field path (no empty segment, every quote closed), got "'open""#),
        (FieldRemove.self, [:], "fields", "is required"),
        (FieldSelect.self, ["fields": [3]], "fields", "item 0: expected string, got integer 3"),
        (FieldMove.self, ["fields": ["a", "profile.b"]], "fields", #"item 1: "profile.b" is not in the same object as "a""#),
        (FieldMove.self, ["fields": ["a"], "after": "profile.b"], "after", "is not in the same object"),
        (FieldMove.self, ["fields": ["a", "b"], "after": "b"], "after", "is itself one of the moved fields"),
        (FieldMove.self, ["fields": ["a"], "after": "x."], "after", "must be a field path"),
        (FieldAdd.self, ["fields": [["field": "a"]]], "fields", "item 0: needs 'value'"),
        (FieldAdd.self, ["fields": [["field": "a", "value": "${today}"]]], "fields", "item 0: value uses an unknown macro ${today}"),
        (FieldAdd.self, ["fields": [["field": "a", "value": ["x": ["${nowish}"]]]]], "fields", "unknown macro ${nowish}"),
    ] as [(any Component.Type, Record, String, String)])
    func badParams(type: any Component.Type, params: Record, param: String, fragment: String) {
        let error = #expect(throws: ParamError.self) { try ComponentHarness.make(type, params) }
        #expect(error?.param == param)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test("the validator reports every bad field param of a dataflow at once")
    func validation() {
        let registry = ComponentRegistry([RecordSource.self, FieldRename.self, FieldAdd.self, FieldMove.self])
        let dataflow = Dataflow(name: "flow", steps: [
            StepDefinition(id: "source", type: "test.source", next: ["rename"]),
            StepDefinition(id: "rename", type: "field.rename", params: ["fields": [["sourceField": "a"]]], next: ["add"]),
            StepDefinition(id: "add", type: "field.add", params: ["fields": [["field": "b", "value": "${when}"]]], next: ["move"]),
            StepDefinition(id: "move", type: "field.move", params: ["fields": "a"]),
        ], file: "/conf.d/flow.json")
        var diagnostics: [Diagnostic] = []
        #expect(DataflowValidator(registry: registry).compile(dataflow, into: &diagnostics) == nil)
        #expect(diagnostics.map { "\($0.step ?? "") \($0.param ?? ""): \($0.message)" } == [
            "rename fields: item 0: needs 'targetField'",
            "add fields: item 0: value uses an unknown macro ${when}",
            #"move fields: expected array of string, got string "a""#,
        ])
    }
}

/// nothing → records, so a dataflow of field steps has an entry point.
private struct RecordSource: Component {
    static let spec = ComponentSpec(type: "test.source", summary: "Produces records.", input: .nothing, output: .records, params: [])
    init(params: Params) throws(ParamError) {}
    func run(_ step: StepRun) async throws {}
}
