import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Testing

private func format(_ batches: [[Record]], params: Record = ["fileName": "out.json"]) async throws -> HarnessResult {
    try await ComponentHarness.run(JSONFormatStep.self, params: params, input: batches.map { .records($0) })
}

private func text(_ result: HarnessResult) -> String? {
    result.files.first.map { String(decoding: $0.bytes, as: UTF8.self) }
}

@Suite("file.format.json")
struct JSONFormatTests {
    static let records: [Record] = [["UID": "1", "profile": ["email": "a@example.com"]], ["UID": "2", "n": 2.5]]

    @Test("records become one JSON array, one object per line")
    func array() async throws {
        let result = try await format([Self.records])
        #expect(result.files.map(\.info.name) == ["out.json"])
        #expect(text(result) == "[\n{\"UID\":\"1\",\"profile\":{\"email\":\"a@example.com\"}},\n{\"UID\":\"2\",\"n\":2.5}\n]\n")
        #expect(result.metrics.input.value == 2)
        #expect(result.metrics.output.value == 1)
    }

    @Test("lines format writes one object per line")
    func lines() async throws {
        let result = try await format([[Self.records[0]], [Self.records[1]]], params: ["fileName": "out.jsonl", "format": "lines"])
        #expect(text(result) == "{\"UID\":\"1\",\"profile\":{\"email\":\"a@example.com\"}}\n{\"UID\":\"2\",\"n\":2.5}\n")
    }

    @Test("wrapField wraps the array in an object")
    func wrapField() async throws {
        let result = try await format([Self.records], params: ["fileName": "out.json", "wrapField": "accounts"])
        let parsed = try JSONParser.parse(try #require(result.files.first).bytes)
        #expect(parsed == ["accounts": .array(Self.records.map(Value.object))])
    }

    @Test("records of several batches and sources go into one file")
    func severalBatches() async throws {
        let source = FileInfo(name: "in.csv", path: "/in/in.csv", location: "test:")
        let input: [Packet] = [.records([Self.records[0]]), .sourceDone(source), .records([]), .records([Self.records[1]]), .sourceDone(source)]
        let result = try await ComponentHarness.run(JSONFormatStep.self, params: ["fileName": "out.json"], input: input)
        #expect(result.files.count == 1)
        #expect(try JSONParser.parse(try #require(result.files.first).bytes) == .array(Self.records.map(Value.object)))
    }

    @Test("without records there is no file, unless createEmptyFile asks for one", arguments: [
        (["fileName": "out.json"], nil),
        (["fileName": "out.json", "createEmptyFile": true], "[]\n"),
        (["fileName": "out.json", "createEmptyFile": true, "wrapField": "data"], "{\"data\":[]}\n"),
        (["fileName": "out.json", "createEmptyFile": true, "format": "lines"], ""),
    ] as [(Record, String?)])
    func empty(params: Record, expected: String?) async throws {
        let result = try await format([], params: params)
        #expect(text(result) == expected)
    }

    @Test("the file name expands macros")
    func fileNameMacros() async throws {
        let result = try await format([Self.records], params: ["fileName": "accounts_${jobId}_${now:yyyyMMdd}.json"])
        let expectedDate = UTCDateFormat.format(ComponentHarness.makeJob().startedAt, pattern: "yyyyMMdd")
        #expect(result.files.map(\.info.name) == ["accounts_test-job_\(expectedDate).json"])
    }

    @Test("the default file name is export_ with the job's start time")
    func defaultFileName() async throws {
        let result = try await format([Self.records], params: Record())
        let stamp = UTCDateFormat.format(ComponentHarness.makeJob().startedAt, pattern: "yyyyMMdd_HHmmss")
        #expect(result.files.map(\.info.name) == ["export_\(stamp).json"])
    }

    @Test("a large file streams in chunks of about 128 KiB")
    func chunks() async throws {
        let filler = String(repeating: "x", count: 200)
        let batches = (0..<5).map { batch in (0..<1000).map { index -> Record in ["n": .int(Int64(batch * 1000 + index)), "filler": .string(filler)] } }
        let result = try await format(batches)
        let sizes = result.output.compactMap { packet -> Int? in if case .bytes(let chunk) = packet { chunk.count } else { nil } }
        #expect(sizes.count > 5)
        #expect(sizes.dropLast().allSatisfy { $0 >= OutputFileEmitter.chunkSize && $0 < OutputFileEmitter.chunkSize + 300_000 })
        let parsed = try JSONParser.parse(try #require(result.files.first).bytes)
        #expect(parsed.arrayValue?.count == 5000)
    }

    @Test("bad params are refused", arguments: [
        ["format": "lines", "wrapField": "data"],
        ["fileName": "out_${nope}.json"],
    ] as [Record])
    func badParams(params: Record) {
        #expect(throws: ParamError.self) { _ = try ComponentHarness.make(JSONFormatStep.self, params) }
    }
}
