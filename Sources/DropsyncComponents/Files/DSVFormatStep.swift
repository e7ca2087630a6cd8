import DropsyncCore

/// `file.format.dsv`: writes the records it receives as one delimiter-separated file.
///
/// The file starts at the first record (its name expanded then); without `columns`, the first
/// record's fields, nested objects flattened to dotted paths, are the columns.
public struct DSVFormatStep: Component {
    public static let spec = ComponentSpec(
        type: "file.format.dsv",
        summary: "Writes records as one delimiter-separated file (CSV, TSV, …).",
        input: .records, output: .file,
        params: [
            ParamSpec("fileName", .string, default: "export_${now:yyyyMMdd_HHmmss}.csv", "The file's name; macros such as ${now:yyyyMMdd} and ${jobId} are expanded."),
            ParamSpec("columnSeparator", .string, default: ",", constraints: [.singleCharacter], "The field separator, one ASCII character; \"\\t\" for tab."),
            ParamSpec("quoteFields", .boolean, default: false, "Quote every field; by default only fields holding a separator, quote, line break or leading or trailing space are quoted."),
            ParamSpec("escapeCharacter", .string, default: "\"", constraints: [.singleCharacter], "Written before a quote inside a quoted field; the default, a quote, doubles quotes (RFC 4180)."),
            ParamSpec("writeHeader", .boolean, default: true, "Write a header row with the column names."),
            ParamSpec("lineEnd", .string, default: "\n", "The row terminator: \"\\n\" (or LF), \"\\r\\n\" (or CRLF), \"\\r\" (or CR)."),
            ParamSpec("columns", .array(of: .string), "The fields to write, as dotted paths, in order; by default the first record's fields, nested objects flattened."),
            ParamSpec("createEmptyFile", .boolean, default: false, "Write a file even when no record came (a header only, when columns are given)."),
        ])

    let fileName: String
    let options: DSVWriter.Options
    let writeHeader: Bool
    let columns: [FieldPath]?
    let createEmptyFile: Bool

    public init(params: Params) throws(ParamError) {
        fileName = try params.requiredTemplate("fileName")
        let separator = try params.byte("columnSeparator") ?? UInt8(ascii: ",")
        let escape = try params.byte("escapeCharacter") ?? UInt8(ascii: "\"")
        options = DSVWriter.Options(
            separator: separator, escape: escape, quoteAll: params.bool("quoteFields") ?? false,
            lineEnd: try Self.lineEnd(params.string("lineEnd") ?? "\n"))
        writeHeader = params.bool("writeHeader") ?? true
        createEmptyFile = params.bool("createEmptyFile") ?? false
        if let names = params.strings("columns") {
            var paths: [FieldPath] = []
            for name in names {
                guard let path = FieldPath(name) else { throw ParamError("columns", "\"\(name)\" is not a valid field path") }
                paths.append(path)
            }
            columns = paths
        } else {
            columns = nil
        }
    }

    private static func lineEnd(_ text: String) throws(ParamError) -> [UInt8] {
        switch text {
        case "\n", "\\n", "LF": Array("\n".utf8)
        case "\r\n", "\\r\\n", "CRLF": Array("\r\n".utf8)
        case "\r", "\\r", "CR": Array("\r".utf8)
        default: throw ParamError("lineEnd", "must be \\n (LF), \\r\\n (CRLF) or \\r (CR)")
        }
    }

    public func run(_ step: StepRun) async throws {
        var emitter = OutputFileEmitter(fileName: try expandedFileName(step), step: step)
        var writer: DSVWriter?
        while let packet = try await step.input.next() {
            switch packet {
            case .records(let batch):
                guard let first = batch.first else { continue }
                step.metrics.input.add(batch.count)
                if writer == nil { writer = makeWriter(columns: columns ?? DSVWriter.columns(of: first)) }
                step.metrics.timed { for record in batch { writer!.write(record) } }
                guard try await emitter.write(writer!.takeBytes()) else { return step.input.close() }
            case .sourceDone:
                continue
            case .fileStart, .bytes, .fileEnd:
                throw DropsyncError("UNEXPECTED_INPUT", "received file bytes on a records input", step: step.id)
            }
        }
        if writer == nil && createEmptyFile {
            var empty = makeWriter(columns: columns ?? [])
            guard try await emitter.write(empty.takeBytes()) else { return }
        }
        _ = try await emitter.finish()
    }

    private func expandedFileName(_ step: StepRun) throws -> String {
        do {
            return try Macros.expand(fileName, step.job.macros)
        } catch {
            throw DropsyncError("INVALID_PARAM", "fileName: \(error)", step: step.id)
        }
    }

    /// A writer for these columns, the header already written when asked for.
    private func makeWriter(columns: [FieldPath]) -> DSVWriter {
        var writer = DSVWriter(options: options, columns: columns)
        if writeHeader && !columns.isEmpty { writer.writeHeader() }
        return writer
    }
}
