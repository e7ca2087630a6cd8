import DropsyncCore
import Testing

/// One value checked against one param spec, and every problem it must yield.
struct ParamCheckCase: Sendable, CustomTestStringConvertible {
    let name: String
    let spec: ParamSpec
    let value: Value
    let problems: [String]

    init(_ name: String, _ spec: ParamSpec, _ value: Value, _ problems: [String]) {
        self.name = name
        self.spec = spec
        self.value = value
        self.problems = problems
    }

    var testDescription: String { name }
}

private let renames = ParamSpec(
    "fields",
    .array(of: .keyed([
        ParamSpec("sourceField", .string, required: true, constraints: [.fieldPath], "The field to rename."),
        ParamSpec("targetField", .string, required: true, constraints: [.fieldPath], "Its new name."),
    ])),
    required: true, constraints: [.nonEmpty], "The renames.")

private let paramCheckCases: [ParamCheckCase] = [
    ParamCheckCase("a number below its minimum is quoted", ParamSpec("size", .integer, constraints: [.atLeast(0)], "A size."), -5,
                   ["must not be negative, got -5"]),
    ParamCheckCase("a port out of range is quoted", ParamSpec("port", .integer, constraints: [.between(1, 65_535)], "A port."), 70_000,
                   ["must be 1 to 65535, got 70000"]),
    ParamCheckCase("a fraction range accepts its bounds", ParamSpec("rate", .number, constraints: [.between(0, 1)], "A rate."), 1, []),
    ParamCheckCase("an empty optional string breaks nonEmpty", ParamSpec("region", .string, constraints: [.nonEmpty], "A region."), "",
                   [#"must not be empty, got """#]),
    ParamCheckCase("an empty required string must not be empty", ParamSpec("host", .string, required: true, "A host name."), "",
                   ["must not be empty"]),
    ParamCheckCase("an empty required secret is refused without being quoted", ParamSpec("key", .secret, required: true, "A key."), "",
                   ["must not be empty"]),
    ParamCheckCase("a secret's broken rule never quotes it", ParamSpec("key", .secret, constraints: [.matches(pattern: "k-.*", format: "k-…")], "A key."),
                   "hunter2", ["must be k-…"]),
    ParamCheckCase("a secret of the wrong type is not quoted", ParamSpec("key", .secret, "A key value."), 12345,
                   ["expected secret (string or {\"env\"|\"file\"|\"credential\": name}), got integer"]),
    ParamCheckCase("a two-character separator is quoted", ParamSpec("separator", .string, constraints: [.singleCharacter], "A separator."), "ab",
                   [#"must be one ASCII character other than a line break ("\t" for tab), got "ab""#]),
    ParamCheckCase("a tab written \\t is one character", ParamSpec("separator", .string, constraints: [.singleCharacter], "A separator."), "\\t", []),
    ParamCheckCase("a fingerprint of the wrong format is quoted as written",
                   ParamSpec("fingerprint", .string, constraints: [.matches(pattern: "(SHA256:)?[A-Za-z0-9+/]{43}", format: "SHA256: and 43 base64 characters")], "A pin."),
                   "foo", [#"must be SHA256: and 43 base64 characters, got "foo""#]),
    ParamCheckCase("every bad item of a field path list is reported",
                   ParamSpec("fields", .array(of: .string), constraints: [.nonEmpty, .fieldPath], "Paths."), ["a..b", "ok", 3, "'open"],
                   [
                    "item 2: expected string, got integer 3",
                    #"item 0: must be a field path (no empty segment, every quote closed), got "a..b""#,
                    #"item 3: must be a field path (no empty segment, every quote closed), got "'open""#,
                   ]),
    ParamCheckCase("every item of a keyed list is checked, each for every key",
                   renames, [["sourceField": "a"], ["source": "b", "targetField": "c"], ["sourceField": 1, "targetField": "d"]],
                   [
                    "item 0: needs 'targetField'",
                    "item 1: unknown key 'source' (expected sourceField, targetField)",
                    "item 1: needs 'sourceField'",
                    "item 2: 'sourceField' expected string, got integer 1",
                   ]),
    ParamCheckCase("a bad path in a keyed list is quoted with its key", renames, [["sourceField": "a..b", "targetField": "'c"]],
                   [
                    #"item 0: 'sourceField' must be a field path (no empty segment, every quote closed), got "a..b""#,
                    #"item 0: 'targetField' must be a field path (no empty segment, every quote closed), got "'c""#,
                   ]),
    ParamCheckCase("an empty keyed list is refused", renames, [], ["must not be empty, got []"]),
    ParamCheckCase("a misspelt key is offered the key it is close to", renames, [["sourceFeld": "a", "targetField": "b"]],
                   [
                    "item 0: unknown key 'sourceFeld' (expected sourceField, targetField); did you mean 'sourceField'?",
                    "item 0: needs 'sourceField'",
                   ]),
]

/// A spec named like an IdentitySync component, so its IdentitySync params are known.
private let formatSpec = ComponentSpec(
    type: "file.format.json", summary: "Formats.", input: .records, output: .file,
    params: [
        ParamSpec("fileName", .string, "The name of the file."),
        ParamSpec("port", .integer, constraints: [.between(1, 65_535)], "A port number."),
        ParamSpec("separator", .string, constraints: [.singleCharacter], "A separator."),
        ParamSpec("rate", .number, constraints: [.between(0, 1)], "A rate."),
    ])

@Suite("Param checks of the spec")
struct ParamSpecCheckTests {
    @Test("a value yields exactly its expected problems", arguments: paramCheckCases)
    func table(_ testCase: ParamCheckCase) {
        #expect(testCase.spec.problems(in: testCase.value) == testCase.problems)
    }

    @Test("every param of a step is checked, not only the first bad one")
    func everyParam() {
        let problems = formatSpec.problems(in: ["separator": "ab", "rate": 2, "port": -1])
        #expect(problems.map(\.param) == ["separator", "rate", "port"])
    }

    @Test("an IdentitySync param dropsync lacks is called unsupported, not unknown")
    func identitySyncParam() {
        #expect(formatSpec.problems(in: ["maxFileSize": 1000]).map(\.message) == [
            "IdentitySync param 'maxFileSize' is not supported by dropsync",
        ])
    }

    @Test("an unknown param is offered only a name close to it", arguments: [
        ("fileNme", "unknown param for file.format.json; did you mean 'fileName'?"),
        ("sortBy", "unknown param for file.format.json"),
    ])
    func suggestions(name: String, message: String) {
        #expect(formatSpec.problems(in: [name: "x"]).map(\.message) == [message])
    }
}
