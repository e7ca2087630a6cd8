import Foundation

/// A `FileFilter` around a blocking call that pulls its input and pushes its output through
/// callbacks (librnp's `rnp_op_verify_execute`, …), run on a thread of its own.
///
/// The work sees a `Pipe`: `read` blocks until the step has fed a chunk (0 at the end of the file),
/// `write` blocks while enough output waits to be taken. So a few input chunks and half a MiB of
/// output are held at most, however large the file. `next` returns nil when the work has room for
/// more input, so the pull loop of `FileTransformer` drives it like any other filter, and the work
/// keeps busy while the step fetches the next chunk. Dropping the filter early (a failed or cancelled job) makes `read` and `write`
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
        /// Chunks fed and not yet read, the first one read up to `inputOffset`.
        private var input: [[UInt8]] = []
        private var inputOffset = 0
        private var inputEnded = false
        private var workWaitsForInput = false
        private var output: [UInt8] = []
        private var outputOffset = 0
        private var ended = false
        private var failure: (any Error)?
        private var abandoned = false

        /// Chunks fed ahead of the work, so it never waits for the step between two chunks.
        static let inputChunks = 4
        /// Output held before `write` waits for the step to take it.
        static let outputLimit = 512 * 1024
        /// Output gathered before the step is woken to take it (unless the work waits for input
        /// or has ended): fewer, larger hand-overs between the two threads.
        static let outputPiece = 128 * 1024

        // MARK: The work's side

        /// Copies up to `buffer.count` bytes of input into `buffer`; 0 at the end of the file, nil
        /// when the step has gone away.
        public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while input.isEmpty && !inputEnded && !abandoned {
                workWaitsForInput = true
                condition.broadcast()
                condition.wait()
            }
            workWaitsForInput = false
            if abandoned { return nil }
            guard let chunk = input.first else { return 0 }
            let count = min(buffer.count, chunk.count - inputOffset)
            chunk.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + inputOffset, byteCount: count)
            }
            inputOffset += count
            if inputOffset == chunk.count {
                input.removeFirst()
                inputOffset = 0
                condition.broadcast()
            }
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
            if output.count - outputOffset >= Self.outputPiece { condition.broadcast() }
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

        /// Queues a chunk for the work; `next` returned nil before, so there is room.
        func feed(_ chunk: [UInt8]) throws {
            condition.lock()
            defer { condition.unlock() }
            if ended, let failure { throw failure }
            guard !chunk.isEmpty, !ended else { return }
            input.append(chunk)
            condition.broadcast()
        }

        func finishInput() {
            condition.lock()
            inputEnded = true
            condition.broadcast()
            condition.unlock()
        }

        /// The next piece of output, or nil when the step should feed more input first (the work
        /// has room for another chunk and little output is ready), or when the work has ended.
        /// Throws the work's error. Waits on the step's own thread (file steps run on threads of
        /// their own), never long: the work either produces, asks for input or ends.
        func next(maximum: Int) throws -> [UInt8]? {
            condition.lock()
            defer { condition.unlock() }
            while true {
                let pending = output.count - outputOffset
                let wantsInput = !inputEnded && input.count < Self.inputChunks
                if pending > 0 && (pending >= min(maximum, Self.outputPiece) || ended || (wantsInput && workWaitsForInput)) {
                    let end = min(output.count, outputOffset + maximum)
                    let piece = Array(output[outputOffset..<end])
                    outputOffset = end
                    // Output the work keeps adding (one chunk expanding a lot) must not pile up
                    // behind what was taken.
                    if outputOffset >= Self.outputPiece {
                        output.removeFirst(outputOffset)
                        outputOffset = 0
                    }
                    condition.broadcast()
                    return piece
                }
                if ended {
                    if let failure { throw failure }
                    return nil
                }
                if wantsInput { return nil }
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
