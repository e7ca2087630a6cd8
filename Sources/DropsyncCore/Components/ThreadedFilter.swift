import Foundation

/// A `FileFilter` around a blocking call that pulls its input and pushes its output through
/// callbacks (librnp's `rnp_op_verify_execute`, …), run on a thread of its own.
///
/// The work sees a `Pipe`: `read` blocks until the step feeds the next chunk (0 at the end of the
/// file), `write` blocks while a piece of output waits to be taken. So at most one input chunk and
/// one output piece are held, however large the file. `next` returns nil exactly when the work
/// waits for input it has not been given, so the pull loop of `FileTransformer` drives it like any
/// other filter. Dropping the filter early (a failed or cancelled job) makes `read` and `write`
/// fail, so the work ends instead of waiting for ever.
public struct ThreadedFilter: FileFilter {
    private let owner: Owner

    /// Starts `work` on a new thread named `name`; an error it throws comes out of `next`.
    public init(name: String, work: @escaping @Sendable (Pipe) throws -> Void) {
        let pipe = Pipe()
        owner = Owner(pipe)
        let thread = Thread {
            do {
                try work(pipe)
                pipe.end(nil)
            } catch {
                pipe.end(error)
            }
        }
        thread.name = name
        thread.start()
    }

    public mutating func feed(_ chunk: [UInt8]) throws { try owner.pipe.feed(chunk) }

    public mutating func next(maximum: Int) throws -> [UInt8]? { try owner.pipe.next(maximum: maximum) }

    public mutating func finish() throws { owner.pipe.finishInput() }

    /// Abandons the pipe when the filter goes away, so a work still running ends.
    private final class Owner: Sendable {
        let pipe: Pipe
        init(_ pipe: Pipe) { self.pipe = pipe }
        deinit { pipe.abandon() }
    }

    /// The meeting point of the step (feeding, taking output) and the work's thread.
    public final class Pipe: @unchecked Sendable {
        private let condition = NSCondition()
        // All below is guarded by `condition`.
        private var input: [UInt8] = []
        private var inputOffset = 0
        private var inputEnded = false
        private var workWaitsForInput = false
        private var output: [UInt8] = []
        private var outputOffset = 0
        private var ended = false
        private var failure: (any Error)?
        private var abandoned = false

        /// Output held before `write` waits for the step to take it.
        static let outputLimit = 256 * 1024

        // MARK: The work's side

        /// Copies up to `buffer.count` bytes of input into `buffer`; 0 at the end of the file, nil
        /// when the step has gone away.
        public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while inputOffset == input.count && !inputEnded && !abandoned {
                workWaitsForInput = true
                condition.broadcast()
                condition.wait()
            }
            workWaitsForInput = false
            if abandoned { return nil }
            let count = min(buffer.count, input.count - inputOffset)
            guard count > 0 else { return 0 }
            input.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + inputOffset, byteCount: count)
            }
            inputOffset += count
            return count
        }

        /// Hands output to the step, waiting while too much is held; false when the step has gone away.
        public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while output.count - outputOffset >= Self.outputLimit && !abandoned { condition.wait() }
            if abandoned { return false }
            if outputOffset == output.count {
                output.removeAll(keepingCapacity: true)
                outputOffset = 0
            }
            output.append(contentsOf: bytes)
            condition.broadcast()
            return true
        }

        func end(_ error: (any Error)?) {
            condition.lock()
            ended = true
            failure = error
            condition.broadcast()
            condition.unlock()
        }

        // MARK: The step's side

        func feed(_ chunk: [UInt8]) throws {
            condition.lock()
            defer { condition.unlock() }
            while inputOffset < input.count && !ended { condition.wait() }
            if ended, let failure { throw failure }
            input = chunk
            inputOffset = 0
            condition.broadcast()
        }

        func finishInput() {
            condition.lock()
            inputEnded = true
            condition.broadcast()
            condition.unlock()
        }

        /// The next piece of output; nil once the work has used all input given so far and
        /// waits for more, or has ended. Throws the work's error.
        func next(maximum: Int) throws -> [UInt8]? {
            condition.lock()
            defer { condition.unlock() }
            while true {
                if outputOffset < output.count {
                    let end = min(output.count, outputOffset + maximum)
                    let piece = Array(output[outputOffset..<end])
                    outputOffset = end
                    condition.broadcast()
                    return piece
                }
                if ended {
                    if let failure { throw failure }
                    return nil
                }
                if workWaitsForInput && inputOffset == input.count && !inputEnded { return nil }
                condition.wait()
            }
        }

        func abandon() {
            condition.lock()
            abandoned = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
