import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Testing

/// One file's bytes, the params to parse it with, and what should come out.
struct DSVParseCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var params: Record = [:]
    var records: [Record]
    /// Expected rejections: code, line number, raw line.
    var rejections: [DSVRejection] = []

    init(_ name: String, _ input: [UInt8], params: Record = [:], records: [Record], rejections: [DSVRejection] = []) {
        self.name = name
        self.input = input
        self.params = params
        self.records = records
        self.rejections = rejections
    }

    init(_ name: String, _ text: String, params: Record = [:], records: [Record], rejections: [DSVRejection] = []) {
        self.init(name, Array(text.utf8), params: params, records: records, rejections: rejections)
    }

    var testDescription: String { name }
}

struct DSVRejection: Sendable, Hashable {
    var code: String
    var line: Int
    var rawLine: String
}

enum DSVParsing {
    static let file = FileInfo(name: "people.csv", path: "/drop/people.csv", location: "local:/drop")

    /// Parses `input` as one file, sent in chunks of `chunkSize` bytes (one chunk when nil).
    static func run(
        _ input: [UInt8], params: Record = [:], chunkSize: Int? = nil, errorPath: Bool = true,
        job: JobContext = ComponentHarness.makeJob()
    ) async throws -> HarnessResult {
        var packets: [Packet] = [.fileStart(file)]
        let size = max(1, chunkSize ?? input.count)
        for start in stride(from: 0, to: input.count, by: size) {
            packets.append(.bytes(Array(input[start..<min(start + size, input.count)])))
        }
        packets.append(.fileEnd)
        return try await ComponentHarness.run(DSVParseStep.self, params: params, input: packets, errorPath: errorPath, job: job)
    }

    static func rejections(_ result: HarnessResult) -> [DSVRejection] {
        result.rejected.map { record in
            DSVRejection(
                code: record["errorCode"]?.stringValue ?? "", line: Int(record["lineNumber"]?.intValue ?? 0),
                rawLine: record["rawLine"]?.stringValue ?? "")
        }
    }

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        return bytes
    }
}

let dsvParseCases: [DSVParseCase] = [
    DSVParseCase("a UTF-8 byte-order mark is stripped", [0xEF, 0xBB, 0xBF] + Array("name,age\nAnn,30\n".utf8),
                 records: [["name": "Ann", "age": "30"]]),
    DSVParseCase("CRLF ends rows", "a,b\r\n1,2\r\n3,4\r\n", records: [["a": "1", "b": "2"], ["a": "3", "b": "4"]]),
    DSVParseCase("LF ends rows", "a,b\n1,2\n3,4\n", records: [["a": "1", "b": "2"], ["a": "3", "b": "4"]]),
    DSVParseCase("a lone CR ends rows", "a,b\r1,2\r3,4\r", records: [["a": "1", "b": "2"], ["a": "3", "b": "4"]]),
    DSVParseCase("a last row needs no terminator", "a,b\n1,2\n3,4", records: [["a": "1", "b": "2"], ["a": "3", "b": "4"]]),
    DSVParseCase("blank lines are skipped", "a,b\n\n1,2\r\n\r\n\n3,4\n\n", records: [["a": "1", "b": "2"], ["a": "3", "b": "4"]]),
    DSVParseCase("a quoted field holds separators", "a,b\n\"x,y\",2\n", records: [["a": "x,y", "b": "2"]]),
    DSVParseCase("doubled quotes are one quote", "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n", records: [["a": "say \"hi\"", "b": "\""]]),
    DSVParseCase("quoted fields hold LF, CRLF and CR", "a,b\n\"one\ntwo\",\"x\r\ny\"\n\"p\rq\",3\n",
                 records: [["a": "one\ntwo", "b": "x\r\ny"], ["a": "p\rq", "b": "3"]]),
    DSVParseCase("an empty quoted field is empty", "a,b\n\"\",2\n", records: [["a": "", "b": "2"]]),
    DSVParseCase("a quote inside an unquoted field is text", "a\nab\"c\n", records: [["a": "ab\"c"]]),
    DSVParseCase("text after a closing quote is kept", "a\n\"ab\"c\n", records: [["a": "abc"]]),
    DSVParseCase("a trailing separator makes an empty last field", "a,b\n1,\n", records: [["a": "1", "b": ""]]),
    DSVParseCase("values keep their spaces by default", "a,b\n  x , y \n", records: [["a": "  x ", "b": " y "]]),
    DSVParseCase("trimWhitespace removes spaces and tabs", "a , b\n  x ,\ty \n", params: ["trimWhitespace": true],
                 records: [["a": "x", "b": "y"]]),
    DSVParseCase("skipLines skips lines before the header", "exported by X\n\"odd \"quote\na,b\n1,2\n", params: ["skipLines": 2],
                 records: [["a": "1", "b": "2"]]),
    DSVParseCase("columns name a file without header", "1,2\n3,4\n", params: ["columns": ["x", "y"]],
                 records: [["x": "1", "y": "2"], ["x": "3", "y": "4"]]),
    DSVParseCase("columns with hasHeader skip the header row", "a,b\n1,2\n", params: ["columns": ["x", "y"], "hasHeader": true],
                 records: [["x": "1", "y": "2"]]),
    DSVParseCase("a tab separator is spelled \\t", "a\tb\n1,5\t2\n", params: ["columnSeparator": "\\t"],
                 records: [["a": "1,5", "b": "2"]]),
    DSVParseCase("a semicolon separator", "a;b\n1,5;2\n", params: ["columnSeparator": ";"], records: [["a": "1,5", "b": "2"]]),
    DSVParseCase("escapeChar makes the next character literal", "a,b\n\"x\\\"y\",p\\,q\\\\\n", params: ["escapeChar": "\\"],
                 records: [["a": "x\"y", "b": "p,q\\"]]),
    DSVParseCase("ISO-8859-1 is decoded", Array("name\nJos".utf8) + [0xE9, 0x0A], params: ["fileCharset": "ISO-8859-1"],
                 records: [["name": "José"]]),
    DSVParseCase("Windows-1252 decodes 0x80 as the euro sign", Array("price,name\n5".utf8) + [0x80, 0x2C, 0xE9, 0x0A],
                 params: ["fileCharset": "Windows-1252"], records: [["price": "5€", "name": "é"]]),
    DSVParseCase("auto-detect reads UTF-16LE by its byte-order mark", DSVParsing.utf16("a,b\n1,é😀\n", bigEndian: false),
                 params: ["fileCharset": "auto-detect"], records: [["a": "1", "b": "é😀"]]),
    DSVParseCase("auto-detect reads UTF-16BE by its byte-order mark", DSVParsing.utf16("a,b\n1,é\n", bigEndian: true),
                 params: ["fileCharset": "auto-detect"], records: [["a": "1", "b": "é"]]),
    DSVParseCase("an unpaired UTF-16 surrogate rejects its row, shown as \\xFF",
                 DSVParsing.utf16("a,b\n1,", bigEndian: false) + [0x00, 0xD8] + DSVParsing.utf16("x\n2,ok\n", bigEndian: false).dropFirst(2),
                 params: ["fileCharset": "auto-detect"], records: [["a": "2", "b": "ok"]],
                 rejections: [DSVRejection(code: "INVALID_TEXT", line: 2, rawLine: #"1,\xFFx"#)]),
    DSVParseCase("auto-detect strips a UTF-8 byte-order mark", [0xEF, 0xBB, 0xBF] + Array("a\né\n".utf8),
                 params: ["fileCharset": "auto-detect"], records: [["a": "é"]]),
    DSVParseCase("auto-detect without a mark reads UTF-8", "a\né\n", params: ["fileCharset": "auto-detect"], records: [["a": "é"]]),
    DSVParseCase("inferTypes reads numbers, booleans and null",
                 "i,n,d,e,t,f,empty,text,zip\n123,-5,1.5,1e3,true,false,,abc,007\n", params: ["inferTypes": true],
                 records: [["i": 123, "n": -5, "d": 1.5, "e": 1000.0, "t": true, "f": false, "empty": nil, "text": "abc", "zip": "007"]]),
    DSVParseCase("inferTypes keeps a number too large for a double as text", "big\n1e999\n", params: ["inferTypes": true],
                 records: [["big": "1e999"]]),
    DSVParseCase("inferTypes keeps integers outside Int64 as text, digit for digit",
                 "a,b,c,d\n123456789012345678901234567890,9223372036854775808,-9223372036854775809,-9223372036854775808\n",
                 params: ["inferTypes": true],
                 records: [["a": "123456789012345678901234567890", "b": "9223372036854775808", "c": "-9223372036854775809",
                            "d": .int(Int64.min)]]),
    DSVParseCase("without inferTypes every value is a string", "i,t,empty\n123,true,\n",
                 records: [["i": "123", "t": "true", "empty": ""]]),
    DSVParseCase("dotted header names make nested objects", "UID,profile.email,profile.firstName\n1,a@example.com,Ann\n",
                 records: [["UID": "1", "profile": ["email": "a@example.com", "firstName": "Ann"]]]),
    DSVParseCase("addFilename adds the source file's name", "a\n1\n", params: ["addFilename": true],
                 records: [["a": "1", "filename": "people.csv"]]),
    DSVParseCase("a file holding only a header gives no records", "a,b\n", records: []),
    DSVParseCase("rows with the wrong field count are rejected", "a,b\n1,2\n1,2,3\n4\n5,6\n",
                 records: [["a": "1", "b": "2"], ["a": "5", "b": "6"]],
                 rejections: [DSVRejection(code: "WRONG_FIELD_COUNT", line: 3, rawLine: "1,2,3"),
                              DSVRejection(code: "WRONG_FIELD_COUNT", line: 4, rawLine: "4")]),
    DSVParseCase("line numbers count the lines inside quoted fields", "a,b\n\"x\ny\r\nz\",1\n\n1,2,3\r\n",
                 records: [["a": "x\ny\r\nz", "b": "1"]],
                 rejections: [DSVRejection(code: "WRONG_FIELD_COUNT", line: 6, rawLine: "1,2,3")]),
    DSVParseCase("an unterminated quote rejects the rest of the file", "a,b\n1,2\n\"abc,3\n4,5\n",
                 records: [["a": "1", "b": "2"]],
                 rejections: [DSVRejection(code: "UNTERMINATED_QUOTE", line: 3, rawLine: "\"abc,3\n4,5\n")]),
    DSVParseCase("invalid UTF-8 rejects the row", Array("a,b\n1,".utf8) + [0xFF] + Array("\n3,4\n".utf8),
                 records: [["a": "3", "b": "4"]],
                 rejections: [DSVRejection(code: "INVALID_TEXT", line: 2, rawLine: #"1,\xFF"#)]),
    DSVParseCase("a NUL byte rejects the row", "a,b\n1,x\0y\n3,4\n", records: [["a": "3", "b": "4"]],
                 rejections: [DSVRejection(code: "INVALID_TEXT", line: 2, rawLine: "1,x\0y")]),
]

@Suite("file.parse.dsv")
struct DSVParseTests {
    @Test("parses the edge case", arguments: dsvParseCases)
    func parsesEdgeCase(_ testCase: DSVParseCase) async throws {
        let result = try await DSVParsing.run(testCase.input, params: testCase.params)
        #expect(result.records == testCase.records)
        #expect(DSVParsing.rejections(result) == testCase.rejections)
    }

    @Test("gives the same result when the file comes one byte at a time", arguments: dsvParseCases)
    func oneByteChunks(_ testCase: DSVParseCase) async throws {
        let result = try await DSVParsing.run(testCase.input, params: testCase.params, chunkSize: 1)
        #expect(result.records == testCase.records)
        #expect(DSVParsing.rejections(result) == testCase.rejections)
    }

    @Test("gives the same result for every split of a file into two chunks")
    func everySplit() async throws {
        let input = Array("a,b\r\n\"x,\"\"y\"\"\r\nz\",\\q\r\n\r\nlast,\"row\"".utf8)
        let whole = try await DSVParsing.run(input, params: ["escapeChar": "\\"])
        #expect(whole.records == [["a": "x,\"y\"\r\nz", "b": "q"], ["a": "last", "b": "row"]])
        for split in 1..<input.count {
            let packets: [Packet] = [
                .fileStart(DSVParsing.file), .bytes(Array(input[..<split])), .bytes(Array(input[split...])), .fileEnd,
            ]
            let result = try await ComponentHarness.run(DSVParseStep.self, params: ["escapeChar": "\\"], input: packets)
            #expect(result.records == whole.records, "split at \(split)")
        }
    }

    @Test("rejected rows carry the error code, message and step")
    func rejectedRecordShape() async throws {
        let result = try await DSVParsing.run(Array("a,b\n1\n".utf8), params: ["addFilename": true])
        let rejected = try #require(result.rejected.first)
        #expect(rejected["errorCode"] == "WRONG_FIELD_COUNT")
        #expect(rejected["errorMessage"] == "people.csv line 2 has 1 fields, expected 2")
        #expect(rejected["errorStep"] == "step")
        #expect(rejected["filename"] == "people.csv")
        #expect(result.metrics.errors.value == 1)
    }

    @Test("a row that is not UTF-8 says where, keeps its bytes in rawLine and suggests fileCharset")
    func invalidTextReport() async throws {
        // "José" in ISO-8859-1, then a valid "é" after the bad byte.
        let input = Array("a,b\n1,Jos".utf8) + [0xE9] + Array(" é\n".utf8)
        let result = try await DSVParsing.run(input)
        let rejected = try #require(result.rejected.first)
        #expect(rejected["errorMessage"] == #"people.csv line 2 is not valid UTF-8 at byte 6 (\xE9); if the file is ISO-8859-1 or Windows-1252, set fileCharset"#)
        #expect(rejected["rawLine"] == #"1,Jos\xE9 é"#)
    }

    @Test("a row of a UTF-16 file with a unit that makes no character says so")
    func invalidUTF16Report() async throws {
        let input = DSVParsing.utf16("a,b\n1,", bigEndian: true) + [0xDC, 0x00] + DSVParsing.utf16("\n", bigEndian: true).dropFirst(2)
        let result = try await DSVParsing.run(input, params: ["fileCharset": "auto-detect"])
        #expect(result.rejected.first?["errorMessage"]?.stringValue?.hasPrefix("people.csv line 2 is not valid UTF-16") == true)
    }

    @Test("rejected rows without an error path are sampled into the job")
    func rejectionsSampled() async throws {
        let result = try await DSVParsing.run(Array("a,b\n1\n2,3\n".utf8), errorPath: false)
        #expect(result.records == [["a": "2", "b": "3"]])
        #expect(result.job.errorSamples.map(\.code) == ["WRONG_FIELD_COUNT"])
    }

    @Test("sends sourceDone after each file's records")
    func sourceDonePerFile() async throws {
        let second = FileInfo(name: "more.csv", path: "/drop/more.csv", location: "local:/drop")
        let packets: [Packet] = [
            .fileStart(DSVParsing.file), .bytes(Array("a\n1\n".utf8)), .fileEnd,
            .fileStart(second), .bytes(Array("b\n2\n".utf8)), .fileEnd,
        ]
        let result = try await ComponentHarness.run(DSVParseStep.self, input: packets)
        #expect(result.sourcesDone == [DSVParsing.file, second])
        let order = result.output.map { packet -> String in
            switch packet {
            case .records(let batch): "records \(batch.count)"
            case .sourceDone(let file): "done \(file.name)"
            default: "other"
            }
        }
        #expect(order == ["records 1", "done people.csv", "records 1", "done more.csv"])
        #expect(result.metrics.input.value == 2)
        #expect(result.metrics.output.value == 2)
    }

    @Test("sends records in batches of a thousand")
    func batches() async throws {
        let input = "n\n" + (1...2500).map(String.init).joined(separator: "\n")
        let result = try await DSVParsing.run(Array(input.utf8), chunkSize: 4096)
        let sizes = result.output.compactMap { packet -> Int? in if case .records(let batch) = packet { batch.count } else { nil } }
        #expect(sizes == [1000, 1000, 500])
        #expect(result.records.last == ["n": "2500"])
    }

    @Test("--limit stops after that many records")
    func limit() async throws {
        let input = "n\n" + (1...50).map(String.init).joined(separator: "\n")
        let job = ComponentHarness.makeJob(limit: 3)
        let result = try await DSVParsing.run(Array(input.utf8), chunkSize: 16, job: job)
        #expect(result.records == [["n": "1"], ["n": "2"], ["n": "3"]])
        #expect(result.sourcesDone == [DSVParsing.file])
    }

    @Test("--limit: the rows before its last record are rejected as usual, the rows after are not read", arguments: [nil, 4])
    func limitRejections(chunkSize: Int?) async throws {
        let input = Array("a,b\n1,2\nbad\n3,4\nworse\n5,6\n".utf8)
        let result = try await DSVParsing.run(input, chunkSize: chunkSize, job: ComponentHarness.makeJob(limit: 2))
        #expect(result.records == [["a": "1", "b": "2"], ["a": "3", "b": "4"]])
        #expect(DSVParsing.rejections(result) == [DSVRejection(code: "WRONG_FIELD_COUNT", line: 3, rawLine: "bad")])
        #expect(result.sourcesDone == [DSVParsing.file])
    }

    @Test("maxErrors fails the job when a file has more bad rows", arguments: [(1, true), (2, false)])
    func maxErrors(limit: Int, fails: Bool) async throws {
        let input = Array("a,b\n1,2\n3\n4\n5,6\n".utf8)
        let run = { try await DSVParsing.run(input, params: ["maxErrors": .int(Int64(limit))]) }
        if fails {
            let error = await #expect(throws: DropsyncError.self) { try await run() }
            #expect(error?.code == "ERROR_BUDGET_EXCEEDED")
            #expect(error?.file == "/drop/people.csv")
        } else {
            #expect(try await run().records.count == 2)
        }
    }

    @Test("maxErrorRate fails the job when too large a share of a file's rows is bad", arguments: [(0.25, true), (0.5, false)])
    func maxErrorRate(rate: Double, fails: Bool) async throws {
        let input = Array("a,b\n1,2\n3\n4\n5,6\n".utf8)
        let run = { try await DSVParsing.run(input, params: ["maxErrorRate": .double(rate)]) }
        if fails {
            let error = await #expect(throws: DropsyncError.self) { try await run() }
            #expect(error?.code == "ERROR_BUDGET_EXCEEDED")
            #expect(error?.file == "/drop/people.csv")
        } else {
            #expect(try await run().sourcesDone == [DSVParsing.file])
        }
    }

    @Test("a row that never ends (an unclosed quote) fails the file before it fills memory")
    func rowTooLong() async throws {
        let input = Array("a,b\n1,\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 17 * 1024 * 1024)
        let error = await #expect(throws: DropsyncError.self) { try await DSVParsing.run(input, chunkSize: 1024 * 1024) }
        #expect(error?.code == "ROW_TOO_LONG")
        #expect(error?.file == "/drop/people.csv")
        #expect(error?.line == 2)
    }

    @Test("a file without a single row, not even a header, fails with EMPTY_FILE", arguments: [
        [], [0xEF, 0xBB, 0xBF], Array("\n\r\n".utf8),
    ])
    func emptyFile(_ input: [UInt8]) async throws {
        let error = await #expect(throws: DropsyncError.self) { try await DSVParsing.run(input) }
        #expect(error?.code == "EMPTY_FILE")
        #expect(error?.file == "/drop/people.csv")
    }

    @Test("a rejected row's rawLine is cut to a readable size")
    func longRawLine() async throws {
        let input = "a,b\n" + String(repeating: "y", count: 10_000) + "\n"
        let result = try await DSVParsing.run(Array(input.utf8))
        #expect(result.rejected.first?["rawLine"]?.stringValue?.utf8.count == 4096)
    }

    @Test("a header name that is not a field path, or two that fill the same field, fail the file", arguments: [
        "a,,b\n1,2,3\n", "a,b..c\n", "a,a\n", "UID,profile,profile.email\n", "UID,profile.email,profile\n",
    ])
    func invalidHeader(_ input: String) async throws {
        let error = await #expect(throws: DropsyncError.self) { try await DSVParsing.run(Array(input.utf8)) }
        #expect(error?.code == "INVALID_HEADER")
        #expect(error?.file == "/drop/people.csv")
    }

    @Test("refuses params it cannot use", arguments: [
        ["columnSeparator": "ab"], ["quoteChar": ","], ["hasHeader": false], ["columns": ["a", "b..c"]],
        ["columns": ["profile", "profile.email"]], ["maxErrorRate": 1.5], ["skipLines": -1],
    ] as [Record])
    func badParams(_ params: Record) {
        #expect(throws: ParamError.self) { try ComponentHarness.make(DSVParseStep.self, params) }
    }

    @Test("parse(_:file:records:) gives what the step sends", arguments: dsvParseCases)
    func parseInMemory(_ testCase: DSVParseCase) throws {
        let step = try ComponentHarness.make(DSVParseStep.self, testCase.params)
        var records: [Record] = []
        let rejected = try step.parse(testCase.input, file: DSVParsing.file, chunkSize: 5) { records += $0 }
        #expect(records == testCase.records)
        #expect(rejected.map { DSVRejection(code: $0.1.code, line: $0.1.lineNumber ?? 0, rawLine: $0.1.rawLine ?? "") } == testCase.rejections)
    }

    @Test("the tokenizer parses a whole buffer on its own")
    func tokenizerAlone() {
        var tokenizer = DSVTokenizer(DSVTokenizer.Options(separator: UInt8(ascii: ";")))
        var rows: [[String]] = []
        let collect = { (row: DSVRow) in rows.append((0..<row.count).map { String(decoding: row[$0], as: UTF8.self) }) }
        Array("a;\"b;c\"\n1;2".utf8).withUnsafeBytes { tokenizer.consume($0, row: collect) }
        tokenizer.finish(row: collect)
        #expect(rows == [["a", "b;c"], ["1", "2"]])
    }
}
