import DropsyncCore
import Foundation

/// The packets of one file as a reader sends them: `fileStart`, `bytes` in `chunkSize` pieces, `fileEnd`.
func filePackets(_ name: String, _ bytes: [UInt8], chunkSize: Int = 64 * 1024, endsFile: Bool = true) -> [Packet] {
    var packets: [Packet] = [.fileStart(FileInfo(name: name, path: "/in/" + name, location: "test:"))]
    for start in stride(from: 0, to: bytes.count, by: max(1, chunkSize)) {
        packets.append(.bytes(Array(bytes[start..<min(start + chunkSize, bytes.count)])))
    }
    if endsFile { packets.append(.fileEnd) }
    return packets
}

func filePackets(_ name: String, _ text: String, chunkSize: Int = 64 * 1024) -> [Packet] {
    filePackets(name, Array(text.utf8), chunkSize: chunkSize)
}

/// Runs `/usr/bin/gzip` with `arguments` on `input` (through a temporary file); returns its stdout.
func runSystemGzip(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
    let inputPath = FileManager.default.temporaryDirectory.path + "/gzip-input-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: inputPath, contents: Data(input))
    defer { try? FileManager.default.removeItem(atPath: inputPath) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
    process.arguments = arguments + ["-c", inputPath]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
    return Array(output)
}

/// Runs `work` and returns the `DropsyncError` it threw (nil when it threw nothing else or nothing).
func dropsyncError(_ work: () async throws -> Void) async -> DropsyncError? {
    do {
        try await work()
    } catch let error as DropsyncError {
        return error
    } catch {
        return nil
    }
    return nil
}
