import Foundation

/// A fresh directory for one test, removed when released. (DropsyncTesting has the full-featured
/// `TemporaryDirectory`; this target depends on DropsyncCore only.)
final class ScratchDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.path + "/dropsync-core-test-" + UUID().uuidString.prefix(8)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` in the directory and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let full = path + "/" + name
        _ = FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
        return full
    }
}
