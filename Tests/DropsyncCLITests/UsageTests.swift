import DropsyncTesting
import Foundation
import Testing

/// What the command line says when it is given something it cannot take: the failing command's
/// own usage, a clear reason, a non-zero exit.
@Suite struct UsageTests {
    let fixture = PlainFlowFixture("usage")
    var scratch: TemporaryDirectory { fixture.scratch }

    func dropsync(_ arguments: [String]) throws -> DropsyncCommand.Result { try fixture.dropsync(arguments) }

    @Test("a count or a job id that is not a positive number is refused as such", arguments: [
        (["run", "plain", "--limit", "0"], "--limit must be a positive number, not 0"),
        (["run", "plain", "--limit", "-1"], "--limit must be a positive number, not -1"),
        (["jobs", "--limit", "-1"], "--limit must be a positive number, not -1"),
        (["files", "--limit", "0"], "--limit must be a positive number, not 0"),
        (["job", "-1"], "'-1' is not a job id: job ids are positive numbers"),
        (["job", "abc"], "'abc' is not a job id: job ids are positive numbers"),
    ])
    func notAPositiveNumber(arguments: [String], message: String) throws {
        let result = try dropsync(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.stateDirectory), "nothing ran")
    }

    @Test("job takes one id, with its options before or after")
    func jobWithOptions() throws {
        #expect(try dropsync(["run", "plain"]).status == 0)
        let shown = try dropsync(["job", "1", "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("\"dataflow\": \"plain\""))
        let unknown = try dropsync(["job", "1", "--bogus"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unknown option '--bogus'"))
        #expect(unknown.stderr.contains("Usage: dropsync job [--config <dir>] [--state-dir <dir>] <id> [--json]"))
    }

    @Test("an unknown --status shows the statuses and the usage of files list")
    func unknownStatus() throws {
        let result = try dropsync(["files", "--status", "bogus"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("'bogus' is invalid for '--status <status>'") && result.stderr.contains("quarantined"), "\(result.stderr)")
        #expect(result.stderr.contains("Usage: dropsync files list"), "\(result.stderr)")
    }

    @Test("help for a command that does not exist is an error", arguments: [["help", "bogus"], ["help", "files", "bogus"]])
    func helpForNothing(arguments: [String]) throws {
        let result = try DropsyncCommand.run(arguments, in: scratch)
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unknown command 'bogus'"), "\(result.stderr)")
    }

    @Test("help for a command that exists prints its help", arguments: [["help", "files", "list"], ["help", "run"], ["help"]])
    func helpForACommand(arguments: [String]) throws {
        let result = try DropsyncCommand.run(arguments, in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: dropsync"))
    }

    @Test("--config naming a file says it is not a directory")
    func configIsAFile() throws {
        let result = try DropsyncCommand.run(["check", "--config", scratch.path + "/inbound/a.csv"], in: scratch)
        #expect(result.status == 1)
        #expect(result.stderr.contains("inbound/a.csv: is not a directory"), "\(result.stderr)")
    }
}
