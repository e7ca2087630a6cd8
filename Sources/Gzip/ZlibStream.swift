import CZlib
import DropsyncCore

/// The one owner of a zlib `z_stream`: allocated on the heap (zlib keeps pointers into it, so it
/// must not move), initialised for inflate or deflate, ended and freed in `deinit`.
///
/// Not thread-safe and not `Sendable`: one decoder or encoder uses it from one task at a time.
final class ZlibStream {
    enum Direction {
        /// `inflateInit2` with the given window bits (15 + 32: gzip or zlib header, detected).
        case inflate(windowBits: Int32)
        /// `deflateInit2` with the given level and window bits (15 + 16: gzip header and trailer).
        case deflate(level: Int32, windowBits: Int32)
    }

    /// How much output one zlib call may produce before the pump collects it.
    static let outputPieceSize = 64 * 1024

    private let direction: Direction
    private let stream: UnsafeMutablePointer<z_stream>
    private let outputPiece: UnsafeMutablePointer<UInt8>

    init(_ direction: Direction) throws(DropsyncError) {
        self.direction = direction
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        outputPiece = .allocate(capacity: Self.outputPieceSize)
        let status: Int32
        switch direction {
        case .inflate(let windowBits):
            status = dropsync_inflateInit2(stream, windowBits)
        case .deflate(let level, let windowBits):
            status = dropsync_deflateInit2(stream, level, windowBits, 8)
        }
        guard status == Z_OK else {
            throw DropsyncError("GZIP_FAILED", "zlib could not start: \(Self.describe(status))")
        }
    }

    deinit {
        // Ending a stream whose init failed returns Z_STREAM_ERROR and does nothing else.
        switch direction {
        case .inflate: inflateEnd(stream)
        case .deflate: deflateEnd(stream)
        }
        stream.deinitialize(count: 1)
        stream.deallocate()
        outputPiece.deallocate()
    }

    /// zlib's message about the last error (`z_stream.msg`), or a description of `status`.
    func message(for status: Int32) -> String {
        stream.pointee.msg.map { String(cString: $0) } ?? Self.describe(status)
    }

    /// `inflateReset`: ready for the next gzip member with the same settings.
    func resetInflate() { inflateReset(stream) }

    /// Calls `inflate` (or `deflate`) with `flush` over `input` until zlib has consumed it all and
    /// has no more output to give, or until `output` holds `limit` bytes or more, appending the
    /// output to `output` one piece at a time.
    ///
    /// Stops early when zlib returns anything but `Z_OK`; returns that status, how many input bytes
    /// zlib left unconsumed (non-zero after `Z_STREAM_END` in the middle of the input, or when the
    /// limit was reached), and whether zlib may hold more output for this input (`outputPending`:
    /// call again, with the unconsumed input or none, to get it).
    func pump(
        _ input: UnsafeBufferPointer<UInt8>, flush: Int32, into output: inout [UInt8], limit: Int = .max
    ) -> (status: Int32, unconsumed: Int, outputPending: Bool) {
        precondition(input.count <= Int(UInt32.max), "zlib takes at most 4 GiB per call")
        stream.pointee.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
        stream.pointee.avail_in = UInt32(input.count)
        var status: Int32
        repeat {
            stream.pointee.next_out = outputPiece
            stream.pointee.avail_out = UInt32(Self.outputPieceSize)
            switch direction {
            case .inflate: status = inflate(stream, flush)
            case .deflate: status = deflate(stream, flush)
            }
            let produced = Self.outputPieceSize - Int(stream.pointee.avail_out)
            output.append(contentsOf: UnsafeBufferPointer(start: outputPiece, count: produced))
        } while status == Z_OK && (stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0) && output.count < limit
        let unconsumed = Int(stream.pointee.avail_in)
        let outputPending = status == Z_OK && stream.pointee.avail_out == 0
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        return (status, unconsumed, outputPending)
    }

    private static func describe(_ status: Int32) -> String {
        switch status {
        case Z_MEM_ERROR: "out of memory"
        case Z_STREAM_ERROR: "invalid parameters"
        case Z_VERSION_ERROR: "incompatible zlib version"
        case Z_DATA_ERROR: "invalid or incomplete deflate data"
        case Z_NEED_DICT: "a preset dictionary is needed"
        case Z_BUF_ERROR: "no progress possible"
        default: "zlib status \(status)"
        }
    }
}

@available(*, unavailable)
extension ZlibStream: Sendable {}
