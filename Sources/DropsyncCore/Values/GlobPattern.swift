/// A shell-style file name pattern: `*` (any run of characters), `?` (one character), `[abc]`,
/// `[a-z]` and `[!abc]` (`[^abc]` too) for one character of (or not of) a set; anything else
/// matches itself. A `[` without its closing `]` is an ordinary character. There is no escaping and
/// `*` matches a leading dot too (file names have no `/` to stop at).
public struct GlobPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case character(Character)
        case anyCharacter
        case anyRun
        case set(ranges: [ClosedRange<Character>], negated: Bool)
    }

    public let pattern: String
    let tokens: [Token]

    public init(_ pattern: String) {
        self.pattern = pattern
        tokens = Self.tokens(of: Array(pattern))
    }

    /// Whether the whole of `name` matches.
    public func matches(_ name: String) -> Bool {
        let characters = Array(name)
        var tokenIndex = 0
        var characterIndex = 0
        // Where the last `*` was, and how far into the name it reaches so far: on a mismatch the
        // `*` takes one more character and matching resumes after it.
        var lastRun: (token: Int, character: Int)?
        while characterIndex < characters.count {
            if tokenIndex < tokens.count {
                switch tokens[tokenIndex] {
                case .anyRun:
                    lastRun = (tokenIndex, characterIndex)
                    tokenIndex += 1
                    continue
                case let token where Self.token(token, matches: characters[characterIndex]):
                    tokenIndex += 1
                    characterIndex += 1
                    continue
                default:
                    break
                }
            }
            guard let run = lastRun else { return false }
            lastRun = (run.token, run.character + 1)
            tokenIndex = run.token + 1
            characterIndex = run.character + 1
        }
        return tokens[tokenIndex...].allSatisfy { $0 == .anyRun }
    }

    private static func token(_ token: Token, matches character: Character) -> Bool {
        switch token {
        case .character(let expected): character == expected
        case .anyCharacter: true
        case .anyRun: false
        case .set(let ranges, let negated): ranges.contains { $0.contains(character) } != negated
        }
    }

    private static func tokens(of pattern: [Character]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < pattern.count {
            switch pattern[index] {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?":
                tokens.append(.anyCharacter)
            case "[":
                if let (set, end) = self.set(in: pattern, openingAt: index) {
                    tokens.append(set)
                    index = end
                } else {
                    tokens.append(.character("["))
                }
            case let character:
                tokens.append(.character(character))
            }
            index += 1
        }
        return tokens
    }

    /// The set that opens at `start`, and the index of its closing `]`; nil when it is not closed.
    private static func set(in pattern: [Character], openingAt start: Int) -> (Token, Int)? {
        var index = start + 1
        let negated = index < pattern.count && (pattern[index] == "!" || pattern[index] == "^")
        if negated { index += 1 }
        var ranges: [ClosedRange<Character>] = []
        let first = index
        // A `]` right after the opening (or the `!`) is a member, not the end.
        while index < pattern.count, pattern[index] != "]" || index == first {
            let lower = pattern[index]
            if index + 2 < pattern.count, pattern[index + 1] == "-", pattern[index + 2] != "]" {
                let upper = pattern[index + 2]
                if lower <= upper { ranges.append(lower...upper) }
                index += 3
            } else {
                ranges.append(lower...lower)
                index += 1
            }
        }
        guard index < pattern.count else { return nil }
        return (.set(ranges: ranges, negated: negated), index)
    }
}
