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
            ParamSpec("level", .integer, default: 6, constraints: [.between(1, 9)], "Compression level, 1 (fastest) to 9 (smallest)."),
        ])

    let level: Int

    public init(params: Params) throws(ParamError) {
        level = params.int("level") ?? 6
    }

    public func open(_ file: FileInfo, job: JobContext) throws -> (FileInfo, Filter) {
        (file.renamed(file.name + ".gz"), Filter(encoder: try GzipEncoder(level: level)))
    }

    /// One file's compression (compressed output is never much larger than its input).
    public struct Filter: FileFilter {
        let encoder: GzipEncoder
        var ready: [UInt8] = []

        public mutating func feed(_ chunk: [UInt8]) throws { ready += try encoder.encode(chunk) }

        public mutating func next(maximum: Int) throws -> [UInt8]? {
            guard !ready.isEmpty else { return nil }
            defer { ready = [] }
            return ready
        }

        public mutating func finish() throws { ready += try encoder.finish() }
    }
}
