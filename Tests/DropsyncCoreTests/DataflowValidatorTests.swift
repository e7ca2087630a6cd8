import DropsyncCore
import Testing

// MARK: - Test-only components, one per port shape

/// nothing → file, like a drop-zone reader.
private struct FakeReader: Component {
    static let spec = ComponentSpec(
        type: "test.read", summary: "Reads files.", input: .nothing, output: .file,
        params: [
            ParamSpec("path", .string, required: true, "Where to read."),
            ParamSpec("pattern", .string, "File name regex."),
        ])
    init(params: Params) throws(ParamError) { _ = try params.regex("pattern") }
    func run(_ step: StepRun) async throws {}
}

/// file → records, rejecting lines it cannot parse.
private struct FakeParser: Component {
    static let spec = ComponentSpec(
        type: "test.parse", summary: "Parses files.", input: .file, output: .records, rejectsRecords: true,
        params: [
            ParamSpec("separator", .string, default: ",", "Column separator."),
            ParamSpec("header", .boolean, default: true, "Whether the first line names the columns."),
            ParamSpec("columns", .array(of: .string), "Column names."),
        ])
    init(params: Params) throws(ParamError) { _ = try params.byte("separator") }
    func run(_ step: StepRun) async throws {}
}

/// records → records, rejecting nothing.
private struct FakeRelay: Component {
    static let spec = ComponentSpec(
        type: "test.relay", summary: "Passes records on.", input: .records, output: .records,
        params: [ParamSpec("count", .integer, "How many.")])
    init(params: Params) throws(ParamError) {}
    func run(_ step: StepRun) async throws {}
}

/// records → nothing, rejecting records it cannot store.
private struct FakeWriter: Component {
    static let spec = ComponentSpec(
        type: "test.write", summary: "Stores records.", input: .records, output: .nothing, rejectsRecords: true,
        params: [ParamSpec("mode", .oneOf(["append", "replace"]), default: "append", "How to store.")])
    init(params: Params) throws(ParamError) {}
    func run(_ step: StepRun) async throws {}
}

private let registry = ComponentRegistry([FakeReader.self, FakeParser.self, FakeRelay.self, FakeWriter.self])

// MARK: - Cases

/// One expected diagnostic: the step and param it names and a fragment of its message.
struct ExpectedDiagnostic: Sendable, CustomStringConvertible {
    let step: String?
    let param: String?
    let fragment: String

    init(_ step: String?, param: String? = nil, _ fragment: String) {
        self.step = step
        self.param = param
        self.fragment = fragment
    }

    func matches(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.step == step && diagnostic.param == param && diagnostic.message.contains(fragment)
    }

    var description: String { "step \(step ?? "-") param \(param ?? "-"): …\(fragment)…" }
}

/// A dataflow's `steps` array and every diagnostic it must produce (no more, no fewer).
struct ValidatorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let steps: String
    let expected: [ExpectedDiagnostic]

    init(_ name: String, _ steps: String, _ expected: [ExpectedDiagnostic]) {
        self.name = name
        self.steps = steps
        self.expected = expected
    }

    var testDescription: String { name }
}

private let read = #"{"id": "read", "type": "test.read", "params": {"path": "/in"}, "next": ["parse"]}"#
private let parse = #"{"id": "parse", "type": "test.parse", "next": ["write"]}"#
private let write = #"{"id": "write", "type": "test.write", "next": []}"#

private let validatorCases: [ValidatorCase] = [
    ValidatorCase("a well-formed flow has no diagnostics", "[\(read), \(parse), \(write)]", []),
    ValidatorCase(
        "an unknown type names the nearest known type",
        #"[\#(read), {"id": "parse", "type": "test.parser", "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", "unknown type 'test.parser'; did you mean 'test.parse'?")]),
    ValidatorCase(
        "an unknown type far from every name points to the component list",
        #"[\#(read), {"id": "parse", "type": "zzz", "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", "unknown type 'zzz' (see `dropsync components`)")]),
    ValidatorCase(
        "an IdentitySync type dropsync lacks is called unsupported, not unknown",
        #"[\#(read), \#(parse), {"id": "eval", "type": "field.evaluate", "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("eval", "is an IdentitySync component that dropsync does not support")]),
    ValidatorCase(
        "an unknown param names the nearest param",
        #"[\#(read), {"id": "parse", "type": "test.parse", "params": {"separater": ";"}, "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", param: "separater", "unknown param for test.parse; did you mean 'separator'?")]),
    ValidatorCase(
        "a missing required param is named with its type",
        #"[{"id": "read", "type": "test.read", "next": ["parse"]}, \#(parse), \#(write)]"#,
        [ExpectedDiagnostic("read", param: "path", "is required (string)")]),
    ValidatorCase(
        "a null required param counts as missing",
        #"[{"id": "read", "type": "test.read", "params": {"path": null}, "next": ["parse"]}, \#(parse), \#(write)]"#,
        [ExpectedDiagnostic("read", param: "path", "is required")]),
    ValidatorCase(
        "an ill-typed param says what was expected and what came",
        #"[\#(read), {"id": "parse", "type": "test.parse", "params": {"header": "yes"}, "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", param: "header", "expected boolean, got string")]),
    ValidatorCase(
        "an ill-typed array item is named by position",
        #"[\#(read), {"id": "parse", "type": "test.parse", "params": {"columns": ["a", 2]}, "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", param: "columns", "item 1: expected string, got integer")]),
    ValidatorCase(
        "a choice in the wrong case suggests the right spelling",
        #"[\#(read), \#(parse), {"id": "write", "type": "test.write", "params": {"mode": "Append"}}]"#,
        [ExpectedDiagnostic("write", param: "mode", #"did you mean "append"?"#)]),
    ValidatorCase(
        "a param the component's initializer refuses is reported on that param",
        #"[{"id": "read", "type": "test.read", "params": {"path": "/in", "pattern": "(["}, "next": ["parse"]}, \#(parse), \#(write)]"#,
        [ExpectedDiagnostic("read", param: "pattern", "is not a valid regular expression")]),
    ValidatorCase(
        "'next' naming a missing step is reported",
        #"[\#(read), {"id": "parse", "type": "test.parse", "next": ["write", "nowhere"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", "'next' names step 'nowhere', which does not exist")]),
    ValidatorCase(
        "'error' naming a missing step is reported",
        #"[\#(read), {"id": "parse", "type": "test.parse", "next": ["write"], "error": ["failed"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", "'error' names step 'failed', which does not exist")]),
    ValidatorCase(
        "a cycle is reported with its path",
        #"""
        [\#(read), {"id": "parse", "type": "test.parse", "next": ["a"]},
         {"id": "a", "type": "test.relay", "next": ["b"]}, {"id": "b", "type": "test.relay", "next": ["a"]}]
        """#,
        [ExpectedDiagnostic("a", "the steps form a cycle: a → b → a")]),
    ValidatorCase(
        "a flow where every step is named by another has no entry point",
        #"[{"id": "a", "type": "test.relay", "next": ["b"]}, {"id": "b", "type": "test.relay", "next": ["a"]}]"#,
        [ExpectedDiagnostic(nil, "no entry point"), ExpectedDiagnostic("a", "the steps form a cycle")]),
    ValidatorCase(
        "records sent into a file step are a kind mismatch",
        #"[\#(read), {"id": "parse", "type": "test.parse", "next": ["again"]}, {"id": "again", "type": "test.parse", "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("parse", "'next' sends records to 'again', but test.parse takes files")]),
    ValidatorCase(
        "files sent into a records step are a kind mismatch",
        #"[{"id": "read", "type": "test.read", "params": {"path": "/in"}, "next": ["relay"]}, {"id": "relay", "type": "test.relay", "next": ["write"]}, \#(write)]"#,
        [ExpectedDiagnostic("read", "'next' sends files to 'relay', but test.relay takes records")]),
    ValidatorCase(
        "an 'error' path on a step that rejects nothing is refused",
        #"""
        [\#(read), {"id": "parse", "type": "test.parse", "next": ["relay"]},
         {"id": "relay", "type": "test.relay", "next": ["write"], "error": ["failed"]}, \#(write),
         {"id": "failed", "type": "test.write"}]
        """#,
        [ExpectedDiagnostic("relay", "test.relay rejects no records, so it cannot have an 'error' path")]),
    ValidatorCase(
        "an 'error' path carries records, so it may lead to a records step",
        #"[\#(read), {"id": "parse", "type": "test.parse", "next": ["write"], "error": ["failed"]}, \#(write), {"id": "failed", "type": "test.write"}]"#,
        []),
    ValidatorCase(
        "a step that produces nothing cannot lead on",
        #"[\#(read), \#(parse), {"id": "write", "type": "test.write", "next": ["more"]}, {"id": "more", "type": "test.write"}]"#,
        [ExpectedDiagnostic("write", "test.write produces nothing, so it cannot lead to 'more'")]),
    ValidatorCase(
        "a step that needs input but has no step leading to it is reported",
        #"[\#(read), \#(parse), \#(write), {"id": "orphan", "type": "test.relay"}]"#,
        [ExpectedDiagnostic("orphan", "nothing leads to this step, but test.relay needs records as input")]),
    ValidatorCase(
        "no step may lead to a reader",
        #"[\#(read), {"id": "parse", "type": "test.parse", "next": ["write"], "error": ["read"]}, \#(write)]"#,
        [
            ExpectedDiagnostic("parse", "'error' sends records to 'read', but test.read takes no input"),
            ExpectedDiagnostic("read", "test.read reads from its own source; no step may lead to it"),
            ExpectedDiagnostic(nil, "no entry point"),
            ExpectedDiagnostic("read", "the steps form a cycle: read → parse → read"),
        ]),
    ValidatorCase(
        "a file step takes files from one step only",
        #"""
        [\#(read), {"id": "read2", "type": "test.read", "params": {"path": "/other"}, "next": ["parse"]},
         \#(parse), \#(write)]
        """#,
        [ExpectedDiagnostic("parse", "a file step takes files from one step only; 2 steps lead to it")]),
    ValidatorCase(
        "duplicate step ids are reported",
        "[\(read), \(parse), \(write), \(write)]",
        [ExpectedDiagnostic("write", "duplicate step id")]),
    ValidatorCase(
        "several problems in one flow are all reported at once",
        #"""
        [{"id": "read", "type": "test.read", "params": {"pattern": 5}, "next": ["parse"]},
         {"id": "parse", "type": "test.parse", "params": {"seperator": ";"}, "next": ["write", "gone"]},
         {"id": "mystery", "type": "test.wrote"}, \#(write)]
        """#,
        [
            ExpectedDiagnostic("read", param: "pattern", "expected string, got integer"),
            ExpectedDiagnostic("read", param: "path", "is required"),
            ExpectedDiagnostic("parse", param: "seperator", "did you mean 'separator'?"),
            ExpectedDiagnostic("mystery", "did you mean 'test.write'?"),
            ExpectedDiagnostic("parse", "'next' names step 'gone'"),
        ]),
]

// MARK: - Tests

@Suite("Dataflow validation")
struct DataflowValidatorTests {
    @Test("each dataflow yields exactly its expected diagnostics", arguments: validatorCases)
    func table(_ testCase: ValidatorCase) {
        let directory = ScratchDirectory()
        let file = directory.write("flow.json", #"{"name": "flow", "steps": \#(testCase.steps)}"#)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        expect(configuration.diagnostics, testCase.expected, file: file)
        #expect(configuration.dataflows.count == (testCase.expected.isEmpty ? 1 : 0))
    }

    @Test("dataflow documents with a broken structure are reported", arguments: [
        (#"[1, 2]"#, [ExpectedDiagnostic(nil, "a dataflow must be a JSON object, got array")]),
        (#"{"steps": []}"#, [ExpectedDiagnostic(nil, "the dataflow needs a non-empty string 'name'")]),
        (#"{"name": "flow", "steps": []}"#, [ExpectedDiagnostic(nil, "the dataflow needs a non-empty 'steps' array")]),
        (#"{"name": "flow", "owner": "me", "steps": [{"id": "read", "type": "test.read", "params": {"path": "/in"}}]}"#,
         [ExpectedDiagnostic(nil, "unknown dataflow field 'owner'")]),
        (#"{"name": "flow", "steps": [{"id": "read", "kind": "x", "type": "test.read", "params": {"path": "/in"}}]}"#,
         [ExpectedDiagnostic("read", "unknown step field 'kind'")]),
        (#"{"name": "flow", "steps": [{"id": "read", "params": {}}]}"#,
         [ExpectedDiagnostic("read", "the step needs a non-empty string 'type'")]),
        (#"{"name": "flow", "steps": [\#(read), {"id": "parse", "next": []}]}"#,
         [ExpectedDiagnostic("parse", "the step needs a non-empty string 'type'")]),
        (#"{"name": "flow", "steps": [{"type": "test.read"}]}"#, [ExpectedDiagnostic(nil, "steps[0] needs a non-empty string 'id'")]),
        (#"{"name": "flow", "steps": [{"id": "read", "type": "test.read", "params": [], "next": 3}]}"#,
         [
            ExpectedDiagnostic("read", "'params' must be an object, got array"),
            ExpectedDiagnostic("read", "'next' must be an array of step ids, got integer"),
            ExpectedDiagnostic("read", param: "path", "is required"),
         ]),
    ])
    func structure(document: String, expected: [ExpectedDiagnostic]) {
        let directory = ScratchDirectory()
        let file = directory.write("flow.json", document)
        expect(Configuration.load(directory: directory.path, registry: registry).diagnostics, expected, file: file)
    }

    @Test("a valid dataflow compiles with its steps in order and its entry points found")
    func compiles() throws {
        let directory = ScratchDirectory()
        directory.write("flow.json", #"{"name": "import", "steps": [\#(read), \#(parse), \#(write)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        let flow = try #require(configuration.dataflow(named: "import"))
        #expect(flow.steps.map(\.id) == ["read", "parse", "write"])
        #expect(flow.entryPoints.map(\.id) == ["read"])
        #expect(flow.step("parse")?.component is FakeParser)
        #expect(flow.incomingEdges == ["parse": 1, "write": 1])
    }

    @Test("two files declaring the same dataflow name are reported on the second")
    func duplicateNames() {
        let directory = ScratchDirectory()
        let first = directory.write("a.json", #"{"name": "same", "steps": [\#(read), \#(parse), \#(write)]}"#)
        let second = directory.write("b.json", #"{"name": "same", "steps": [\#(read), \#(parse), \#(write)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        #expect(configuration.diagnostics == [
            Diagnostic(file: second, message: "dataflow name 'same' is already used by \(first)"),
        ])
        #expect(configuration.dataflows.count == 1)
    }

    @Test("broken JSON is reported as file:line:column, and the other files still load")
    func brokenJSON() {
        let directory = ScratchDirectory()
        let broken = directory.write("broken.json", "{\n  \"name\": \"x\",\n  \"steps\": [,]\n}")
        directory.write("good.json", #"{"name": "good", "steps": [\#(read), \#(parse), \#(write)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        #expect(configuration.diagnostics.map(\.file) == ["\(broken):3:13"])
        #expect(configuration.diagnostics.first?.message.hasPrefix("invalid JSON: ") == true)
        #expect(configuration.dataflows.map(\.name) == ["good"])
    }

    @Test("comments are allowed in conf.d files")
    func comments() {
        let directory = ScratchDirectory()
        directory.write("flow.json", """
            // Nightly import.
            {
              "name": "commented", /* as IdentitySync samples have them */
              "steps": [\(read), \(parse), \(write)]
            }
            """)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        #expect(configuration.diagnostics.isEmpty)
        #expect(configuration.dataflows.map(\.name) == ["commented"])
    }

    @Test("only .json files are read, and hidden ones are skipped")
    func fileSelection() {
        let directory = ScratchDirectory()
        directory.write("notes.txt", "not json")
        directory.write(".draft.json", "{")
        directory.write("flow.json", #"{"name": "only", "steps": [\#(read), \#(parse), \#(write)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        #expect(configuration.isValid)
        #expect(configuration.dataflows.map(\.name) == ["only"])
    }

    @Test("a missing configuration directory is one diagnostic")
    func missingDirectory() {
        let directory = ScratchDirectory()
        let configuration = Configuration.load(directory: directory.path + "/nope", registry: registry)
        #expect(configuration.diagnostics.map(\.message) == ["the configuration directory does not exist"])
    }

    @Test("dropsync.json settings are decoded")
    func settings() {
        let directory = ScratchDirectory()
        directory.write("dropsync.json", """
            {"stateDirectory": "/var/lib/dropsync", "logLevel": "debug", "maxConcurrentJobs": 4,
             "reconciliationIntervalSeconds": 60}
            """)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        #expect(configuration.isValid)
        #expect(configuration.settings.stateDirectory == "/var/lib/dropsync")
        #expect(configuration.settings.logLevel == "debug")
        #expect(configuration.settings.maxConcurrentJobs == 4)
        #expect(configuration.settings.reconciliationIntervalSeconds == 60)
        #expect(configuration.dataflows.isEmpty)
    }

    @Test("unknown and ill-typed settings are all reported, and defaults stay")
    func badSettings() {
        let directory = ScratchDirectory()
        let file = directory.write("dropsync.json", #"{"logLevel": "loud", "maxConcurrentJobs": 0, "stateDir": "/x"}"#)
        let configuration = Configuration.load(directory: directory.path, registry: registry)
        expect(configuration.diagnostics, [
            ExpectedDiagnostic(nil, param: "logLevel", #"expected one of "debug""#),
            ExpectedDiagnostic(nil, param: "maxConcurrentJobs", "expected a positive integer, got integer"),
            ExpectedDiagnostic(nil, param: "stateDir", "unknown daemon setting"),
        ], file: file)
        #expect(configuration.settings.logLevel == "info")
        #expect(configuration.settings.maxConcurrentJobs == 2)
    }

    /// Every expected diagnostic is present, located in `file`, and nothing else was reported.
    private func expect(
        _ diagnostics: [Diagnostic], _ expected: [ExpectedDiagnostic], file: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for item in expected where !diagnostics.contains(where: item.matches) {
            Issue.record("missing \(item); got \(diagnostics)", sourceLocation: sourceLocation)
        }
        for diagnostic in diagnostics where !expected.contains(where: { $0.matches(diagnostic) }) {
            Issue.record("unexpected \(diagnostic)", sourceLocation: sourceLocation)
        }
        for diagnostic in diagnostics where diagnostic.file != file {
            Issue.record("\(diagnostic) should name \(file)", sourceLocation: sourceLocation)
        }
    }
}
