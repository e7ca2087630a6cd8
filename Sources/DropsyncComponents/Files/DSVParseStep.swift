import DropsyncCore

/// `file.parse.dsv`: reads delimiter-separated files (CSV, TSV, …) into records.
///
/// Bad rows (wrong field count, unterminated quote, invalid text) are rejected onto the error
/// path with their line number and raw text; the rest of the file goes on. `maxErrors` and
/// `maxErrorRate` fail the job when a file has too many bad rows.
public struct DSVParseStep: Component {
    public static let spec = ComponentSpec(
        type: "file.parse.dsv",
        summary: "Parses delimiter-separated files (CSV, TSV, …) into records, one per row.",
        input: .file, output: .records, rejectsRecords: true,
        params: [
            ParamSpec("columnSeparator", .string, default: ",", constraints: [.singleCharacter], "The field separator, one ASCII character; \"\\t\" for tab."),
            ParamSpec("quoteChar", .string, default: "\"", constraints: [.singleCharacterOrEmpty], "The quote character; \"\" reads quotes as ordinary text."),
            ParamSpec("escapeChar", .string, constraints: [.singleCharacter], "A character that makes the next one literal (e.g. \"\\\\\"); by default quotes are escaped by doubling them (RFC 4180)."),
            ParamSpec("columns", .array(of: .string), constraints: [.nonEmpty], "Field names (or dotted paths) of the columns; when given, the file has no header row unless hasHeader is true."),
            ParamSpec("hasHeader", .boolean, "Whether the first row is a header: its names are the fields (dotted names make nested objects), or it is skipped when columns is given. Default: true without columns, false with."),
            ParamSpec("skipLines", .integer, default: 0, constraints: [.atLeast(0)], "Lines to skip before the header (or the first row)."),
            ParamSpec("trimWhitespace", .boolean, default: false, "Remove spaces and tabs around values; by default values are kept exactly."),
            ParamSpec("fileCharset", .oneOf(DSVCharset.allCases.map(\.rawValue)), default: "UTF-8", "The files' character set; auto-detect reads UTF-8, UTF-16LE or UTF-16BE by byte-order mark (UTF-8 without one)."),
            ParamSpec("inferTypes", .boolean, default: false, "Turn numbers into numbers (not 007 or integers beyond 64 bits: they stay text), true/false into booleans and empty values into null; by default every value is a string."),
            ParamSpec("addFilename", .boolean, default: false, "Add a field filename holding the source file's name."),
        ] + ErrorBudget.params)

    let charset: DSVCharset
    let tokenizerOptions: DSVTokenizer.Options
    let recordSettings: DSVRecordSettings
    let budget: ErrorBudget

    public init(params: Params) throws(ParamError) {
        let separator = try params.byte("columnSeparator") ?? UInt8(ascii: ",")
        let quote = params.string("quoteChar") == "" ? nil : try params.byte("quoteChar")
        let escape = try params.byte("escapeChar")
        for (name, byte) in [("quoteChar", quote), ("escapeChar", escape)] where byte == separator {
            throw ParamError(name, "must differ from columnSeparator")
        }
        tokenizerOptions = DSVTokenizer.Options(
            separator: separator, quote: quote, escape: escape, skipLines: params.int("skipLines") ?? 0)
        charset = params.string("fileCharset").flatMap(DSVCharset.init(rawValue:)) ?? .utf8

        var columns: DSVColumns?
        if let names = params.strings("columns") {
            switch DSVColumns.make(names) {
            case .success(let made): columns = made
            case .failure(let problem): throw ParamError("columns", "\(problem)")
            }
        }
        let hasHeader = params.bool("hasHeader") ?? (columns == nil)
        guard hasHeader || columns != nil else { throw ParamError("hasHeader", "false needs columns to name the fields") }
        recordSettings = DSVRecordSettings(
            columns: columns, hasHeader: hasHeader,
            fields: DSVFieldDecoder(
                trimWhitespace: params.bool("trimWhitespace") ?? false, inferTypes: params.bool("inferTypes") ?? false),
            addFilename: params.bool("addFilename") ?? false)
        budget = ErrorBudget(params)
    }

    public func run(_ step: StepRun) async throws {
        var parser: DSVFileParser?
        while let packet = try await step.input.next() {
            switch packet {
            case .fileStart(let file):
                guard !step.job.limit.isExhausted else { return step.input.close() }
                step.metrics.input.add(1)
                parser = DSVFileParser(
                    file: file, charset: charset, tokenizer: tokenizerOptions, records: recordSettings,
                    limit: step.job.limit.isLimited ? step.job.limit : nil)
            case .bytes(let chunk):
                guard parser != nil else { continue }
                step.metrics.bytesIn.add(chunk.count)
                step.metrics.timed { parser!.consume(chunk) }
                guard try await deliver(&parser!, step, endOfFile: false) else { return step.input.close() }
            case .fileEnd:
                guard parser != nil else { continue }
                step.metrics.timed { parser!.finish() }
                guard try await deliver(&parser!, step, endOfFile: true) else { return step.input.close() }
                parser = nil
            case .records, .sourceDone:
                throw DropsyncError("UNEXPECTED_INPUT", "received records on a file input", step: step.id)
            }
        }
    }

    /// Sends what the parser has ready, checks the error budget, and at the end of the file sends
    /// `sourceDone`. False when the step should stop: nothing downstream wants more, or the
    /// `--limit` is reached (the file counts as done with the records it gave).
    private func deliver(_ parser: inout DSVFileParser, _ step: StepRun, endOfFile: Bool) async throws -> Bool {
        if let failure = parser.failure { throw failure.inStep(step.id) }
        try await step.reject(parser.takeRejected())
        try budget.checkCount(parser.rejectedCount, file: parser.file, step: step.id)
        // The parser built no more records than the `--limit` grants, nor rejected rows after them.
        while let batch = parser.takeBatch(final: endOfFile || parser.limitReached) {
            step.metrics.output.add(batch.count)
            guard try await step.output.send(.records(batch)) else { return false }
        }
        if parser.limitReached {
            try await step.sourceDone(parser.file)
            return false
        }
        guard endOfFile else { return true }
        try budget.checkRate(parser.rejectedCount, of: parser.rowCount, file: parser.file, step: step.id)
        try await step.sourceDone(parser.file)
        return true
    }

    /// Parses a whole file in memory, outside a dataflow (benchmarks, tools): passes each batch
    /// of records the step would send to `records` and returns the rejections, without `--limit`
    /// or the error budget.
    public func parse(
        _ bytes: [UInt8], file: FileInfo, chunkSize: Int = 128 * 1024, records: ([Record]) -> Void
    ) throws(DropsyncError) -> [(Record, Rejection)] {
        var parser = DSVFileParser(file: file, charset: charset, tokenizer: tokenizerOptions, records: recordSettings)
        var rejected: [(Record, Rejection)] = []
        let size = max(1, chunkSize)
        for start in stride(from: 0, to: bytes.count, by: size) {
            parser.consume(Array(bytes[start..<min(start + size, bytes.count)]))
            while let batch = parser.takeBatch(final: false) { records(batch) }
            rejected += parser.takeRejected()
        }
        parser.finish()
        while let batch = parser.takeBatch(final: true) { records(batch) }
        rejected += parser.takeRejected()
        if let failure = parser.failure { throw failure }
        return rejected
    }
}
