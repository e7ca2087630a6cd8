import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

private func write(_ input: [Packet], _ params: Record) async throws -> HarnessResult {
    try await ComponentHarness.run(LocalWriteStep.self, params: params, input: input)
}

private func permissions(_ path: String) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
}

@Suite("datasource.write.local")
struct LocalWriteTests {
    @Test("writes each file under its own name, owner-only, leaving no temporary file")
    func writesFiles() async throws {
        let directory = TemporaryDirectory()
        let input = filePackets("a.csv", "id\n1\n", chunkSize: 2) + filePackets("b.csv", "id\n2\n")
        let result = try await write(input, ["path": .string(directory.path)])
        #expect(directory.list() == ["a.csv", "b.csv"])
        #expect(directory.readText("a.csv") == "id\n1\n")
        #expect(try permissions(directory.path + "/a.csv") == 0o600)
        #expect(result.metrics.input.value == 2)
        #expect(result.metrics.output.value == 2)
        #expect(result.metrics.bytesIn.value == 10)
        #expect(result.job.traceLines.map(\.message) == ["wrote a.csv (5 bytes)", "wrote b.csv (5 bytes)"])
    }

    @Test("a missing directory is created owner-only")
    func createsDirectory() async throws {
        let base = TemporaryDirectory()
        let target = base.path + "/out/today"
        _ = try await write(filePackets("a.csv", "x"), ["path": .string(target)])
        #expect(FileManager.default.fileExists(atPath: target + "/a.csv"))
        #expect(try permissions(target) == 0o700)
    }

    @Test("fileName overrides the incoming name and expands macros")
    func fileNameOverride() async throws {
        let directory = TemporaryDirectory()
        _ = try await write(filePackets("a.csv", "x"), ["path": .string(directory.path), "fileName": "export_${jobId}.csv"])
        #expect(directory.list() == ["export_test-job.csv"])
    }

    @Test("an existing file is replaced")
    func replaces() async throws {
        let directory = TemporaryDirectory()
        directory.write("a.csv", "old content")
        _ = try await write(filePackets("a.csv", "new"), ["path": .string(directory.path)])
        #expect(directory.readText("a.csv") == "new")
    }

    @Test("bytes go to a temporary owner-only file that is renamed into place at the end")
    func temporaryThenRename() async throws {
        let directory = TemporaryDirectory()
        let component = try ComponentHarness.make(LocalWriteStep.self, ["path": .string(directory.path)])
        // Capacity 1: once the fourth packet is accepted, the step has received the third, and so
        // has finished handling the first two.
        let input = Channel(capacity: 1)
        let step = StepRun(id: "write", type: LocalWriteStep.spec.type, input: Inlet(input), output: Outlet([]),
                           errorOutput: Outlet([]), metrics: StepMetrics(), job: ComponentHarness.makeJob())
        let running = Task { try await component.run(step) }
        for packet in filePackets("a.csv", Array("0123456789".utf8), chunkSize: 4, endsFile: false) {
            _ = try await input.send(packet)
        }
        let names = directory.list()
        #expect(names.count == 1)
        let temporary = try #require(names.first)
        #expect(temporary.hasPrefix(".a.csv.") && temporary.hasSuffix(".tmp"))
        #expect(try permissions(directory.path + "/" + temporary) == 0o600)
        _ = try await input.send(.fileEnd)
        input.finishProducer()
        try await running.value
        #expect(directory.list() == ["a.csv"])
        #expect(directory.readText("a.csv") == "0123456789")
    }

    @Test("a file whose input ends before fileEnd is discarded")
    func incompleteFile() async throws {
        let directory = TemporaryDirectory()
        let input = filePackets("done.csv", "x") + filePackets("cut.csv", Array("partial".utf8), endsFile: false)
        let result = try await write(input, ["path": .string(directory.path)])
        #expect(directory.list() == ["done.csv"])
        #expect(result.job.traceLines.last?.level == .warning)
    }

    @Test("a failure removes the temporary file of the file in progress")
    func failureCleansUp() async throws {
        let directory = TemporaryDirectory()
        let input = filePackets("good.csv", Array("partial".utf8), endsFile: false) + filePackets("../evil.csv", "x")
        let error = await dropsyncError { _ = try await write(input, ["path": .string(directory.path)]) }
        #expect(error?.code == "UNSAFE_FILE_NAME")
        #expect(directory.list().isEmpty)
    }

    @Test("unsafe file names are refused", arguments: [
        "../escape.csv", "a/b.csv", "..", "", "nul\u{0}.csv", "line\nbreak.csv", "bell\u{7}.csv", "windows\\path.csv",
    ])
    func unsafeNames(name: String) async throws {
        let directory = TemporaryDirectory()
        let error = await dropsyncError { _ = try await write(filePackets(name, "x"), ["path": .string(directory.path + "/out")]) }
        #expect(error?.code == "UNSAFE_FILE_NAME")
        #expect(error?.step == "step")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/escape.csv"))
        #expect(directory.list("out").isEmpty)
    }

    @Test("a second file under the same name in one job is refused, not silently replacing the first")
    func duplicateNames() async throws {
        let directory = TemporaryDirectory()
        let input = filePackets("a.csv", "first") + filePackets("b.csv", "second")
        await #expect(throws: DropsyncError.self) {
            _ = try await write(input, ["path": .string(directory.path), "fileName": "fixed.csv"])
        }
        #expect(directory.readText("fixed.csv") == "first")
    }

    @Test("an unsafe name made by the fileName param is refused")
    func unsafeOverride() async throws {
        let directory = TemporaryDirectory()
        let error = await dropsyncError {
            _ = try await write(filePackets("a.csv", "x"), ["path": .string(directory.path), "fileName": "../${jobId}.csv"])
        }
        #expect(error?.code == "UNSAFE_FILE_NAME")
    }
}
