import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Testing

private func parse(
    _ text: String, name: String = "data.json", chunkSize: Int = 64 * 1024, params: Record = Record(), limit: Int? = nil
) async throws -> HarnessResult {
    try await ComponentHarness.run(
        JSONParseStep.self, params: params, input: filePackets(name, Array(text.utf8), chunkSize: chunkSize),
        job: ComponentHarness.makeJob(limit: limit))
}

@Suite("file.parse.json")
struct JSONParseTests {
    static let array = """
        [
          {"UID": "1", "profile": {"email": "a@example.com"}},
          {"UID": "2", "tags": ["x", "]", "{"], "note": "comma, \\"quote\\" and \\\\"},
          {"UID": "3"}
        ]
        """

    @Test("an array of objects becomes one record per element, in order", arguments: [1, 2, 7, 65_536])
    func array(chunkSize: Int) async throws {
        let result = try await parse(Self.array, chunkSize: chunkSize)
        #expect(result.records.map { $0["UID"] } == ["1", "2", "3"])
        #expect(result.records[0].value(at: FieldPath("profile.email")!) == "a@example.com")
        #expect(result.records[1]["tags"] == ["x", "]", "{"])
        #expect(result.records[1]["note"] == "comma, \"quote\" and \\")
        #expect(result.rejected.isEmpty)
    }

    @Test("JSON lines become one record per line, blank lines and CRLF allowed", arguments: [1, 5, 65_536])
    func lines(chunkSize: Int) async throws {
        let text = "{\"UID\": \"1\"}\r\n\n   \n{\"UID\": \"2\", \"n\": [1, 2]}\n{\"UID\": \"3\"}"
        let result = try await parse(text, chunkSize: chunkSize)
        #expect(result.records.map { $0["UID"] } == ["1", "2", "3"])
        #expect(result.records[1]["n"] == [1, 2])
    }

    @Test("a byte order mark at the start is skipped", arguments: ["[{\"a\": 1}]", "{\"a\": 1}\n"])
    func byteOrderMark(text: String) async throws {
        let result = try await parse("\u{FEFF}" + text, chunkSize: 1)
        #expect(result.records == [["a": 1]])
    }

    @Test("sourceDone follows each file's records")
    func sourceDone() async throws {
        let input = filePackets("a.json", "[{\"n\": 1}]") + filePackets("b.json", "{\"n\": 2}\n")
        let result = try await ComponentHarness.run(JSONParseStep.self, input: input)
        let order = result.output.map { packet -> String in
            switch packet {
            case .records(let batch): batch.map { $0["n"]?.plainText ?? "" }.joined()
            case .sourceDone(let file): file.name
            default: "?"
            }
        }
        #expect(order == ["1", "a.json", "2", "b.json"])
        #expect(result.metrics.input.value == 2)
        #expect(result.metrics.output.value == 2)
    }

    @Test("an empty array gives no records", arguments: ["[]", " [ ]\n"])
    func emptyArray(text: String) async throws {
        let result = try await parse(text)
        #expect(result.records.isEmpty)
        #expect(result.sourcesDone.map(\.name) == ["data.json"])
    }

    @Test("a file without a single value fails the job with EMPTY_FILE, naming the file", arguments: ["", "  \n", "\u{FEFF}\n"])
    func emptyFile(text: String) async throws {
        let error = await #expect(throws: DropsyncError.self) { try await parse(text) }
        #expect(error?.code == "EMPTY_FILE")
        #expect(error?.message.contains("data.json") == true)
    }

    @Test("the error budget fails a file with too many bad lines", arguments: [
        (["maxErrors": 1], true), (["maxErrors": 2], false), (["maxErrorRate": 0.25], true), (["maxErrorRate": 0.5], false),
    ] as [(Record, Bool)])
    func errorBudget(params: Record, fails: Bool) async throws {
        let text = "{\"n\": 1}\nnot json\n[1]\n{\"n\": 2}\n"
        if fails {
            let error = await #expect(throws: DropsyncError.self) { try await parse(text, params: params) }
            #expect(error?.code == "ERROR_BUDGET_EXCEEDED")
            #expect(error?.file == "/in/data.json")
        } else {
            #expect(try await parse(text, params: params).records.count == 2)
        }
    }

    @Test("refuses an error budget it cannot use", arguments: [["maxErrors": -1], ["maxErrorRate": 1.5]] as [Record])
    func badBudget(_ params: Record) {
        #expect(throws: ParamError.self) { try ComponentHarness.make(JSONParseStep.self, params) }
    }

    @Test("addFilename adds the source file's name to every record")
    func addFilename() async throws {
        let result = try await parse("[{\"a\": 1}]", name: "people.json", params: ["addFilename": true])
        #expect(result.records == [["a": 1, "filename": "people.json"]])
    }

    @Test("records go out in batches of 1000")
    func batches() async throws {
        let text = (0..<2500).map { "{\"n\": \($0)}" }.joined(separator: "\n")
        let result = try await parse(text, chunkSize: 4096)
        let sizes = result.output.compactMap { packet -> Int? in if case .records(let batch) = packet { batch.count } else { nil } }
        #expect(sizes == [1000, 1000, 500])
        #expect(result.records.last?["n"] == 2499)
    }

    @Test("a line that is not JSON is rejected with its line number and text")
    func invalidLine() async throws {
        let result = try await parse("{\"a\": 1}\n{\"a\": oops}\n{\"a\": 3}\n")
        #expect(result.records == [["a": 1], ["a": 3]])
        #expect(result.rejected.count == 1)
        let rejected = try #require(result.rejected.first)
        #expect(rejected["errorCode"] == "INVALID_JSON")
        #expect(rejected["lineNumber"] == 2)
        #expect(rejected["rawLine"] == "{\"a\": oops}")
        #expect(rejected["errorMessage"]?.stringValue?.hasPrefix("data.json line 2 is not valid JSON") == true, "\(rejected)")
    }

    @Test("a value that is not an object is rejected", arguments: [
        ("[{\"a\": 1},\n 42,\n {\"a\": 3}]", 2),
        ("{\"a\": 1}\n{\"a\": 2}\n\"text\"\n", 3),
    ])
    func notAnObject(text: String, line: Int) async throws {
        let result = try await parse(text)
        #expect(result.records.count == 2)
        #expect(result.rejected.map { $0["errorCode"] } == ["NOT_AN_OBJECT"])
        #expect(result.rejected.first?["lineNumber"] == .int(Int64(line)))
    }

    @Test("a broken array fails the job naming the file and line", arguments: [
        ("[{\"a\": 1},\n{\"a\": 2},\n{\"a\": tru}]", 3),
        ("[{\"a\": 1},\n{\"a\": 2}", 2),
        ("[{\"a\": 1},\n]", 2),
        ("[{\"a\": 1}] trailing", 1),
        ("[{\"a\": 1} {\"a\": 2}]", 1),
        ("[\n\n{\"a\": \"unterminated}]", 3),
    ])
    func brokenArray(text: String, line: Int) async throws {
        let error = await dropsyncError { _ = try await parse(text, name: "broken.json", chunkSize: 3) }
        #expect(error?.code == "INVALID_JSON")
        #expect(error?.file == "/in/broken.json")
        #expect(error?.line == line)
    }

    @Test("with a record limit, parsing stops after the granted records")
    func limit() async throws {
        let text = (0..<5000).map { "{\"n\": \($0)}" }.joined(separator: "\n")
        let result = try await parse(text, chunkSize: 1024, limit: 1500)
        #expect(result.records.count == 1500)
        #expect(result.records.last?["n"] == 1499)
        #expect(result.sourcesDone.count == 1)
    }

    @Test("--limit: the lines before its last record are rejected as usual, the lines after are not read", arguments: [4, 65_536])
    func limitRejections(chunkSize: Int) async throws {
        let text = "{\"n\": 1}\nbad\n{\"n\": 2}\nworse\n{\"n\": 3}\n"
        let result = try await parse(text, chunkSize: chunkSize, limit: 2)
        #expect(result.records == [["n": 1], ["n": 2]])
        #expect(result.rejected.map { $0["rawLine"] } == ["bad"])
        #expect(result.sourcesDone.map(\.name) == ["data.json"])
    }
}
