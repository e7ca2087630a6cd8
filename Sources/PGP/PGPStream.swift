import CRNP
import DropsyncCore

/// librnp input and output over a `ThreadedFilter.Pipe`, for one operation on the work's thread.
final class PGPStream {
    let pipe: ThreadedFilter.Pipe
    private(set) var bytesRead = 0
    private(set) var bytesWritten = 0
    /// librnp asked for more input after the last byte.
    private(set) var reachedEnd = false
    private(set) var framing = PacketFraming()
    /// The step went away: librnp's failure is then no news.
    private(set) var abandoned = false
    private(set) var input: rnp_input_t?
    private(set) var output: rnp_output_t?

    init(_ pipe: ThreadedFilter.Pipe) throws(DropsyncError) {
        self.pipe = pipe
        let context = Unmanaged.passUnretained(self).toOpaque()
        try RNP.check(rnp_input_from_callback(&input, { context, buffer, length, read in
            let stream = Unmanaged<PGPStream>.fromOpaque(context!).takeUnretainedValue()
            guard let count = stream.pipe.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: length)) else {
                stream.abandoned = true
                return false
            }
            stream.bytesRead += count
            stream.framing.consume(UnsafeRawBufferPointer(start: buffer, count: count))
            if count == 0 && length > 0 { stream.reachedEnd = true }
            read?.pointee = count
            return true
        }, nil, context), "PGP_FAILED", "librnp input could not be set up")
        try RNP.check(rnp_output_to_callback(&output, { context, buffer, length in
            let stream = Unmanaged<PGPStream>.fromOpaque(context!).takeUnretainedValue()
            guard stream.pipe.write(UnsafeRawBufferPointer(start: buffer, count: length)) else {
                stream.abandoned = true
                return false
            }
            stream.bytesWritten += length
            return true
        }, nil, context), "PGP_FAILED", "librnp output could not be set up")
    }

    deinit {
        rnp_input_destroy(input)
        rnp_output_destroy(output)
    }

    /// Ends the operation's output (librnp flushes armor trailers and the like here).
    func finishOutput() throws(DropsyncError) {
        try RNP.check(rnp_output_finish(output), "PGP_FAILED", "the output could not be completed")
    }
}
