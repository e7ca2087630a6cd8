import DropsyncCore
import Gzip

/// `file.uncompress.gzip`: decompresses each file; `data.csv.gz` passes on as `data.csv`.
///
/// Multi-member files (concatenated gzip streams) decompress to their members' contents joined.
/// A truncated file (`GZIP_TRUNCATED`) or corrupt data (`GZIP_CORRUPT`) fails the job, naming the file.
public struct GzipUncompressStep: FileTransformer {
    public static let spec = ComponentSpec(
        type: "file.uncompress.gzip", aliases: ["file.decompress.gzip"],
        summary: "Decompresses gzip files; the output name drops a .gz or .gzip suffix.",
        input: .file, output: .file, params: [])

    public init(params: Params) throws(ParamError) {}

    public func open(_ file: FileInfo, job: JobContext) throws -> (FileInfo, Filter) {
        (file.renamed(Self.uncompressedName(file.name)), Filter(decoder: try GzipDecoder()))
    }

    /// `name` without a `.gz` or `.gzip` suffix (any case); unchanged when it has neither.
    static func uncompressedName(_ name: String) -> String { FileNames.removingSuffix(name, oneOf: [".gz", ".gzip"]) }

    /// One file's decompression.
    public struct Filter: FileFilter {
        let decoder: GzipDecoder

        public mutating func feed(_ chunk: [UInt8]) throws { decoder.feed(chunk) }

        public mutating func next(maximum: Int) throws -> [UInt8]? { try decoder.next(maximum: maximum) }

        public mutating func finish() throws { try decoder.finish() }
    }
}
