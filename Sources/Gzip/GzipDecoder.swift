import CZlib
import DropsyncCore

/// Decompresses gzip data chunk by chunk (zlib `inflate`, gzip or zlib header detected).
///
/// Handles multi-member files (`cat a.gz b.gz`): after one member ends, the next begins.
/// Anything after a member that is not another member is an error, as is data that ends inside a
/// member. Errors are `DropsyncError`s: `GZIP_CORRUPT` (with zlib's message), `GZIP_TRUNCATED`,
/// `GZIP_FAILED` (zlib itself failed). Use one decoder per file, from one task at a time.
public final class GzipDecoder {
    private let stream: ZlibStream
    private var memberEnded = false
    private var sawInput = false

    public init() throws(DropsyncError) {
        stream = try ZlibStream(.inflate(windowBits: 15 + 32))
    }

    /// Decompresses the next chunk of the file; returns the output it produced (possibly none).
    /// Throws `DropsyncError` `GZIP_CORRUPT` when the data is not valid gzip.
    public func decode(_ chunk: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        try chunk.withUnsafeBufferPointer { buffer in
            var rest = buffer[...]
            while !rest.isEmpty {
                sawInput = true
                if memberEnded {
                    stream.resetInflate()
                    memberEnded = false
                }
                let (status, unconsumed) = stream.pump(UnsafeBufferPointer(rebasing: rest), flush: Z_NO_FLUSH, into: &output)
                switch status {
                case Z_STREAM_END:
                    memberEnded = true
                case Z_OK, Z_BUF_ERROR:
                    // The pump returns these only once zlib has taken all the input.
                    guard unconsumed == 0 else { throw DropsyncError("GZIP_FAILED", "zlib stopped making progress") }
                case Z_MEM_ERROR:
                    throw DropsyncError("GZIP_FAILED", "zlib ran out of memory")
                default:
                    throw DropsyncError("GZIP_CORRUPT", "not valid gzip data: \(stream.message(for: status))")
                }
                rest = rest.suffix(unconsumed)
            }
        }
        return output
    }

    /// Checks that the data ended at the end of a gzip member. Throws `DropsyncError`
    /// `GZIP_TRUNCATED` when it did not (or when there was no data at all).
    public func finish() throws {
        guard sawInput else { throw DropsyncError("GZIP_TRUNCATED", "empty input is not gzip data") }
        guard memberEnded else {
            throw DropsyncError("GZIP_TRUNCATED", "gzip data ends in the middle of a member (truncated file)")
        }
    }
}

@available(*, unavailable)
extension GzipDecoder: Sendable {}
