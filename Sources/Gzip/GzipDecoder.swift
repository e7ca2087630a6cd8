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
    /// The chunk being decompressed, and how far zlib has taken it.
    private var input: [UInt8] = []
    private var consumed = 0
    /// zlib filled the last output piece and may hold more for the input it has taken.
    private var outputPending = false

    public init() throws(DropsyncError) {
        stream = try ZlibStream(.inflate(windowBits: 15 + 32))
    }

    /// Decompresses a whole chunk at once; returns all the output it produced (possibly none).
    public func decode(_ chunk: [UInt8]) throws -> [UInt8] {
        feed(chunk)
        var output: [UInt8] = []
        while let piece = try next(maximum: .max) { output += piece }
        return output
    }

    /// Takes the next chunk of the file; its output comes out of `next`. Call after `next` has
    /// returned nil for the previous chunk.
    public func feed(_ chunk: [UInt8]) {
        input = chunk
        consumed = 0
    }

    /// The next piece of output, about `maximum` bytes at most (zlib works in 64 KiB pieces), or nil
    /// once everything fed has been decompressed. Memory stays bounded however well the data
    /// compresses. Throws `DropsyncError` `GZIP_CORRUPT` when the data is not valid gzip.
    public func next(maximum: Int) throws -> [UInt8]? {
        var output: [UInt8] = []
        while (consumed < input.count || outputPending) && output.count < maximum {
            if consumed < input.count {
                sawInput = true
                if memberEnded {
                    stream.resetInflate()
                    memberEnded = false
                }
            }
            let (status, unconsumed, pending) = input.withUnsafeBufferPointer { buffer in
                stream.pump(UnsafeBufferPointer(rebasing: buffer[consumed...]), flush: Z_NO_FLUSH, into: &output, limit: maximum)
            }
            let progressed = input.count - unconsumed > consumed || pending || !output.isEmpty
            consumed = input.count - unconsumed
            outputPending = pending
            switch status {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                // No progress with input left means zlib is stuck; with none left, it is done.
                guard progressed || consumed == input.count else {
                    throw DropsyncError("GZIP_FAILED", "zlib stopped making progress")
                }
            case Z_MEM_ERROR:
                throw DropsyncError("GZIP_FAILED", "zlib ran out of memory")
            default:
                throw DropsyncError("GZIP_CORRUPT", "not valid gzip data: \(stream.message(for: status))")
            }
        }
        if output.isEmpty {
            input = []
            consumed = 0
            return nil
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
