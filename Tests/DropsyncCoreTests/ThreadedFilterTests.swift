import DropsyncCore
import Foundation
import Synchronization
import Testing

/// A blocking "C library" call for the filter's thread: reads its input through the pipe in
/// small pieces and writes `factor` copies of each byte, like a decompressor would.
private func expanding(factor: Int, readSize: Int = 1000, failAfter: Int? = nil) -> @Sendable (ThreadedFilter.Pipe) throws -> Void {
    { pipe in
        var buffer = [UInt8](repeating: 0, count: readSize)
        var total = 0
        while true {
            guard let count = buffer.withUnsafeMutableBytes({ pipe.read(into: $0) }) else { return }
            if count == 0 { return }
            total += count
            if let failAfter, total >= failAfter { throw DropsyncError("TEST_FAILURE", "failed after \(total) bytes") }
            var output: [UInt8] = []
            for byte in buffer[..<count] { output += [UInt8](repeating: byte, count: factor) }
            guard output.withUnsafeBytes({ pipe.write($0) }) else { return }
        }
    }
}

/// Runs a filter as `FileTransformer.run` does: feed a chunk, take output until nil; finish; take
/// the rest. Returns the output and the largest piece.
private func drive(_ filter: inout ThreadedFilter, _ chunks: [[UInt8]]) throws -> (output: [UInt8], largestPiece: Int) {
    var output: [UInt8] = []
    var largest = 0
    func drain() throws {
        while let piece = try filter.next(maximum: 256 * 1024) {
            largest = max(largest, piece.count)
            output += piece
        }
    }
    for chunk in chunks {
        try filter.feed(chunk)
        try drain()
    }
    try filter.finish()
    try drain()
    return (output, largest)
}

@Suite("ThreadedFilter")
struct ThreadedFilterTests {
    @Test("every byte comes out, in order, in bounded pieces", arguments: [1, 7, 64 * 1024])
    func passesEverything(chunkSize: Int) throws {
        let input = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let chunks = stride(from: 0, to: input.count, by: chunkSize).map { Array(input[$0..<min($0 + chunkSize, input.count)]) }
        var filter = ThreadedFilter(name: "test", work: expanding(factor: 1))
        let result = try drive(&filter, chunks)
        #expect(result.output == input)
        #expect(result.largestPiece <= 256 * 1024)
    }

    @Test("one chunk that expands 1000-fold comes out whole, in bounded pieces")
    func expansion() throws {
        let input = (0..<5_000).map { UInt8(truncatingIfNeeded: $0) }
        var filter = ThreadedFilter(name: "test", work: expanding(factor: 1000))
        let result = try drive(&filter, [input])
        #expect(result.output.count == 5_000_000)
        #expect(result.output.prefix(2000) == ArraySlice([UInt8](repeating: 0, count: 1000) + [UInt8](repeating: 1, count: 1000)))
        #expect(result.largestPiece <= 256 * 1024)
    }

    @Test("the work's error comes out of the filter, and nothing after it")
    func failure() throws {
        let input = [UInt8](repeating: 1, count: 10_000)
        var filter = ThreadedFilter(name: "test", work: expanding(factor: 1, failAfter: 5_000))
        #expect { try drive(&filter, [input]) } throws: { ($0 as? DropsyncError)?.code == "TEST_FAILURE" }
    }

    @Test("a filter dropped mid-file makes the blocked work end instead of waiting for ever")
    func abandoned() throws {
        let ended = Mutex(false)
        let work: @Sendable (ThreadedFilter.Pipe) throws -> Void = { pipe in
            try expanding(factor: 1000)(pipe)
            ended.withLock { $0 = true }
        }
        do {
            var filter = ThreadedFilter(name: "test", work: work)
            try filter.feed([UInt8](repeating: 2, count: 10_000))
            _ = try filter.next(maximum: 1024)  // the work now waits for room to write
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !ended.withLock({ $0 }) && ContinuousClock.now < deadline { usleep(1000) }
        #expect(ended.withLock { $0 })
    }
}
