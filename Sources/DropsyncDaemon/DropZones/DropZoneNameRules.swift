import DropsyncCore

/// Which names of a drop zone are files to judge: not ignored, matching the reader's
/// `fileNameRegex`, and not a done marker. Not `Sendable` (a `Regex` is not): it lives on the
/// monitor's thread.
struct DropZoneNameRules {
    let readiness: ReadinessRules
    /// Nil when `fileNameRegex` does not compile (it was checked at load): nothing matches.
    private let pattern: Regex<AnyRegexOutput>?

    init(settings: DropZoneSettings) {
        readiness = settings.readiness
        pattern = try? Regex(settings.fileNamePattern)
    }

    /// Whether `name` (as shown) is a file to judge.
    func isCandidate(_ name: String) -> Bool {
        !readiness.isIgnored(name) && (try? pattern?.wholeMatch(in: name)) != nil
    }

    /// What `name` is the done marker of; nil when it is no marker.
    func markerTarget(of name: String) -> ReadinessRules.DoneMarkerTarget? { readiness.doneMarkerTarget(of: name) }
}
