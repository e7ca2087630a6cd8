import DropsyncCore
import Foundation
import Gzip
import Testing

/// Bytes that compress but are not trivial: text lines with counters.
private func sampleText(lines: Int) -> [UInt8] {
    Array((0..<lines).map { "line \($0): the quick brown fox \($0 * 7919 % 1000)\n" }.joined().utf8)
}

private func compress(_ data: [UInt8], level: Int = 6, chunkSize: Int = 100_000) throws -> [UInt8] {
    let encoder = try GzipEncoder(level: level)
    var output: [UInt8] = []
    for start in stride(from: 0, to: data.count, by: chunkSize) {
        output += try encoder.encode(Array(data[start..<min(start + chunkSize, data.count)]))
    }
    return output + (try encoder.finish())
}

private func decompress(_ data: [UInt8], chunkSize: Int = 100_000) throws -> [UInt8] {
    let decoder = try GzipDecoder()
    var output: [UInt8] = []
    for start in stride(from: 0, to: data.count, by: chunkSize) {
        output += try decoder.decode(Array(data[start..<min(start + chunkSize, data.count)]))
    }
    try decoder.finish()
    return output
}

/// Runs `/usr/bin/gzip` with `arguments`, feeding `input` on stdin; returns stdout.
private func systemGzip(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputFile = directory.appendingPathComponent("input")
    try Data(input).write(to: inputFile)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
    process.arguments = arguments + ["-c", inputFile.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return Array(output)
}

private func errorCode(_ work: () throws -> Void) -> String? {
    do {
        try work()
        return nil
    } catch let error as DropsyncError {
        return error.code
    } catch {
        return "not a DropsyncError: \(error)"
    }
}

@Suite("Gzip")
struct GzipTests {
    @Test("next hands out a fed chunk's output in pieces of at most about the maximum asked")
    func boundedPieces() throws {
        let original = sampleText(lines: 20_000)
        let decoder = try GzipDecoder()
        decoder.feed(try compress(original, level: 6))
        var pieces: [[UInt8]] = []
        while let piece = try decoder.next(maximum: 100_000) { pieces.append(piece) }
        try decoder.finish()
        #expect(pieces.joined().elementsEqual(original))
        #expect(pieces.count > 1)
        #expect(pieces.allSatisfy { $0.count < 100_000 + 64 * 1024 })
    }

    @Test("compressed data decompresses to the original", arguments: [1, 6, 9])
    func roundTrip(level: Int) throws {
        let original = sampleText(lines: 20_000)
        let compressed = try compress(original, level: level)
        #expect(compressed.count < original.count / 3)
        #expect(try decompress(compressed) == original)
    }

    @Test("decoding in one-byte chunks gives the same output")
    func oneByteChunks() throws {
        let original = sampleText(lines: 3000)
        let compressed = try compress(original)
        #expect(try decompress(compressed, chunkSize: 1) == original)
    }

    @Test("encoding in one-byte chunks gives valid gzip")
    func oneByteEncodeChunks() throws {
        let original = sampleText(lines: 50)
        #expect(try decompress(try compress(original, chunkSize: 1)) == original)
    }

    @Test("output of the system gzip decodes")
    func systemGzipDecodes() throws {
        let original = sampleText(lines: 5000)
        #expect(try decompress(try systemGzip([], input: original)) == original)
    }

    @Test("our output decodes with the system gzip")
    func systemGzipReadsOurs() throws {
        let original = sampleText(lines: 5000)
        #expect(try systemGzip(["-d"], input: try compress(original)) == original)
    }

    @Test("a multi-member file decodes to the members' contents concatenated", arguments: [1, 7, 100_000])
    func multiMember(chunkSize: Int) throws {
        let first = sampleText(lines: 300)
        let second = Array("second member\n".utf8)
        let concatenated = try systemGzip([], input: first) + (try compress(second))
        #expect(try decompress(concatenated, chunkSize: chunkSize) == first + second)
    }

    @Test("empty content round-trips through a valid gzip member")
    func emptyContent() throws {
        let compressed = try compress([])
        #expect(!compressed.isEmpty)
        #expect(try decompress(compressed).isEmpty)
        #expect(try systemGzip(["-d"], input: compressed).isEmpty)
    }

    @Test("zero bytes of input are not gzip data")
    func emptyInput() {
        #expect(errorCode { _ = try decompress([]) } == "GZIP_TRUNCATED")
    }

    @Test("data cut short is reported as truncated", arguments: [10, 100, 1000])
    func truncated(keptBytes: Int) throws {
        let compressed = try compress(sampleText(lines: 2000))
        #expect(errorCode { _ = try decompress(Array(compressed.prefix(keptBytes))) } == "GZIP_TRUNCATED")
    }

    @Test("a member missing only part of its trailer is truncated")
    func truncatedTrailer() throws {
        let compressed = try compress(sampleText(lines: 20))
        #expect(errorCode { _ = try decompress(Array(compressed.dropLast(3))) } == "GZIP_TRUNCATED")
    }

    @Test("corrupt data is reported with zlib's message", arguments: [
        ("bad magic", 1),
        ("bad checksum", -8),
    ])
    func corrupt(_ label: String, offset: Int) throws {
        var compressed = try compress(sampleText(lines: 100))
        let position = offset >= 0 ? offset : compressed.count + offset
        compressed[position] ^= 0xFF
        do {
            _ = try decompress(compressed)
            Issue.record("\(label): expected an error")
        } catch let error as DropsyncError {
            #expect(error.code == "GZIP_CORRUPT")
            #expect(error.message.contains("incorrect"))
        }
    }

    @Test("garbage after a member is an error", arguments: [
        Array("trailing text".utf8),
        [UInt8](repeating: 0, count: 16),
    ])
    func garbageAfterMember(garbage: [UInt8]) throws {
        let compressed = try compress(sampleText(lines: 10)) + garbage
        #expect(errorCode { _ = try decompress(compressed) } != nil)
    }

    @Test("a level outside 0…9 is refused")
    func badLevel() {
        #expect(errorCode { _ = try GzipEncoder(level: 12) } == "GZIP_FAILED")
    }
}
