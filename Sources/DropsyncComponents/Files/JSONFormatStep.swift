import DropsyncCore

/// `file.format.json`: writes all the records of a job into one JSON file.
///
/// `array` (the default) writes `[` one compact object per line `]`, optionally wrapped as
/// `{"<wrapField>": [ … ]}`; `lines` writes one object per line. The file starts with the first
/// record; a job without records writes no file unless `createEmptyFile` is set.
public struct JSONFormatStep: Component {
    public static let spec = ComponentSpec(
        type: "file.format.json",
        summary: "Formats records as one JSON file per job (an array, or one object per line).",
        input: .records, output: .file,
        params: [
            ParamSpec("fileName", .string, default: "export_${now:yyyyMMdd_HHmmss}.json",
                      "Name of the output file; macros such as ${now:yyyyMMdd} and ${jobId} are expanded."),
            ParamSpec("format", .oneOf(["array", "lines"]), default: "array",
                      "`array`: one JSON array of objects; `lines`: one object per line (JSON lines)."),
            ParamSpec("wrapField", .string,
                      "With `array`: writes {\"<wrapField>\": [ … ]} instead of a bare array."),
            ParamSpec("createEmptyFile", .boolean, default: false,
                      "Writes a file (an empty array, or nothing for `lines`) even when there are no records."),
        ])

    /// The bytes around and between the records of one layout.
    struct Layout: Equatable {
        var opening: [UInt8]
        var separator: [UInt8]
        var closing: [UInt8]
        /// The whole file when there are no records.
        var empty: [UInt8]

        static let lines = Layout(opening: [], separator: Array("\n".utf8), closing: Array("\n".utf8), empty: [])

        static func array(wrappedIn field: String?) -> Layout {
            var open: [UInt8] = []
            var close = Array("]".utf8)
            if let field {
                var writer = JSONWriter()
                writer.writeString(field)
                open = Array("{".utf8) + writer.bytes + Array(":".utf8)
                close += Array("}".utf8)
            }
            return Layout(opening: open + Array("[\n".utf8), separator: Array(",\n".utf8),
                          closing: Array("\n".utf8) + close + Array("\n".utf8),
                          empty: open + Array("[".utf8) + close + Array("\n".utf8))
        }
    }

    let fileName: String
    let layout: Layout
    let createEmptyFile: Bool

    public init(params: Params) throws(ParamError) {
        fileName = try params.requiredTemplate("fileName")
        let wrapField = params.string("wrapField")
        if params.string("format") == "lines" {
            if wrapField != nil { throw ParamError("wrapField", "applies only to format \"array\"") }
            layout = .lines
        } else {
            layout = .array(wrappedIn: wrapField)
        }
        createEmptyFile = params.bool("createEmptyFile") ?? false
    }

    public func run(_ step: StepRun) async throws {
        var emitter = OutputFileEmitter(fileName: try Macros.expand(fileName, step.job.macros), step: step)
        var writer = JSONWriter()
        while let packet = try await step.input.next() {
            switch packet {
            case .records(let batch):
                guard !batch.isEmpty else { continue }
                step.metrics.input.add(batch.count)
                step.metrics.timed {
                    for record in batch {
                        writer.bytes.append(contentsOf: emitter.isStarted || !writer.bytes.isEmpty ? layout.separator : layout.opening)
                        writer.write(record)
                    }
                }
                guard try await emitter.write(writer.bytes) else { return }
                writer.bytes.removeAll(keepingCapacity: true)
            case .sourceDone:
                continue
            case .fileStart, .bytes, .fileEnd:
                throw DropsyncError("UNEXPECTED_INPUT", "received file bytes on a records input", step: step.id)
            }
        }
        if emitter.isStarted {
            guard try await emitter.write(layout.closing) else { return }
        } else if createEmptyFile {
            guard try await emitter.write(layout.empty) else { return }
        }
        _ = try await emitter.finish()
    }
}
