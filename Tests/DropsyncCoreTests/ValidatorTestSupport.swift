import DropsyncCore
import Testing

/// Test-only components, one per port shape, and well-formed steps using them.

/// nothing → file, like a drop-zone reader.
struct FakeReader: Component {
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
struct FakeParser: Component {
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
struct FakeRelay: Component {
    static let spec = ComponentSpec(
        type: "test.relay", summary: "Passes records on.", input: .records, output: .records,
        params: [ParamSpec("count", .integer, "How many.")])
    init(params: Params) throws(ParamError) {}
    func run(_ step: StepRun) async throws {}
}

/// records → nothing, rejecting records it cannot store.
struct FakeWriter: Component {
    static let spec = ComponentSpec(
        type: "test.write", summary: "Stores records.", input: .records, output: .nothing, rejectsRecords: true,
        params: [ParamSpec("mode", .oneOf(["append", "replace"]), default: "append", "How to store.")])
    init(params: Params) throws(ParamError) {}
    func run(_ step: StepRun) async throws {}
}

let validatorRegistry = ComponentRegistry([FakeReader.self, FakeParser.self, FakeRelay.self, FakeWriter.self])

let readStep = #"{"id": "read", "type": "test.read", "params": {"path": "/in"}, "next": ["parse"]}"#
let parseStep = #"{"id": "parse", "type": "test.parse", "next": ["write"]}"#
let writeStep = #"{"id": "write", "type": "test.write", "next": []}"#

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

/// Every expected diagnostic is present, located in `file`, and nothing else was reported.
func expect(
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
