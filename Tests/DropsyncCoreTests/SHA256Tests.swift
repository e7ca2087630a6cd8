import DropsyncCore
import Foundation
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(input: String, digest: String) {
        var hash = SHA256()
        hash.update(Array(input.utf8))
        #expect(hash.finalize() == digest)
    }

    @Test("pieces of any size give the digest of the whole, as sha256sum computes it")
    func streaming() throws {
        let bytes = (0..<200_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        var whole = SHA256()
        whole.update(bytes)
        let expected = whole.finalize()
        for pieceSize in [1, 63, 64, 65, 4096] {
            var pieces = SHA256()
            for start in stride(from: 0, to: bytes.count, by: pieceSize) { pieces.update(bytes[start..<min(start + pieceSize, bytes.count)]) }
            #expect(pieces.finalize() == expected)
        }
        let path = FileManager.default.temporaryDirectory.path + "/sha256-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.hasPrefix(expected))
    }
}
