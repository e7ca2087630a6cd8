import DropsyncCore
import Foundation

/// Judges each poll's listing of a remote drop zone by its `ReadinessRules`: a file is ready once
/// two polls in a row found it with the same size and mtime, and the polls have found it so for
/// `stableFor` seconds (a remote server tells of no close or rename, and an upload that stalls
/// for longer than a short poll interval must not be read half-way); it is at least
/// `minimumSize` bytes and `minimumAge` old, and its done marker is listed, at least as new as the file.
/// Each file version is yielded at most once, as for local zones. Not `Sendable` (the name rules
/// hold a `Regex`): it lives on its zone's queue.
struct RemoteReadinessJudge {
    private let rules: DropZoneNameRules
    /// What the previous poll listed, by name, and since when (daemon clock) polls found it so.
    private var previous: [String: (file: ListedFile, since: Double)] = [:]
    /// What was yielded for each name still listed.
    private var yielded: [String: DropZoneFinding] = [:]

    init(settings: DropZoneSettings) {
        rules = DropZoneNameRules(settings: settings)
    }

    /// The findings of a new listing: `files` by name (regular files only), `path` giving a name's
    /// remote path, `now` in seconds since 1970.
    mutating func judge(_ files: [String: TransportEntry], path: (String) -> String, now: Double) -> [DropZoneFinding] {
        var findings: [DropZoneFinding] = []
        var current: [String: (file: ListedFile, since: Double)] = [:]
        for (name, entry) in files where rules.markerTarget(of: name) == nil && rules.isCandidate(name) {
            guard FileNames.isSafe(name) else {
                report(.unusable(path: path(name), reason: "the name \(name.debugDescription) is not safe to use"), name, &findings)
                continue
            }
            let file = ListedFile(name: name, path: path(name), size: entry.size, modified: entry.modified, versionTag: entry.versionTag)
            let since = previous[name].flatMap { $0.file == file ? $0.since : nil }
            current[name] = (file, since ?? now)
            switch verdict(file, unchangedSince: since, listed: files, now: now) {
            case .success(let reason): report(.ready(file, reason: reason), name, &findings)
            case .failure(let waiting): report(.seen(file, waitingFor: waiting.what), name, &findings)
            }
        }
        previous = current
        yielded = yielded.filter { files[$0.key] != nil }
        return findings
    }

    /// What a file still waits for.
    private struct Waiting: Error {
        let what: String
    }

    /// `unchangedSince`: when polls first found the file as it is now, if an earlier one did.
    private func verdict(
        _ file: ListedFile, unchangedSince: Double?, listed: [String: TransportEntry], now: Double
    ) -> Result<String, Waiting> {
        let readiness = rules.readiness
        if file.size < readiness.minimumSize { return .failure(Waiting(what: "size ≥ \(readiness.minimumSize)")) }
        let marker = readiness.doneMarker(for: file.name)
        if let marker, let waitingFor = DoneMarkerCheck.waiting(
            for: marker, markerModified: listed[marker]?.modified, fileModified: file.modified) {
            return .failure(Waiting(what: waitingFor))
        }
        if now - file.modified < readiness.minimumAge {
            return .failure(Waiting(what: "age \(ReadinessTracker.seconds(readiness.minimumAge))s"))
        }
        guard let unchangedSince else { return .failure(Waiting(what: "the next poll to find it unchanged")) }
        if now - unchangedSince < readiness.stableFor {
            return .failure(Waiting(what: "polls to find it unchanged for \(ReadinessTracker.seconds(readiness.stableFor))s"))
        }
        return .success("unchanged across two polls" + (marker.map { ", done marker " + $0 } ?? ""))
    }

    /// Adds `finding` unless it (or, for `seen`, the file's readiness) was yielded for this version.
    private mutating func report(_ finding: DropZoneFinding, _ name: String, _ findings: inout [DropZoneFinding]) {
        switch (finding, yielded[name]) {
        case (.ready(let file, _), .ready(let earlier, _)) where file == earlier: return
        case (.seen(let file, let waiting), .seen(let earlier, let earlierWaiting)) where file == earlier && waiting == earlierWaiting: return
        case (.seen(let file, _), .ready(let earlier, _)) where file == earlier: return
        case (.unusable, let earlier) where earlier == finding: return
        default: break
        }
        yielded[name] = finding
        findings.append(finding)
    }
}
