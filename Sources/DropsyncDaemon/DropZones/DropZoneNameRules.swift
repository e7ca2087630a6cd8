import DropsyncCore

/// Which names of a drop zone are files to judge: not ignored, matching the reader's
/// `fileNameRegex`, and not a done marker. Not `Sendable` (a `Regex` is not): it lives on the
/// monitor's thread.
struct DropZoneNameRules {
    /// What a done marker's appearance concerns.
    enum MarkerTarget: Equatable {
        /// The file of this name.
        case file(String)
        /// Every file: the marker has a fixed name (no `{name}` in it).
        case everyFile
    }

    let readiness: ReadinessRules
    /// Nil when `fileNameRegex` does not compile (it was checked at load): nothing matches.
    private let pattern: Regex<AnyRegexOutput>?
    /// The marker template around `{name}`.
    private let markerAffixes: (prefix: String, suffix: String)?

    init(settings: DropZoneSettings) {
        readiness = settings.readiness
        pattern = try? Regex(settings.fileNamePattern)
        markerAffixes = settings.readiness.doneMarker.flatMap { template in
            template.range(of: "{name}").map { (String(template[..<$0.lowerBound]), String(template[$0.upperBound...])) }
        }
    }

    /// Whether `name` (as shown) is a file to judge.
    func isCandidate(_ name: String) -> Bool {
        !readiness.isIgnored(name) && (try? pattern?.wholeMatch(in: name)) != nil
    }

    /// What `name` is the done marker of; nil when it is no marker.
    func markerTarget(of name: String) -> MarkerTarget? {
        guard let template = readiness.doneMarker else { return nil }
        guard let (prefix, suffix) = markerAffixes else { return name == template ? .everyFile : nil }
        guard name.count > prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        return .file(String(name.dropFirst(prefix.count).dropLast(suffix.count)))
    }
}
