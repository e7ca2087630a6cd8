import Foundation

/// What `${…}` macros in file names and values expand to.
public struct MacroContext: Sendable {
    public var now: Date
    public var jobID: String

    public init(now: Date, jobID: String) {
        self.now = now
        self.jobID = jobID
    }
}

/// Expands `${now}`, `${now:<pattern>}` (Java-style, UTC), `${now-1d}` / `${now+2h}` (units
/// y M w d h m s, combinable with a pattern: `${now-1d:yyyyMMdd}`) and `${jobId}`.
public enum Macros {
    public struct UnknownMacro: Error, Sendable, CustomStringConvertible {
        public let name: String
        /// What is wrong with it: "unknown macro" unless the macro is known but malformed.
        public var problem = "unknown macro"
        public var description: String { "\(problem) ${\(name)}" }
    }

    public static func expand(_ text: String, _ context: MacroContext) throws(UnknownMacro) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                return result
            }
            result += try value(of: String(rest[open.upperBound..<close]), context)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Checks that every macro in `text` is known, without a context.
    public static func validate(_ text: String) throws(UnknownMacro) {
        _ = try expand(text, MacroContext(now: Date(timeIntervalSince1970: 0), jobID: "0"))
    }

    private static func value(of macro: String, _ context: MacroContext) throws(UnknownMacro) -> String {
        if macro == "jobId" { return context.jobID }
        guard macro.hasPrefix("now") else { throw UnknownMacro(name: macro) }
        var spec = macro.dropFirst(3)
        var pattern = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        if let colon = spec.firstIndex(of: ":") {
            pattern = String(spec[spec.index(after: colon)...])
            spec = spec[..<colon]
            guard !pattern.isEmpty else { throw UnknownMacro(name: macro, problem: "empty date format in macro") }
        }
        guard let offset = offsetSeconds(spec) else { throw UnknownMacro(name: macro) }
        return UTCDateFormat.format(context.now.addingTimeInterval(offset), pattern: pattern)
    }

    /// `-1d`, `+2h`, `` → seconds; nil when malformed.
    public static func offsetSeconds(_ text: Substring) -> Double? {
        guard let sign = text.first else { return 0 }
        guard sign == "-" || sign == "+", text.count >= 3, let unit = text.last,
              let amount = Double(text.dropFirst().dropLast()) else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        case "M": seconds = 2_592_000
        case "y": seconds = 31_536_000
        default: return nil
        }
        return (sign == "-" ? -1 : 1) * amount * seconds
    }
}
