import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

/// File writers in a dry run (`run --dry-run`): every check, no effect.
@Suite("file writers in a dry run")
struct DryRunWriteTests {
    @Test("a local writer writes nothing, creates no directory, and says what it would have written")
    func localWritesNothing() async throws {
        let base = TemporaryDirectory()
        let target = base.path + "/out"
        let result = try await ComponentHarness.run(
            LocalWriteStep.self, params: ["path": .string(target)], input: filePackets("a.csv", "id\n1\n"),
            job: ComponentHarness.makeJob(dryRun: true))
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(result.metrics.output.value == 1)
        #expect(result.job.traceLines.map(\.message) == ["would write a.csv (5 bytes)"])
    }

    @Test("a remote writer does not connect")
    func remoteDoesNotConnect() async throws {
        // Nothing listens on port 1: the same step outside a dry run fails to connect.
        let params: Record = [
            "host": "127.0.0.1", "port": 1, "username": "partner", "password": "secret",
            "hostKeyFingerprint": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "remotePath": "/upload",
        ]
        let step = try ComponentHarness.make(SFTPWriteStep.self, params)
        let dry = try await ComponentHarness.run(step, input: filePackets("a.csv", "id\n1\n"), job: ComponentHarness.makeJob(dryRun: true))
        #expect(dry.job.traceLines.map(\.message) == ["would write a.csv (5 bytes)"])
        let real = try await ComponentHarness.runKeepingOutput(step, input: filePackets("a.csv", "id\n1\n"))
        #expect(real.failure != nil)
    }

    @Test("a dry run still refuses an unsafe file name")
    func unsafeNameRefused() async throws {
        let base = TemporaryDirectory()
        await #expect(throws: DropsyncError.self) {
            try await ComponentHarness.run(
                LocalWriteStep.self, params: ["path": .string(base.path), "fileName": "../escape.csv"],
                input: filePackets("a.csv", "x"), job: ComponentHarness.makeJob(dryRun: true))
        }
    }
}
