import CZlib
import DropsyncCore

/// Compresses data chunk by chunk into one gzip member (zlib `deflate` with a gzip header and
/// trailer; the header carries no name and no time, so equal input gives equal output).
///
/// Call `encode` for each chunk, then `finish` once for the end of the stream. Use one encoder per
/// file, from one task at a time.
public final class GzipEncoder {
    private let stream: ZlibStream

    /// `level` is zlib's: 1 (fastest) … 9 (smallest); 0 stores without compressing.
    /// Throws `DropsyncError` `GZIP_FAILED` for a level zlib refuses.
    public init(level: Int = 6) throws(DropsyncError) {
        guard (0...9).contains(level) else { throw DropsyncError("GZIP_FAILED", "compression level \(level) is not 0…9") }
        stream = try ZlibStream(.deflate(level: Int32(level), windowBits: 15 + 16))
    }

    /// Compresses the next chunk; returns the compressed bytes ready so far (often none).
    public func encode(_ chunk: [UInt8]) throws -> [UInt8] {
        try run(chunk, flush: Z_NO_FLUSH, expecting: [Z_OK, Z_BUF_ERROR])
    }

    /// Ends the stream: returns the remaining compressed bytes and the gzip trailer.
    public func finish() throws -> [UInt8] {
        try run([], flush: Z_FINISH, expecting: [Z_STREAM_END])
    }

    private func run(_ chunk: [UInt8], flush: Int32, expecting expected: Set<Int32>) throws -> [UInt8] {
        var output: [UInt8] = []
        let (status, _, _) = chunk.withUnsafeBufferPointer { stream.pump($0, flush: flush, into: &output) }
        guard expected.contains(status) else {
            throw DropsyncError("GZIP_FAILED", "compression failed: \(stream.message(for: status))")
        }
        return output
    }
}

@available(*, unavailable)
extension GzipEncoder: Sendable {}
