/// Rules about file names that every reader and writer of drop zones applies the same way.
public enum FileNames {
    /// `name` without the first of `suffixes` it ends with (any case); unchanged when it ends with
    /// none, or is nothing but the suffix.
    public static func removingSuffix(_ name: String, oneOf suffixes: [String]) -> String {
        let lowercased = name.lowercased()
        for suffix in suffixes where lowercased.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// Whether `name` is one `checkSafe` accepts.
    public static func isSafe(_ name: String) -> Bool { (try? checkSafe(name)) != nil }

    /// Refuses a name that could escape the target directory or confuse a terminal or a Windows
    /// partner: empty, `.`, or containing `/`, `\`, `..`, NUL or another control character. Throws
    /// `UNSAFE_FILE_NAME`.
    public static func checkSafe(_ name: String, step: String? = nil) throws(DropsyncError) {
        let hasControlCharacter = name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        guard !name.isEmpty, name != ".", !name.contains("/"), !name.contains("\\"), !name.contains(".."), !hasControlCharacter else {
            let shown = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
            throw DropsyncError("UNSAFE_FILE_NAME", "refusing unsafe file name \"\(shown)\"", step: step)
        }
    }
}
