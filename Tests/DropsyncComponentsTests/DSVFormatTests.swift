import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Testing

enum DSVFormatting {
    /// Formats `records` (one batch) and returns the one file written, as text.
    static func text(_ records: [Record], params: Record = [:]) async throws -> String {
        let result = try await ComponentHarness.run(DSVFormatStep.self, params: params, input: [.records(records)])
        let file = try #require(result.files.first)
        return String(decoding: file.bytes, as: UTF8.self)
    }
}

@Suite("file.format.dsv")
struct DSVFormatTests {
    @Test("parsing the formatted file gives back the records")
    func roundTrip() async throws {
        let records: [Record] = [
            ["UID": "1", "name": "plain", "note": "a,b", "profile": ["email": "a@example.com", "city": "São Paulo"]],
            ["UID": "2", "name": "say \"hi\"", "note": "line\nbreak\r\nand\rmore", "profile": ["email": " lead", "city": "trail "]],
            ["UID": "3", "name": "", "note": "\"", "profile": ["email": "😀", "city": "\\"]],
        ]
        for params in [[:], ["quoteFields": true, "lineEnd": "CRLF"], ["escapeCharacter": "\\", "columnSeparator": "\\t"]] as [Record] {
            let formatted = try await ComponentHarness.run(DSVFormatStep.self, params: params, input: [.records(records)])
            let file = try #require(formatted.files.first)
            var parseParams: Record = ["columnSeparator": params["columnSeparator"] ?? ","]
            if let escape = params["escapeCharacter"] { parseParams["escapeChar"] = escape }
            let parsed = try await DSVParsing.run(file.bytes, params: parseParams, chunkSize: 7)
            #expect(parsed.records == records, "\(params)")
            #expect(parsed.rejected.isEmpty)
        }
    }

    @Test("quotes a field only when it needs quotes", arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("line\nbreak", "\"line\nbreak\""),
        ("cr\r", "\"cr\r\""), (" lead", "\" lead\""), ("trail ", "\"trail \""), ("in side", "in side"), ("", ""),
    ])
    func quoting(value: String, written: String) async throws {
        let text = try await DSVFormatting.text([["v": .string(value)]], params: ["writeHeader": false])
        #expect(text == written + "\n")
    }

    @Test("quoteFields quotes every field")
    func quoteAll() async throws {
        let text = try await DSVFormatting.text([["a": "x", "b": ""]], params: ["quoteFields": true])
        #expect(text == "\"a\",\"b\"\n\"x\",\"\"\n")
    }

    @Test("escapeCharacter comes before quotes and itself")
    func escapeCharacter() async throws {
        let text = try await DSVFormatting.text([["v": "a\"b\\c"]], params: ["escapeCharacter": "\\", "writeHeader": false])
        #expect(text == "\"a\\\"b\\\\c\"\n")
    }

    @Test("writes numbers and booleans as JSON text, null as empty, arrays and objects as JSON")
    func valueText() async throws {
        let record: Record = ["i": 42, "d": 1.5, "t": true, "n": nil, "list": [1, "x"], "empty": .object(Record())]
        let text = try await DSVFormatting.text([record], params: ["writeHeader": false])
        #expect(text == "42,1.5,true,,\"[1,\"\"x\"\"]\",{}\n")
    }

    @Test("writes a header row unless told not to", arguments: [(true, "a,b\n1,2\n"), (false, "1,2\n")])
    func header(writeHeader: Bool, expected: String) async throws {
        let text = try await DSVFormatting.text([["a": "1", "b": "2"]], params: ["writeHeader": .bool(writeHeader)])
        #expect(text == expected)
    }

    @Test("lineEnd accepts the characters and their names", arguments: [("\r\n", "a\r\n1\r\n"), ("CRLF", "a\r\n1\r\n"), ("LF", "a\n1\n"), ("\n", "a\n1\n")])
    func lineEnd(lineEnd: String, expected: String) async throws {
        let text = try await DSVFormatting.text([["a": "1"]], params: ["lineEnd": .string(lineEnd)])
        #expect(text == expected)
    }

    @Test("columns pick nested fields by path, missing ones empty")
    func columns() async throws {
        let records: [Record] = [["UID": "1", "profile": ["email": "a@example.com"]], ["UID": "2"]]
        let text = try await DSVFormatting.text(records, params: ["columns": ["profile.email", "UID", "data.x"]])
        #expect(text == "profile.email,UID,data.x\na@example.com,1,\n,2,\n")
    }

    @Test("without columns, the first record's fields are the columns, nested objects flattened")
    func flattenedColumns() async throws {
        let records: [Record] = [["UID": "1", "profile": ["name": ["first": "Ann"], "age": 30]], ["UID": "2", "extra": "dropped"]]
        let text = try await DSVFormatting.text(records)
        #expect(text == "UID,profile.name.first,profile.age\n1,Ann,30\n2,,\n")
    }

    @Test("names the file from the fileName macros and starts it at the first record")
    func fileName() async throws {
        let result = try await ComponentHarness.run(
            DSVFormatStep.self, params: ["fileName": "out_${now:yyyyMMdd}_${jobId}.csv"],
            input: [.records([]), .records([["a": "1"]]), .sourceDone(DSVParsing.file)])
        #expect(result.output.count == 3)
        let file = try #require(result.files.first)
        #expect(file.info == FileInfo(name: "out_20261118_test-job.csv", path: "out_20261118_test-job.csv", location: "generated:step"))
        #expect(result.sourcesDone.isEmpty)
        #expect(result.metrics.input.value == 1)
        #expect(result.metrics.output.value == 1)
    }

    @Test("createEmptyFile writes a file when no record came", arguments: [
        (["createEmptyFile": true] as Record, ""), (["createEmptyFile": true, "columns": ["a", "b"]] as Record, "a,b\n"),
    ])
    func emptyFile(params: Record, expected: String) async throws {
        let result = try await ComponentHarness.run(DSVFormatStep.self, params: params, input: [.sourceDone(DSVParsing.file)])
        let file = try #require(result.files.first)
        #expect(String(decoding: file.bytes, as: UTF8.self) == expected)
        guard case .fileEnd? = result.output.last else {
            Issue.record("the file has no fileEnd")
            return
        }
    }

    @Test("writes no file when no record came by default")
    func noEmptyFile() async throws {
        let result = try await ComponentHarness.run(DSVFormatStep.self, input: [.sourceDone(DSVParsing.file)])
        #expect(result.output.isEmpty)
    }

    @Test("streams a large file in chunks of about 128 KiB")
    func chunks() async throws {
        let records = (0..<5000).map { index -> Record in ["n": .int(Int64(index)), "text": .string(String(repeating: "x", count: 60))] }
        let result = try await ComponentHarness.run(DSVFormatStep.self, input: [.records(records)])
        let sizes = result.output.compactMap { packet -> Int? in if case .bytes(let chunk) = packet { chunk.count } else { nil } }
        #expect(sizes.count > 2)
        #expect(sizes.allSatisfy { $0 <= 128 * 1024 + 100 })
        #expect(result.metrics.bytesOut.value == sizes.reduce(0, +))
    }

    @Test("refuses params it cannot use", arguments: [
        ["lineEnd": "\t"], ["fileName": "x_${nope}.csv"], ["columns": ["a..b"]], ["columnSeparator": "ab"],
    ] as [Record])
    func badParams(_ params: Record) {
        #expect(throws: ParamError.self) { try ComponentHarness.make(DSVFormatStep.self, params) }
    }
}
