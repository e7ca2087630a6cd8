/// A rule a param's value follows beyond its JSON type, declared in the spec so that `check`
/// reports every broken rule of every step in one pass, before any component is built.
///
/// On an array param every rule but `nonEmpty` applies to each item. Messages quote the value,
/// except a secret's.
public enum ParamConstraint: Sendable, Hashable, CustomStringConvertible {
    /// A number of at least this.
    case atLeast(Double)
    /// A number from the first to the second, both included.
    case between(Double, Double)
    /// A string or an array with something in it.
    case nonEmpty
    /// One ASCII character other than a line break; `"\t"` stands for tab.
    case singleCharacter
    /// The same, or the empty string (a quote character that may be switched off).
    case singleCharacterOrEmpty
    /// A field path: `profile.email`, or `'a.b'` for one field with a dot in its name.
    case fieldPath
    /// A string `pattern` (a regular expression) matches entirely; `format` says what it accepts.
    case matches(pattern: String, format: String)

    public var description: String {
        switch self {
        case .atLeast(let minimum): "at least \(Self.number(minimum))"
        case .between(let minimum, let maximum): "\(Self.number(minimum)) to \(Self.number(maximum))"
        case .nonEmpty: "not empty"
        case .singleCharacter: "one ASCII character"
        case .singleCharacterOrEmpty: "one ASCII character, or empty"
        case .fieldPath: "a field path"
        case .matches(_, let format): format
        }
    }

    /// How `value` (or each of its items) breaks the rule; a value of another type than the rule
    /// is about passes. `isSecret` keeps the value out of the messages.
    func problems(_ value: Value, isSecret: Bool) -> [String] {
        if case .array(let items) = value, self != .nonEmpty {
            return items.enumerated().flatMap { position, item in
                problems(item, isSecret: isSecret).map { "item \(position): \($0)" }
            }
        }
        guard let broken = brokenRule(value) else { return [] }
        return [isSecret ? broken : "\(broken), got \(value.quoted)"]
    }

    /// The rule `value` breaks, as "must …", or nil.
    private func brokenRule(_ value: Value) -> String? {
        switch (self, value) {
        case (.atLeast(let minimum), _):
            guard let number = value.doubleValue, number < minimum else { return nil }
            return minimum == 0 ? "must not be negative" : "must be at least \(Self.number(minimum))"
        case (.between(let minimum, let maximum), _):
            guard let number = value.doubleValue, !(minimum...maximum).contains(number) else { return nil }
            return "must be \(description)"
        case (.nonEmpty, .string(let text)):
            return text.isEmpty ? "must not be empty" : nil
        case (.nonEmpty, .array(let items)):
            return items.isEmpty ? "must not be empty" : nil
        case (.singleCharacter, .string(let text)):
            guard Self.singleByte(text) == nil else { return nil }
            return "must be one ASCII character other than a line break (\"\\t\" for tab)"
        case (.singleCharacterOrEmpty, .string(let text)):
            guard !text.isEmpty, Self.singleByte(text) == nil else { return nil }
            return "must be one ASCII character other than a line break, or empty"
        case (.fieldPath, .string(let text)):
            return FieldPath(text) == nil ? "must be a field path (no empty segment, every quote closed)" : nil
        case (.matches(let pattern, let format), .string(let text)):
            guard let regex = try? Regex(pattern), (try? regex.wholeMatch(in: text)) == nil else { return nil }
            return "must be \(format)"
        default:
            return nil
        }
    }

    /// The byte a one-character param stands for (`"\\t"` for tab); nil when it is not one ASCII
    /// character other than a line break.
    public static func singleByte(_ text: String) -> UInt8? {
        let decoded = text == "\\t" ? "\t" : text
        guard decoded.utf8.count == 1, let byte = decoded.utf8.first, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
            return nil
        }
        return byte
    }

    /// `65535` rather than `65535.0`.
    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
