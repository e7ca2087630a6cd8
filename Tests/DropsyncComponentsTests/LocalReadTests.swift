import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Foundation
import Testing

private func read(_ directory: String, _ params: Record = Record(), job: JobContext = ComponentHarness.makeJob()) async throws -> HarnessResult {
    var all = params
    if all["path"] == nil { all["path"] = .string(directory) }
    return try await ComponentHarness.run(LocalReadStep.self, params: all, job: job)
}

private func setModified(_ path: String, secondsAgo: Double) throws {
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: path)
}

@Suite("datasource.read.local")
struct LocalReadTests {
    @Test("reads every matching file with its name, location, size and bytes")
    func readsFiles() async throws {
        let directory = TemporaryDirectory()
        directory.write("a.csv", "id\n1\n")
        directory.write("b.csv", "id\n2\n")
        let result = try await read(directory.path)
        #expect(result.files.map(\.info.name) == ["a.csv", "b.csv"])
        #expect(result.files.map { String(decoding: $0.bytes, as: UTF8.self) } == ["id\n1\n", "id\n2\n"])
        let first = try #require(result.files.first).info
        #expect(first.path == directory.path + "/a.csv")
        #expect(first.location == "local:" + directory.path)
        #expect(first.size == 5)
        #expect(result.job.sources.map(\.name) == ["a.csv", "b.csv"])
        #expect(result.job.totalBytes.value == 10)
        #expect(result.job.bytesRead.value == 10)
        #expect(result.metrics.output.value == 2)
    }

    @Test("a large file arrives in 128 KiB chunks")
    func chunks() async throws {
        let directory = TemporaryDirectory()
        let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0) }
        directory.write("big.bin", content)
        let result = try await read(directory.path)
        let sizes = result.output.compactMap { packet -> Int? in if case .bytes(let chunk) = packet { chunk.count } else { nil } }
        #expect(sizes == [131_072, 131_072, 37_856])
        let contentMatches = result.files.first?.bytes == content
        #expect(contentMatches)
    }

    @Test("fileNameRegex must match the whole name")
    func regex() async throws {
        let directory = TemporaryDirectory()
        for name in ["data.csv", "data.csv.bak", "notes.txt", "DATA2.csv"] { directory.write(name, "x") }
        let result = try await read(directory.path, ["fileNameRegex": ".*\\.csv"])
        #expect(result.files.map(\.info.name) == ["DATA2.csv", "data.csv"])
    }

    @Test("dotfiles, upload temp names, names with control characters and directories are skipped")
    func skipsTemporaryNames() async throws {
        let directory = TemporaryDirectory()
        for name in ["ready.csv", ".hidden.csv", "a.csv.part", "b.csv.tmp", "c.csv.filepart", "d.csv.uploading", "sub/inner.csv",
                     "line\nbreak.csv", "escape\u{1B}[31m.csv"] {
            directory.write(name, "x")
        }
        let result = try await read(directory.path)
        #expect(result.files.map(\.info.name) == ["ready.csv"])
    }

    @Test("done markers are never read as data; ignorePatterns replace the default ones")
    func markersAndIgnorePatterns() async throws {
        let directory = TemporaryDirectory()
        for name in ["a.csv", "a.csv.done", "b.csv", ".c.csv", "d.csv.part", "e.skip"] { directory.write(name, "x") }
        let result = try await read(directory.path, ["doneMarker": "{name}.done", "ignorePatterns": ["*.skip", "b*"]])
        #expect(result.files.map(\.info.name) == [".c.csv", "a.csv", "d.csv.part"])
    }

    @Test("a symlink leading out of the directory is not followed; one inside is")
    func symlinks() async throws {
        let directory = TemporaryDirectory()
        let outside = TemporaryDirectory()
        let secret = outside.write("secret.csv", "secret")
        directory.write("real.csv", "real")
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/escape.csv", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/alias.csv", withDestinationPath: "real.csv")
        let result = try await read(directory.path)
        #expect(result.files.map(\.info.name) == ["alias.csv", "real.csv"])
        #expect(result.files.map { String(decoding: $0.bytes, as: UTF8.self) } == ["real", "real"])
    }

    @Test("files are ordered by name or time, ascending or descending", arguments: [
        ("name", "ASC", ["a.csv", "b.csv", "c.csv"]),
        ("name", "DESC", ["c.csv", "b.csv", "a.csv"]),
        ("time", "ASC", ["b.csv", "c.csv", "a.csv"]),
        ("time", "DESC", ["a.csv", "c.csv", "b.csv"]),
    ])
    func sorting(sortBy: String, sortOrder: String, expected: [String]) async throws {
        let directory = TemporaryDirectory()
        for (name, age) in [("a.csv", 10.0), ("b.csv", 300.0), ("c.csv", 200.0)] {
            try setModified(directory.write(name, "x"), secondsAgo: age)
        }
        let result = try await read(directory.path, ["sortBy": .string(sortBy), "sortOrder": .string(sortOrder)])
        #expect(result.files.map(\.info.name) == expected)
    }

    @Test("a relative path resolves against the dataflow file's directory")
    func relativePath() async throws {
        let base = TemporaryDirectory()
        base.write("drop/in.csv", "x")
        let result = try await ComponentHarness.run(LocalReadStep.self, params: ["path": "drop"], baseDirectory: base.path)
        #expect(result.files.map(\.info.path) == [base.path + "/drop/in.csv"])
    }

    @Test("files named by the job are read instead of the listing, regex or not")
    func explicitFiles() async throws {
        let directory = TemporaryDirectory()
        directory.write("listed.csv", "listed")
        let elsewhere = TemporaryDirectory()
        let named = elsewhere.write("named.txt", "named")
        let job = ComponentHarness.makeJob(explicitFiles: [named])
        let result = try await read(directory.path, ["fileNameRegex": ".*\\.csv"], job: job)
        #expect(result.files.map(\.info.name) == ["named.txt"])
        #expect(result.files.first?.info.location == "local:" + elsewhere.path)
        #expect(result.files.first?.bytes == Array("named".utf8))
    }

    @Test("a drop-zone file named by the job that is a symlink out of the zone is refused")
    func explicitSymlinkOut() async throws {
        let directory = TemporaryDirectory()
        let elsewhere = TemporaryDirectory()
        let secret = elsewhere.write("key.asc", "secret material")
        #expect(symlink(secret, directory.path + "/a.csv") == 0)
        let job = ComponentHarness.makeJob(explicitFiles: [directory.path + "/a.csv"])
        await #expect { try await read(directory.path, job: job) } throws: { error in
            (error as? DropsyncError)?.code == "FILE_UNREADABLE" && "\(error)".contains("symlink pointing out")
        }
    }

    @Test("a missing directory or named file fails naming the path", arguments: [false, true])
    func missing(explicit: Bool) async throws {
        let directory = TemporaryDirectory()
        let missing = directory.path + "/nope"
        let job = ComponentHarness.makeJob(explicitFiles: explicit ? [missing] : nil)
        let error = await dropsyncError { _ = try await read(explicit ? directory.path : missing, job: job) }
        #expect(error?.code == "FILE_NOT_FOUND")
        #expect(error?.file == missing)
        #expect(error?.message.contains(missing) == true)
        #expect(error?.step == "step")
    }

    @Test("nothing is read once the job's record limit is used up")
    func limitExhausted() async throws {
        let directory = TemporaryDirectory()
        directory.write("a.csv", "x")
        let result = try await read(directory.path, job: ComponentHarness.makeJob(limit: 0))
        #expect(result.files.isEmpty)
    }

    @Test("an invalid fileNameRegex is a param error")
    func badRegex() {
        #expect(throws: ParamError.self) {
            _ = try ComponentHarness.make(LocalReadStep.self, ["path": "/tmp", "fileNameRegex": "(unclosed"])
        }
    }
}
