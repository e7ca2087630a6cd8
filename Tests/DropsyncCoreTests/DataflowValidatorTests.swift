import DropsyncCore
import Testing

// MARK: - Cases

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


private let validatorCases: [ValidatorCase] = [
    ValidatorCase("a well-formed flow has no diagnostics", "[\(readStep), \(parseStep), \(writeStep)]", []),
    ValidatorCase(
        "an unknown type names the nearest known type",
        #"[\#(readStep), {"id": "parse", "type": "test.parser", "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", "unknown type 'test.parser'; did you mean 'test.parse'?")]),
    ValidatorCase(
        "an unknown type far from every name points to the component list",
        #"[\#(readStep), {"id": "parse", "type": "zzz", "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", "unknown type 'zzz' (see `dropsync components`)")]),
    ValidatorCase(
        "an IdentitySync type dropsync lacks is called unsupported, not unknown",
        #"[\#(readStep), \#(parseStep), {"id": "eval", "type": "field.evaluate", "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("eval", "is an IdentitySync component that dropsync does not support")]),
    ValidatorCase(
        "an unknown param names the nearest param",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "params": {"separater": ";"}, "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", param: "separater", "unknown param for test.parse; did you mean 'separator'?")]),
    ValidatorCase(
        "a missing required param is named with its type",
        #"[{"id": "read", "type": "test.read", "next": ["parse"]}, \#(parseStep), \#(writeStep)]"#,
        [ExpectedDiagnostic("read", param: "path", "is required (string)")]),
    ValidatorCase(
        "a null required param counts as missing",
        #"[{"id": "read", "type": "test.read", "params": {"path": null}, "next": ["parse"]}, \#(parseStep), \#(writeStep)]"#,
        [ExpectedDiagnostic("read", param: "path", "is required")]),
    ValidatorCase(
        "an ill-typed param says what was expected and what came",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "params": {"header": "yes"}, "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", param: "header", "expected boolean, got string")]),
    ValidatorCase(
        "an ill-typed array item is named by position",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "params": {"columns": ["a", 2]}, "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", param: "columns", "item 1: expected string, got integer")]),
    ValidatorCase(
        "a choice in the wrong case suggests the right spelling",
        #"[\#(readStep), \#(parseStep), {"id": "write", "type": "test.write", "params": {"mode": "Append"}}]"#,
        [ExpectedDiagnostic("write", param: "mode", #"did you mean "append"?"#)]),
    ValidatorCase(
        "a param the component's initializer refuses is reported on that param",
        #"[{"id": "read", "type": "test.read", "params": {"path": "/in", "pattern": "(["}, "next": ["parse"]}, \#(parseStep), \#(writeStep)]"#,
        [ExpectedDiagnostic("read", param: "pattern", "is not a valid regular expression")]),
    ValidatorCase(
        "'next' naming a missing step is reported",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "next": ["write", "nowhere"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", "'next' names step 'nowhere', which does not exist")]),
    ValidatorCase(
        "'error' naming a missing step is reported",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "next": ["write"], "error": ["failed"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", "'error' names step 'failed', which does not exist")]),
    ValidatorCase(
        "a cycle is reported with its path",
        #"""
        [\#(readStep), {"id": "parse", "type": "test.parse", "next": ["a"]},
         {"id": "a", "type": "test.relay", "next": ["b"]}, {"id": "b", "type": "test.relay", "next": ["a"]}]
        """#,
        [ExpectedDiagnostic("a", "the steps form a cycle: a → b → a")]),
    ValidatorCase(
        "a flow where every step is named by another has no entry point",
        #"[{"id": "a", "type": "test.relay", "next": ["b"]}, {"id": "b", "type": "test.relay", "next": ["a"]}]"#,
        [ExpectedDiagnostic(nil, "no entry point"), ExpectedDiagnostic("a", "the steps form a cycle")]),
    ValidatorCase(
        "records sent into a file step are a kind mismatch",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "next": ["again"]}, {"id": "again", "type": "test.parse", "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("parse", "'next' sends records to 'again', but test.parse takes files")]),
    ValidatorCase(
        "files sent into a records step are a kind mismatch",
        #"[{"id": "read", "type": "test.read", "params": {"path": "/in"}, "next": ["relay"]}, {"id": "relay", "type": "test.relay", "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic("read", "'next' sends files to 'relay', but test.relay takes records")]),
    ValidatorCase(
        "an 'error' path on a step that rejects nothing is refused",
        #"""
        [\#(readStep), {"id": "parse", "type": "test.parse", "next": ["relay"]},
         {"id": "relay", "type": "test.relay", "next": ["write"], "error": ["failed"]}, \#(writeStep),
         {"id": "failed", "type": "test.write"}]
        """#,
        [ExpectedDiagnostic("relay", "test.relay rejects no records, so it cannot have an 'error' path")]),
    ValidatorCase(
        "an 'error' path carries records, so it may lead to a records step",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "next": ["write"], "error": ["failed"]}, \#(writeStep), {"id": "failed", "type": "test.write"}]"#,
        []),
    ValidatorCase(
        "a step that produces nothing cannot lead on",
        #"[\#(readStep), \#(parseStep), {"id": "write", "type": "test.write", "next": ["more"]}, {"id": "more", "type": "test.write"}]"#,
        [ExpectedDiagnostic("write", "test.write produces nothing, so it cannot lead to 'more'")]),
    ValidatorCase(
        "a step that needs input but has no step leading to it is reported",
        #"[\#(readStep), \#(parseStep), \#(writeStep), {"id": "orphan", "type": "test.relay"}]"#,
        [ExpectedDiagnostic("orphan", "nothing leads to this step, but test.relay needs records as input")]),
    ValidatorCase(
        "no step may lead to a reader",
        #"[\#(readStep), {"id": "parse", "type": "test.parse", "next": ["write"], "error": ["read"]}, \#(writeStep)]"#,
        [
            ExpectedDiagnostic("read", "test.read reads from its own source; no step may lead to it (led to from 'parse')"),
            ExpectedDiagnostic(nil, "no entry point"),
            ExpectedDiagnostic("read", "the steps form a cycle: read → parse → read"),
        ]),
    ValidatorCase(
        "a file step takes files from one step only",
        #"""
        [\#(readStep), {"id": "read2", "type": "test.read", "params": {"path": "/other"}, "next": ["parse"]},
         \#(parseStep), \#(writeStep)]
        """#,
        [ExpectedDiagnostic("parse", "a file step takes files from one step only; 2 steps lead to it")]),
    ValidatorCase(
        "a step with bad params still gets its graph checks",
        #"[\#(readStep), \#(parseStep), \#(writeStep), {"id": "orphan", "type": "test.relay", "params": {"count": "x"}}]"#,
        [
            ExpectedDiagnostic("orphan", param: "count", #"expected integer, got string "x""#),
            ExpectedDiagnostic("orphan", "nothing leads to this step, but test.relay needs records as input"),
        ]),
    ValidatorCase(
        "a reader fed by another reader is reported once, on the reader fed",
        #"""
        [{"id": "read", "type": "test.read", "params": {"path": "/in"}, "next": ["read2"]},
         {"id": "read2", "type": "test.read", "params": {"path": "/b"}, "next": ["parse"]}, \#(parseStep), \#(writeStep)]
        """#,
        [ExpectedDiagnostic("read2", "test.read reads from its own source; no step may lead to it (led to from 'read')")]),
    ValidatorCase(
        "a misspelt IdentitySync type dropsync lacks is named, and called unsupported",
        #"[\#(readStep), \#(parseStep), {"id": "eval", "type": "record.evaluat", "next": ["write"]}, \#(writeStep)]"#,
        [ExpectedDiagnostic(
            "eval", "unknown type 'record.evaluat'; did you mean 'record.evaluate'? (an IdentitySync component that dropsync does not support)")]),
    ValidatorCase(
        "duplicate step ids are reported",
        "[\(readStep), \(parseStep), \(writeStep), \(writeStep)]",
        [ExpectedDiagnostic("write", "duplicate step id")]),
    ValidatorCase(
        "a step under a duplicate id has its params checked too, and the graph's word on the id comes once",
        #"[\#(readStep), \#(parseStep), \#(writeStep), {"id": "lost", "type": "test.write"}, {"id": "lost", "type": "test.write", "params": {"mode": "merge"}}]"#,
        [ExpectedDiagnostic("lost", "duplicate step id"),
         ExpectedDiagnostic("lost", param: "mode", "merge"),
         ExpectedDiagnostic("lost", "nothing leads to this step")]),
    ValidatorCase(
        "several problems in one flow are all reported at once",
        #"""
        [{"id": "read", "type": "test.read", "params": {"pattern": 5}, "next": ["parse"]},
         {"id": "parse", "type": "test.parse", "params": {"seperator": ";"}, "next": ["write", "gone"]},
         {"id": "mystery", "type": "test.wrote"}, \#(writeStep)]
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
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        expect(configuration.diagnostics, testCase.expected, file: file)
        #expect(configuration.dataflows.count == (testCase.expected.isEmpty ? 1 : 0))
    }

    @Test("dataflow documents with a broken structure are reported", arguments: [
        (#"[1, 2]"#, [ExpectedDiagnostic(nil, "a dataflow must be a JSON object, got array")]),
        (#"{"steps": []}"#, [
            ExpectedDiagnostic(nil, "the dataflow needs a non-empty string 'name'"),
            ExpectedDiagnostic(nil, "the dataflow needs a non-empty 'steps' array, got array"),
        ]),
        (#"{"name": "flow", "steps": []}"#, [ExpectedDiagnostic(nil, "the dataflow needs a non-empty 'steps' array")]),
        (#"{}"#, [
            ExpectedDiagnostic(nil, "the dataflow needs a non-empty string 'name'"),
            ExpectedDiagnostic(nil, "the dataflow needs a non-empty 'steps' array"),
        ]),
        (#"{"name": "", "steps": {}}"#, [
            ExpectedDiagnostic(nil, "the dataflow's 'name' must not be empty"),
            ExpectedDiagnostic(nil, "the dataflow needs a non-empty 'steps' array, got object"),
        ]),
        (#"{"name": "", "steps": [{"id": "read", "type": "test.read", "params": {"path": 1}}]}"#, [
            ExpectedDiagnostic(nil, "the dataflow's 'name' must not be empty"),
            ExpectedDiagnostic("read", param: "path", "expected string, got integer 1"),
        ]),
        (#"{"name": "flow", "owner": "me", "steps": [{"id": "read", "type": "test.read", "params": {"path": "/in"}}]}"#,
         [ExpectedDiagnostic(nil, "unknown dataflow field 'owner'")]),
        (#"{"name": "flow", "steps": [{"id": "read", "kind": "x", "type": "test.read", "params": {"path": "/in"}}]}"#,
         [ExpectedDiagnostic("read", "unknown step field 'kind'")]),
        (#"{"name": "flow", "steps": [{"id": "read", "params": {}}]}"#,
         [ExpectedDiagnostic("read", "the step needs a non-empty string 'type'")]),
        (#"{"name": "flow", "steps": [\#(readStep), {"id": "parse", "next": []}]}"#,
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
        expect(Configuration.load(directory: directory.path, registry: validatorRegistry).diagnostics, expected, file: file)
    }

    @Test("a valid dataflow compiles with its steps in order and its entry points found")
    func compiles() throws {
        let directory = ScratchDirectory()
        directory.write("flow.json", #"{"name": "import", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        let flow = try #require(configuration.dataflow(named: "import"))
        #expect(flow.steps.map(\.id) == ["read", "parse", "write"])
        #expect(flow.entryPoints.map(\.id) == ["read"])
        #expect(flow.step("parse")?.component is FakeParser)
        #expect(flow.incomingEdges == ["parse": 1, "write": 1])
    }

    @Test("two files declaring the same dataflow name are reported on the second")
    func duplicateNames() {
        let directory = ScratchDirectory()
        let first = directory.write("a.json", #"{"name": "same", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        let second = directory.write("b.json", #"{"name": "same", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.diagnostics == [
            Diagnostic(file: second, message: "dataflow name 'same' is already used by \(first)"),
        ])
        #expect(configuration.dataflows.count == 1)
    }

    @Test("broken JSON is reported as file:line:column, and the other files still load")
    func brokenJSON() {
        let directory = ScratchDirectory()
        let broken = directory.write("broken.json", "{\n  \"name\": \"x\",\n  \"steps\": [,]\n}")
        directory.write("good.json", #"{"name": "good", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
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
              "steps": [\(readStep), \(parseStep), \(writeStep)]
            }
            """)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.diagnostics.isEmpty)
        #expect(configuration.dataflows.map(\.name) == ["commented"])
    }

    @Test("only .json files are read, and hidden ones are skipped")
    func fileSelection() {
        let directory = ScratchDirectory()
        directory.write("notes.txt", "not json")
        directory.write(".draft.json", "{")
        directory.write("flow.json", #"{"name": "only", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.isValid)
        #expect(configuration.dataflows.map(\.name) == ["only"])
    }

    @Test("a missing configuration directory is one diagnostic")
    func missingDirectory() {
        let directory = ScratchDirectory()
        let configuration = Configuration.load(directory: directory.path + "/nope", registry: validatorRegistry)
        #expect(configuration.diagnostics.map(\.message) == ["the configuration directory does not exist"])
    }

    @Test("dropsync.json settings are decoded")
    func settings() {
        let directory = ScratchDirectory()
        directory.write("flow.json", #"{"name": "flow", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        directory.write("dropsync.json", """
            {"stateDirectory": "/var/lib/dropsync", "logLevel": "debug", "maxConcurrentJobs": 4,
             "reconciliationIntervalSeconds": 60}
            """)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.isValid)
        #expect(configuration.settings.stateDirectory == "/var/lib/dropsync")
        #expect(configuration.settings.logLevel == "debug")
        #expect(configuration.settings.maxConcurrentJobs == 4)
        #expect(configuration.settings.reconciliationIntervalSeconds == 60)
    }

    @Test("unknown and ill-typed settings are all reported, and defaults stay")
    func badSettings() {
        let directory = ScratchDirectory()
        directory.write("flow.json", #"{"name": "flow", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        let file = directory.write("dropsync.json", #"{"logLevel": "loud", "maxConcurrentJobs": 0, "stateDir": "/x"}"#)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        expect(configuration.diagnostics, [
            ExpectedDiagnostic(nil, param: "logLevel", #"expected one of "debug""#),
            ExpectedDiagnostic(nil, param: "maxConcurrentJobs", "expected a positive integer, got integer"),
            ExpectedDiagnostic(nil, param: "stateDir", "unknown daemon setting"),
        ], file: file)
        #expect(configuration.settings.logLevel == "info")
        #expect(configuration.settings.maxConcurrentJobs == 2)
    }
}
