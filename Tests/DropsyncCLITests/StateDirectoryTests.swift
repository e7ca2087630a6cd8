import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// The state directory as the commands find it: only `run` and `serve` create it, the others read
/// what is there, and its problems are told in the system's words.
@Suite struct StateDirectoryTests {
    let fixture = PlainFlowFixture("state-dir")
    var scratch: TemporaryDirectory { fixture.scratch }

    func dropsync(_ arguments: String...) throws -> DropsyncCommand.Result { try fixture.dropsync(arguments) }

    @Test("a command that only reads fails on a missing state directory, and creates nothing", arguments: [
        ["jobs"], ["job", "1"], ["accounts", "count"], ["accounts", "get", "u1"], ["files"], ["files", "why", "a.csv"],
    ])
    func readersCreateNothing(arguments: [String]) throws {
        let typo = scratch.path + "/stat"
        let result = try fixture.dropsync(arguments, stateDirectory: typo)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no state database in \(typo) (is --state-dir right?)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: typo))
    }

    @Test("a state directory under a file is 'Not a directory', in the system's words")
    func stateDirectoryUnderAFile() throws {
        let result = try fixture.dropsync(["run", "plain"], stateDirectory: scratch.path + "/conf.d/plain.json/st")
        #expect(result.status == 1)
        #expect(result.stderr.contains("conf.d/plain.json/st: Not a directory"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test("--flow naming neither a dataflow of conf.d nor one of the history is an error", arguments: [["jobs"], ["files"]])
    func unknownFlow(command: [String]) throws {
        #expect(try dropsync("run", "plain").status == 0)
        let result = try fixture.dropsync(command + ["--flow", "nope"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no dataflow named 'nope'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("the history of a dataflow since removed from conf.d is still listed", arguments: [["jobs"], ["files"]])
    func removedFlowStaysListable(command: [String]) throws {
        #expect(try dropsync("run", "plain").status == 0)
        try FileManager.default.removeItem(atPath: scratch.path + "/conf.d/plain.json")
        let result = try fixture.dropsync(command + ["--flow", "plain", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try JSONParser.parse(result.stdout).arrayValue?.count == 1)
    }

    @Test("a user who may read the state directory but not write to it lists its jobs and files",
          .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func readOnlyStateDirectory() throws {
        #expect(try dropsync("run", "plain").status == 0)
        let state = fixture.stateDirectory
        for name in try FileManager.default.contentsOfDirectory(atPath: state) where name.hasPrefix("dropsync.sqlite") {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: state + "/" + name)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: state)
        for command in [["jobs"], ["files"]] {
            let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", DropsyncCommand.executable]
            let result = try DropsyncCommand.run(
                nobody + command + ["--json", "--config", scratch.path + "/conf.d", "--state-dir", state], program: "/usr/bin/setpriv",
                in: scratch)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(try JSONParser.parse(result.stdout).arrayValue?.count == 1)
        }
    }
}
