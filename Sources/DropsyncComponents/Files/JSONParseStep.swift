import DropsyncCore

/// `file.parse.json`: turns each JSON file into records, streaming.
///
/// A file whose first non-blank byte is `[` is one array of objects; any other file is JSON lines
/// (one object per line, blank lines skipped). Neither is held whole: records are parsed one at a
/// time as the bytes arrive. An element that is not an object is rejected (`NOT_AN_OBJECT`); a
/// line that is not JSON is rejected (`INVALID_JSON`, with `lineNumber` and `rawLine`); an array
/// file that is not valid JSON fails the job (`INVALID_JSON` naming the file and line), and so
/// does a file with more bad lines than `maxErrors` / `maxErrorRate` allow.
public struct JSONParseStep: Component {
    public static let spec = ComponentSpec(
        type: "file.parse.json",
        summary: "Parses JSON files (an array of objects, or one object per line) into records.",
        input: .file, output: .records, rejectsRecords: true,
        params: [
            ParamSpec("addFilename", .boolean, default: false, "Adds a field `filename` with the source file's name to every record."),
        ] + ErrorBudget.params)

    let addFilename: Bool
    let budget: ErrorBudget

    public init(params: Params) throws(ParamError) {
        addFilename = params.bool("addFilename") ?? false
        budget = ErrorBudget(params)
    }

    /// One file's rows (records and elements) so far, and how many of them were rejected.
    struct Tally {
        var rows = 0
        var rejected = 0
    }

    public func run(_ step: StepRun) async throws {
        var sender = RecordBatchSender(step: step)
        var current: (file: FileInfo, splitter: JSONStreamSplitter)?
        var tally = Tally()
        while let packet = try await step.input.next() {
            switch packet {
            case .fileStart(let file):
                guard !step.job.limit.isExhausted else { return step.input.close() }
                step.metrics.input.add(1)
                current = (file, JSONStreamSplitter())
                tally = Tally()
            case .bytes(let chunk):
                guard var active = current else { continue }
                step.metrics.bytesIn.add(chunk.count)
                let pieces = try split(active.file, step) { () throws(JSONStreamSplitter.StructureError) in try active.splitter.feed(chunk) }
                current = active
                guard try await deliver(pieces, layout: active.splitter.layout, from: active.file, step, &sender, &tally) else {
                    _ = try await endFile(active.file, step, &sender)
                    return
                }
            case .fileEnd:
                guard var active = current else { continue }
                current = nil
                let pieces = try split(active.file, step) { () throws(JSONStreamSplitter.StructureError) in try active.splitter.finish() }
                // Not a single value: a failed delivery, not a file with no records (`[]` is one).
                guard active.splitter.layout != .undecided else {
                    throw DropsyncError("EMPTY_FILE", "\(active.file.name) is empty: it holds no JSON", file: active.file.path, step: step.id)
                }
                _ = try await deliver(pieces, layout: active.splitter.layout, from: active.file, step, &sender, &tally)
                try budget.checkRate(tally.rejected, of: tally.rows, file: active.file, step: step.id)
                guard try await endFile(active.file, step, &sender) else { return }
            case .records, .sourceDone:
                throw DropsyncError("UNEXPECTED_INPUT", "received records on a file input", step: step.id)
            }
        }
        _ = try await sender.flush()
    }

    /// Runs the splitter, turning a structural fault into the job's failure.
    private func split(
        _ file: FileInfo, _ step: StepRun, _ work: () throws(JSONStreamSplitter.StructureError) -> [JSONStreamSplitter.Piece]
    ) throws -> [JSONStreamSplitter.Piece] {
        do {
            return try step.metrics.timed(work)
        } catch {
            throw DropsyncError("INVALID_JSON", "invalid JSON array: \(error.message)", file: file.path, line: error.line, step: step.id)
        }
    }

    /// Parses pieces into records and rejections and sends them; false when the step should stop
    /// (nothing downstream wants more, or the `--limit` is reached: pieces after the last record
    /// it grants are neither parsed nor rejected).
    private func deliver(
        _ pieces: [JSONStreamSplitter.Piece], layout: JSONStreamSplitter.Layout, from file: FileInfo,
        _ step: StepRun, _ sender: inout RecordBatchSender, _ tally: inout Tally
    ) async throws -> Bool {
        guard !pieces.isEmpty else { return !sender.isStopped }
        let limit = step.job.limit.isLimited ? step.job.limit : nil
        var limitReached = false
        var records: [Record] = []
        var rejected: [(Record, Rejection)] = []
        try step.metrics.timed { () throws(DropsyncError) in
            records.reserveCapacity(pieces.count)
            for piece in pieces where !limitReached {
                tally.rows += 1
                switch try parse(piece, layout: layout, from: file, step) {
                case .success(let record):
                    if let limit {
                        let grant = limit.takeOne()
                        limitReached = grant.last
                        guard grant.granted else { continue }
                    }
                    records.append(record)
                case .failure(let rejection):
                    rejected.append((addFilename ? ["filename": .string(file.name)] : Record(), rejection))
                }
            }
        }
        tally.rejected += rejected.count
        try await step.reject(rejected)
        try budget.checkCount(tally.rejected, file: file, step: step.id)
        return try await sender.add(records) && !limitReached
    }

    private func parse(
        _ piece: JSONStreamSplitter.Piece, layout: JSONStreamSplitter.Layout, from file: FileInfo, _ step: StepRun
    ) throws(DropsyncError) -> Result<Record, Rejection> {
        let value: Value
        do {
            value = try JSONParser.parse(piece.bytes)
        } catch {
            let line = piece.line + error.line - 1
            guard layout == .lines else {
                throw DropsyncError("INVALID_JSON", "invalid JSON: \(error.message)", file: file.path, line: line, step: step.id)
            }
            return .failure(Rejection("INVALID_JSON", "\(file.name) line \(line) is not valid JSON: \(error.message)",
                                      lineNumber: line, rawLine: Rejection.rawLine(piece.bytes)))
        }
        guard case .object(var record) = value else {
            return .failure(Rejection("NOT_AN_OBJECT", "\(file.name) line \(piece.line): a JSON \(value.typeName), not an object",
                                      lineNumber: piece.line, rawLine: Rejection.rawLine(piece.bytes)))
        }
        if addFilename { record["filename"] = .string(file.name) }
        return .success(record)
    }

    /// Sends the file's last records and `sourceDone`; false when the step should stop.
    private func endFile(_ file: FileInfo, _ step: StepRun, _ sender: inout RecordBatchSender) async throws -> Bool {
        let wanted = try await sender.flush()
        try await step.sourceDone(file)
        return wanted
    }
}
