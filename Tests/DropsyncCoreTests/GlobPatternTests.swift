import DropsyncCore
import Testing

/// Shell-style name patterns, as `ignorePatterns` uses them.
@Suite struct GlobPatternTests {
    @Test("a pattern matches whole names as a shell would", arguments: [
        ("*", "", true),
        ("*", "anything.csv", true),
        ("*.part", "a.csv.part", true),
        ("*.part", "a.csv.part2", false),
        ("*.part", ".part", true),
        ("a*b*c", "aXbYc", true),
        ("a*b*c", "abcabc", true),
        ("a*b*c", "aXbY", false),
        ("*a*a*a", "aaaa", true),
        ("?", "x", true),
        ("?", "", false),
        ("??.csv", "ab.csv", true),
        ("??.csv", "abc.csv", false),
        ("é?", "éa", true),
        (".*", ".hidden", true),
        (".*", "visible", false),
        ("[abc].csv", "b.csv", true),
        ("[abc].csv", "d.csv", false),
        ("[a-c]x", "bx", true),
        ("[a-c]x", "dx", false),
        ("[!a-c]x", "dx", true),
        ("[!a-c]x", "ax", false),
        ("[^a]", "b", true),
        ("[]a]", "]", true),
        ("[!]]", "]", false),
        ("[a-]", "-", true),
        ("[abc", "[abc", true),
        ("[abc", "a", false),
        ("data", "data", true),
        ("data", "Data", false),
        ("a**b", "ab", true),
    ] as [(String, String, Bool)])
    func matches(pattern: String, name: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }

    @Test("the default ignore patterns pass over dotfiles and upload temp names", arguments: [
        (".x", true),
        (".a.csv", true),
        ("a.part", true),
        ("a.csv.tmp", true),
        ("a.filepart", true),
        ("a.uploading", true),
        ("a.csv", false),
        ("part", false),
        ("a.partial", false),
        ("a.tmp.csv", false),
    ])
    func defaultIgnorePatterns(name: String, ignored: Bool) {
        #expect(ReadinessRules().isIgnored(name) == ignored)
    }

    @Test("no ignore patterns ignore nothing")
    func noIgnorePatterns() {
        #expect(!ReadinessRules(ignorePatterns: []).isIgnored(".x"))
    }
}
