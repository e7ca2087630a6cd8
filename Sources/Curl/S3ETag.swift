import Foundation

/// S3's entity tags, which come quoted (`"5d41402a…"`, `"…-3"` for a multipart object).
enum S3ETag {
    /// The tag without its quotes (nil for an empty one).
    static func unquoted(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .init(charactersIn: "\" \r\n"))
        return trimmed.isEmpty ? nil : trimmed
    }
}
