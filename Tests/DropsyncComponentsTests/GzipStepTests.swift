import DropsyncComponents
import DropsyncCore
import DropsyncTesting
import Gzip
import Testing

private let sample = Array((0..<3000).map { "\($0);name\($0);user\($0)@example.com\n" }.joined().utf8)

private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let encoder = try GzipEncoder()
    return try encoder.encode(bytes) + encoder.finish()
}

@Suite("file.uncompress.gzip and file.compress.gzip")
struct GzipStepTests {
    @Test("uncompressing passes the content on under the name without .gz")
    func uncompress() async throws {
        let result = try await ComponentHarness.run(GzipUncompressStep.self, input: filePackets("data.csv.gz", try gzip(sample), chunkSize: 1000))
        #expect(result.files.map(\.info.name) == ["data.csv"])
        let contentMatches = result.files.first?.bytes == sample
        #expect(contentMatches)
        #expect(result.metrics.output.value == 1)
    }

    @Test("the uncompressed name drops .gz or .gzip only", arguments: [
        ("data.csv.gz", "data.csv"), ("DATA.CSV.GZ", "DATA.CSV"), ("archive.gzip", "archive"), ("plain.csv", "plain.csv"),
    ])
    func uncompressedName(incoming: String, expected: String) async throws {
        let result = try await ComponentHarness.run(GzipUncompressStep.self, input: filePackets(incoming, try gzip([1, 2, 3])))
        #expect(result.files.map(\.info.name) == [expected])
    }

    @Test("a chunk that expands a thousandfold comes out in bounded pieces")
    func boundedExpansion() async throws {
        let zeros = [UInt8](repeating: 0, count: 32 * 1024 * 1024)
        let compressed = try gzip(zeros)
        #expect(compressed.count < 64 * 1024)
        let result = try await ComponentHarness.run(GzipUncompressStep.self, input: filePackets("zeros.gz", compressed, chunkSize: compressed.count))
        let pieces = result.output.compactMap { packet -> Int? in if case .bytes(let piece) = packet { piece.count } else { nil } }
        #expect(pieces.reduce(0, +) == zeros.count)
        #expect(pieces.allSatisfy { $0 <= 320 * 1024 })
        #expect(pieces.count >= 100)
    }

    @Test("a multi-member file uncompresses to all members' content")
    func multiMember() async throws {
        let second = Array("one more line\n".utf8)
        let concatenated = try runSystemGzip([], input: sample) + (try gzip(second))
        let result = try await ComponentHarness.run(GzipUncompressStep.self, input: filePackets("data.csv.gz", concatenated, chunkSize: 777))
        let contentMatches = result.files.first?.bytes == sample + second
        #expect(contentMatches)
    }

    @Test("a truncated file fails the job with an error naming the file")
    func truncated() async throws {
        let cut = Array(try gzip(sample).dropLast(20))
        let error = await dropsyncError {
            _ = try await ComponentHarness.run(GzipUncompressStep.self, input: filePackets("data.csv.gz", cut))
        }
        #expect(error?.code == "GZIP_TRUNCATED")
        #expect(error?.file == "/in/data.csv.gz")
        #expect(error?.step == "step")
    }

    @Test("corrupt data fails the job with an error naming the file")
    func corrupt() async throws {
        let error = await dropsyncError {
            _ = try await ComponentHarness.run(GzipUncompressStep.self, input: filePackets("data.csv.gz", "not gzip at all"))
        }
        #expect(error?.code == "GZIP_CORRUPT")
        #expect(error?.file == "/in/data.csv.gz")
    }

    @Test("compressed output has a .gz name and decompresses with the system gzip", arguments: [1, 6, 9])
    func compress(level: Int) async throws {
        let result = try await ComponentHarness.run(
            GzipCompressStep.self, params: ["level": .int(Int64(level))], input: filePackets("export.csv", sample, chunkSize: 4096))
        #expect(result.files.map(\.info.name) == ["export.csv.gz"])
        let compressed = try #require(result.files.first).bytes
        #expect(compressed.count < sample.count / 2)
        let contentMatches = try runSystemGzip(["-d"], input: compressed) == sample
        #expect(contentMatches)
    }

    @Test("compressing then uncompressing gives back every file", arguments: [1, 100, 200_000])
    func roundTrip(chunkSize: Int) async throws {
        let input = filePackets("a.csv", sample, chunkSize: chunkSize) + filePackets("empty.csv", [])
        let compressed = try await ComponentHarness.run(GzipCompressStep.self, input: input)
        let packets = compressed.files.flatMap { filePackets($0.info.name, $0.bytes, chunkSize: chunkSize) }
        let result = try await ComponentHarness.run(GzipUncompressStep.self, input: packets)
        #expect(result.files.map(\.info.name) == ["a.csv", "empty.csv"])
        #expect(result.files.map(\.bytes.count) == [sample.count, 0])
        let contentMatches = result.files.map(\.bytes) == [sample, []]
        #expect(contentMatches)
    }

    @Test("a compression level outside 1…9 is a param error", arguments: [0, 10])
    func badLevel(level: Int) {
        #expect(throws: ParamError.self) {
            _ = try ComponentHarness.make(GzipCompressStep.self, ["level": .int(Int64(level))])
        }
    }
}
