import DropsyncCore
import Foundation
import DropsyncTesting
import Testing

/// `check`, `components` and `graph` as an operator uses them.
@Suite struct CommandTests {
    let scratch = TemporaryDirectory("commands")

    func dropsync(_ arguments: String...) throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(arguments + ["--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"], in: scratch)
    }

    /// The shipped `conf.d/` in the scratch directory, with what `make run` prepares beside it
    /// (demo key, passphrase, the example partner file encrypted to the key by GnuPG).
    func prepareExample() throws {
        let root = DropsyncCommand.packageRoot
        for name in try FileManager.default.contentsOfDirectory(atPath: root + "/conf.d") {
            _ = scratch.write("conf.d/" + name, try #require(FileManager.default.contents(atPath: root + "/conf.d/" + name)).map { $0 })
        }
        let prepared = try DropsyncCommand.run([scratch.path], program: root + "/examples/prepare-demo.sh", in: scratch)
        #expect(prepared.status == 0, "\(prepared.stderr)")
        for name in scratch.list(".run/partner") {
            try FileManager.default.copyItem(atPath: scratch.path + "/.run/partner/" + name, toPath: scratch.path + "/.run/inbound/" + name)
        }
    }

    @Test("the shipped example checks valid and imports the encrypted partner file")
    func shippedExample() throws {
        try prepareExample()
        let check = try dropsync("check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("1 dataflow(s) valid"))
        let run = try dropsync("run", "import-partner-fans")
        #expect(run.status == 0, "\(run.stderr)")
        let account = try dropsync("accounts", "get", "fan-0003", "--json")
        #expect(account.stdout.contains("\"data\":{\"newsletter\""), "\(account.stdout)")
        #expect(!scratch.list(".run/rejected").isEmpty)
    }

    @Test("check reports every problem at once with file, step and param, and exits 1")
    func checkReportsEverything() throws {
        scratch.write("conf.d/broken.json", """
            { "name": "broken", "steps": [
              { "id": "read", "type": "datasource.read.lokal", "params": { "path": "/tmp" }, "next": ["parse"] },
              { "id": "parse", "type": "file.parse.dsv", "params": { "columnSeparator": 5, "bogus": true }, "next": ["missing"] },
              { "id": "js", "type": "record.evaluate", "params": {} }
            ] }
            """)
        scratch.write("conf.d/syntax.json", "{ \"name\": \"x\",\n  \"steps\": [ }")
        let check = try dropsync("check")
        #expect(check.status == 1)
        let lines = check.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("broken.json: step 'read'") && $0.contains("did you mean 'datasource.read.local'") })
        #expect(lines.contains { $0.contains("step 'parse' param 'columnSeparator'") && $0.contains("expected string") })
        #expect(lines.contains { $0.contains("step 'parse' param 'bogus'") && $0.contains("unknown param") })
        #expect(lines.contains { $0.contains("step 'parse'") && $0.contains("'missing'") })
        #expect(lines.contains { $0.contains("step 'js'") && $0.contains("does not support") })
        #expect(lines.contains { $0.contains("syntax.json:2:") && $0.contains("invalid JSON") })
    }

    @Test("components --json lists every registered type with its params and their declared rules")
    func componentsCatalog() throws {
        let result = try dropsync("components", "--json")
        #expect(result.status == 0)
        let catalog = try #require(try JSONParser.parse(result.stdout).arrayValue).compactMap { $0.objectValue }
        let types = Set(catalog.compactMap { $0["type"]?.stringValue })
        for type in ["datasource.read.local", "datasource.write.local", "file.uncompress.gzip", "file.compress.gzip",
                     "file.parse.dsv", "file.format.dsv", "file.parse.json", "file.format.json", "field.rename",
                     "field.remove", "field.select", "field.move", "field.add", "datasource.write.account"] {
            #expect(types.contains(type), "missing \(type)")
        }
        let parse = try #require(catalog.first { $0["type"] == "file.parse.dsv" })
        let separator = parse["params"]?.arrayValue?.compactMap(\.objectValue).first { $0["name"] == "columnSeparator" }
        #expect(separator?["constraints"] == ["one ASCII character"])
    }

    @Test("graph prints the dataflow as DOT with success and error edges")
    func graphAsDOT() throws {
        try prepareExample()
        let result = try dropsync("graph", "import-partner-fans")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("digraph \"import-partner-fans\""))
        #expect(result.stdout.contains("\"gunzip\" -> \"parse\";"))
        #expect(result.stdout.contains("\"parse\" -> \"format-rejected\" [style=dashed"))
    }
}
