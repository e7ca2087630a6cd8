/// A dotted path to a field: `profile.email` → `["profile", "email"]`.
///
/// A segment in single quotes is literal: `'a.b'` names one field called `a.b`, as in IdentitySync.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public let components: [String]

    public init(components: [String]) { self.components = components }

    /// Parses a dotted path; nil for an empty path, an empty segment or an unterminated quote.
    public init?(_ text: String) {
        var components: [String] = []
        var current = ""
        var inQuote = false
        var quotedSegment = false
        for character in text {
            if inQuote {
                if character == "'" { inQuote = false } else { current.append(character) }
            } else if character == "'" && current.isEmpty && !quotedSegment {
                inQuote = true
                quotedSegment = true
            } else if character == "." {
                guard !current.isEmpty else { return nil }
                components.append(current)
                current = ""
                quotedSegment = false
            } else {
                current.append(character)
            }
        }
        guard !inQuote, !current.isEmpty else { return nil }
        components.append(current)
        self.components = components
    }

    public var description: String {
        components.map { $0.contains(".") ? "'\($0)'" : $0 }.joined(separator: ".")
    }
}
