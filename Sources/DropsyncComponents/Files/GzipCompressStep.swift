import DropsyncCore
import Gzip

/// `file.compress.gzip`: compresses each file into one gzip member; `data.csv` passes on as
/// `data.csv.gz`. The output is deterministic (no name or time in the gzip header).
public struct GzipCompressStep: FileTransformer {
    public static let spec = ComponentSpec(
        type: "file.compress.gzip",
        summary: "Compresses files with gzip; the output name gets a .gz suffix.",
        input: .file, output: .file,
        params: [
            ParamSpec("level", .integer, default: 6, "Compression level, 1 (fastest) to 9 (smallest)."),
        ])

    let level: Int

    public init(params: Params) throws(ParamError) {
        level = params.int("level") ?? 6
        guard (1...9).contains(level) else { throw ParamError("level", "must be between 1 and 9, got \(level)") }
    }

    public func open(_ file: FileInfo, job: JobContext) throws -> (FileInfo, Filter) {
        (file.renamed(file.name + ".gz"), Filter(encoder: try GzipEncoder(level: level)))
    }

    /// One file's compression.
    public struct Filter: FileFilter {
        let encoder: GzipEncoder

        public mutating func process(_ chunk: [UInt8]) throws -> [UInt8] { try encoder.encode(chunk) }

        public mutating func finish() throws -> [UInt8] { try encoder.finish() }
    }
}
