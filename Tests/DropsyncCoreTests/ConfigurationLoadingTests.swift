import DropsyncCore
import Foundation
import Testing

private let validFlow = #"{"name": "flow", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#

@Suite("Configuration loading")
struct ConfigurationLoadingTests {
    @Test("a UTF-8 byte-order mark at the start of a file is accepted")
    func byteOrderMark() {
        let directory = ScratchDirectory()
        let path = directory.path + "/flow.json"
        _ = FileManager.default.createFile(atPath: path, contents: Data([0xEF, 0xBB, 0xBF] + Array(validFlow.utf8)))
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.diagnostics.isEmpty)
        #expect(configuration.dataflows.map(\.name) == ["flow"])
    }

    @Test("files are named by their plain path, however the directory was given")
    func plainPaths() {
        let directory = ScratchDirectory()
        let file = directory.write("flow.json", "{ not json")
        let given = directory.path + "/./../" + (directory.path as NSString).lastPathComponent + "/"
        let diagnostics = Configuration.load(directory: given, registry: validatorRegistry).diagnostics
        #expect(diagnostics.first?.file.hasPrefix(file + ":") == true, "\(diagnostics)")
    }

    @Test("a key written twice in one object is reported where the second one is, with the other problems")
    func duplicateKeys() {
        let directory = ScratchDirectory()
        let file = directory.write("flow.json", """
            {"name": "flow", "name": "other",
             "steps": [{"id": "read", "type": "test.read", "params": {"path": "/in", "path": "/out"}, "next": ["parse"]},
                       \(parseStep), {"id": "write", "type": "test.wrote"}]}
            """)
        let diagnostics = Configuration.load(directory: directory.path, registry: validatorRegistry).diagnostics
        #expect(diagnostics.map(\.description) == [
            "\(file):1:18: key 'name' appears twice in one object (the last one would win)",
            "\(file):2:74: key 'path' appears twice in one object (the last one would win)",
            "\(file): step 'write': unknown type 'test.wrote'; did you mean 'test.write'?",
        ])
    }

    @Test("a dataflow name used twice is reported, and so is every other problem of the second file")
    func duplicateNameAndMore() {
        let directory = ScratchDirectory()
        let first = directory.write("e.json", #"{"name": "e", "steps": [\#(readStep), \#(parseStep), \#(writeStep)]}"#)
        let second = directory.write(
            "f.json", #"{"name": "e", "steps": [\#(readStep), \#(parseStep), {"id": "write", "type": "test.wirte"}]}"#)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.diagnostics.map(\.description) == [
            "\(second): dataflow name 'e' is already used by \(first)",
            "\(second): step 'write': unknown type 'test.wirte'; did you mean 'test.write'?",
        ])
        #expect(configuration.dataflows.map(\.dataflow.file) == [first])
    }

    @Test("a directory without dataflows is a problem, so that a wrong --config fails", arguments: [[:], ["dropsync.json": "{}"]])
    func noDataflows(files: [String: String]) {
        let directory = ScratchDirectory()
        for (name, text) in files { directory.write(name, text) }
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.errors.map(\.description) == [
            "\(directory.path): no dataflows in this directory: no *.json file other than dropsync.json (is --config right?)",
        ])
    }

    @Test("bad daemon settings are quoted, and a misspelt one is offered the right name", arguments: [
        (#"{"logLevel": "verbose"}"#, "logLevel", #"expected one of "debug", "info", "warning", "error", got string "verbose""#),
        (#"{"shutdownGraceSeconds": -5}"#, "shutdownGraceSeconds", "expected a positive integer, got integer -5"),
        (#"{"maxConcurentJobs": 4}"#, "maxConcurentJobs", "unknown daemon setting; did you mean 'maxConcurrentJobs'?"),
        (#"{"stateDirectory": ""}"#, "stateDirectory", #"expected a directory path, got string """#),
    ])
    func badSettings(document: String, param: String, message: String) {
        let directory = ScratchDirectory()
        directory.write("flow.json", validFlow)
        let file = directory.write("dropsync.json", document)
        #expect(Configuration.load(directory: directory.path, registry: validatorRegistry).diagnostics == [
            Diagnostic(file: file, param: param, message: message),
        ])
    }

    @Test("a relative stateDirectory is taken from the configuration directory")
    func relativeStateDirectory() {
        let directory = ScratchDirectory()
        directory.write("flow.json", validFlow)
        directory.write("dropsync.json", #"{"stateDirectory": "state"}"#)
        let configuration = Configuration.load(directory: directory.path, registry: validatorRegistry)
        #expect(configuration.settings.stateDirectory == directory.path + "/state")
    }
}
