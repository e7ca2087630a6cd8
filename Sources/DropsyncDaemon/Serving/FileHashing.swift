import DropsyncCore
import Foundation

/// Content hashes of drop-zone files, read off the cooperative pool (the reads block).
enum FileHashing {
    /// The file's SHA-256 as hex; nil when it cannot be read.
    static func sha256(of path: String) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: hash(path))
            }
        }
    }

    private static func hash(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hash = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(chunk) }
        } catch {
            return nil  // a hash of part of the file would make a false duplicate
        }
        return hash.finalize()
    }
}
