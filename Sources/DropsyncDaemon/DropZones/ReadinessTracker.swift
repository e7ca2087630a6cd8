import DropsyncCore
import Foundation

/// Judges the files of one drop zone by its `ReadinessRules` and remembers, per name, the evidence
/// of completion and what was yielded, so that each file version is yielded at most once. Lives on
/// the monitor's thread.
final class ReadinessTracker {
    /// An event that says a file is complete.
    enum Completion {
        /// `IN_CLOSE_WRITE`: complete unless its writer comes back within `settleAfterClose`.
        case closedAfterWriting
        /// `IN_MOVED_TO`: complete (the atomic delivery).
        case renamedIn

        var reason: String {
            switch self {
            case .closedAfterWriting: "closed after writing"
            case .renamedIn: "renamed into the drop zone"
            }
        }
    }

    /// What the monitor knows about one file.
    private struct FileState {
        let name: DropZoneName
        /// The version a close or rename event was seen for, which, and when.
        var completion: (version: ListedFile, event: Completion, instant: ContinuousClock.Instant)?
        /// The version first seen unchanged, and when.
        var unchangedSince: (version: ListedFile, instant: ContinuousClock.Instant)?
        var yielded: DropZoneFinding?
        /// When the file is to be judged again (for stability or age).
        var recheckAt: ContinuousClock.Instant?
    }

    /// Per name, how many opens of the file were seen without their close: a file someone holds
    /// open (an upload in progress) is not ready, however long it keeps still.
    private var openCounts: [String: Int] = [:]

    /// A judgement of one version.
    private enum Verdict {
        case ready(reason: String)
        case waiting(for: String, recheckAt: ContinuousClock.Instant?)
    }

    let directory: String
    /// The directory with symlinks resolved; set when the watch is (re-)established.
    var realDirectory: String
    private let rules: DropZoneNameRules
    private let yield: (DropZoneFinding) -> Void
    private var states: [String: FileState] = [:]
    private var rechecks = DeadlineQueue()

    init(settings: DropZoneSettings, yield: @escaping (DropZoneFinding) -> Void) {
        directory = settings.directory
        realDirectory = settings.directory
        rules = DropZoneNameRules(settings: settings)
        self.yield = yield
    }

    /// The earliest time a file is to be judged again.
    var nextRecheck: ContinuousClock.Instant? { rechecks.earliest }

    /// Judges `name` after an event or a listing; `completion` is a close or rename event seen
    /// for the file's current version.
    func observe(_ name: DropZoneName, completion: Completion? = nil) {
        switch rules.markerTarget(of: name.shown) {
        case .file(let target):
            if let state = states[target] { judge(state.name) }
        case .everyFile:
            for state in Array(states.values) { judge(state.name) }
        case nil:
            if rules.isCandidate(name.shown) { judge(name, completion: completion) }
        }
    }

    /// Forgets a file that was deleted or moved away.
    func remove(_ name: DropZoneName) {
        states[name.shown] = nil
        openCounts[name.shown] = nil
    }

    /// Forgets who holds files open (events were lost): files are judged by stability again.
    func forgetOpenCounts() { openCounts.removeAll() }

    /// Notes an `IN_OPEN` of the file.
    func opened(_ name: DropZoneName) { openCounts[name.shown, default: 0] += 1 }

    /// Notes an `IN_CLOSE_WRITE` or `IN_CLOSE_NOWRITE` (an open from before the watch has no count).
    func closed(_ name: DropZoneName) {
        let remaining = (openCounts[name.shown] ?? 0) - 1
        openCounts[name.shown] = remaining > 0 ? remaining : nil
    }

    /// Forgets every file but those named (after a listing: files gone without an event).
    func keepOnly(_ names: Set<String>) {
        states = states.filter { names.contains($0.key) }
        openCounts = openCounts.filter { names.contains($0.key) }
    }

    /// Forgets everything (the directory is gone).
    func removeAll() {
        states.removeAll()
        openCounts.removeAll()
        rechecks.removeAll()
    }

    /// Judges again the files whose recheck time has come.
    func recheckDue() {
        for (deadline, shown) in rechecks.removeDue(at: .now) {
            guard let state = states[shown], state.recheckAt == deadline else { continue }
            states[shown]?.recheckAt = nil
            judge(state.name)
        }
    }

    private func judge(_ name: DropZoneName, completion: Completion? = nil) {
        let entry = DropZoneEntry(name: name, directory: directory, realDirectory: realDirectory)
        if entry == .gone {
            states[name.shown] = nil
            return
        }
        var state = states[name.shown] ?? FileState(name: name)
        defer { states[name.shown] = state }
        guard case .file(let file) = entry else {
            if case .unusable(let reason) = entry { report(.unusable(path: directory + "/" + name.shown, reason: reason), &state) }
            return
        }
        let now = ContinuousClock.now
        if let completion { state.completion = (file, completion, now) }
        if state.unchangedSince?.version != file { state.unchangedSince = (file, now) }
        switch verdict(file, state, now) {
        case .ready(let reason):
            report(.ready(file, reason: reason), &state)
        case .waiting(let waitingFor, let recheckAt):
            report(.seen(file, waitingFor: waitingFor), &state)
            if let recheckAt, state.recheckAt != recheckAt {
                state.recheckAt = recheckAt
                rechecks.add(name.shown, at: recheckAt)
            }
        }
    }

    private func verdict(_ file: ListedFile, _ state: FileState, _ now: ContinuousClock.Instant) -> Verdict {
        let readiness = rules.readiness
        if file.size < readiness.minimumSize {
            return .waiting(for: "size ≥ \(readiness.minimumSize)", recheckAt: nil)
        }
        let marker = readiness.doneMarker(for: file.name)
        if let marker, let waitingFor = DoneMarkerCheck.waiting(
            for: marker, markerModified: Self.modified(directory + "/" + marker), fileModified: file.modified) {
            return .waiting(for: waitingFor, recheckAt: nil)
        }
        let age = Date().timeIntervalSince1970 - file.modified
        if age < readiness.minimumAge {
            return .waiting(for: "age \(Self.seconds(readiness.minimumAge))s", recheckAt: now + .seconds(readiness.minimumAge - age))
        }
        if openCounts[state.name.shown] != nil {
            return .waiting(for: "its writer to close it", recheckAt: nil)
        }
        var reason: String
        if let completion = state.completion, completion.version == file {
            if completion.event == .closedAfterWriting {
                let settled = completion.instant + .seconds(readiness.settleAfterClose)
                guard settled <= now else {
                    return .waiting(for: "no new write for \(Self.seconds(readiness.settleAfterClose))s after its close", recheckAt: settled)
                }
            }
            reason = completion.event.reason
        } else {
            let since = state.unchangedSince?.instant ?? now
            let unchanged = since.duration(to: now)
            guard unchanged >= .seconds(readiness.stableFor) else {
                return .waiting(for: "stable for \(Self.seconds(readiness.stableFor))s", recheckAt: since + .seconds(readiness.stableFor))
            }
            let tenths = unchanged.components.seconds * 10 + unchanged.components.attoseconds / 100_000_000_000_000_000
            reason = "unchanged for \(tenths / 10).\(tenths % 10)s"
        }
        if let marker { reason += ", done marker \(marker)" }
        return .ready(reason: reason)
    }

    /// Yields `finding` unless it (or, for `seen`, the file's readiness) was yielded for this version.
    private func report(_ finding: DropZoneFinding, _ state: inout FileState) {
        switch (finding, state.yielded) {
        case (.ready(let file, _), .ready(let yielded, _)) where file == yielded: return
        case (.seen(let file, _), .seen(let yielded, _)) where file == yielded: return
        case (.seen(let file, _), .ready(let yielded, _)) where file == yielded: return
        case (.unusable, let yielded) where yielded == finding: return
        default: break
        }
        state.yielded = finding
        yield(finding)
    }

    /// The mtime of `path` (following a symlink), nil when it is not there.
    private static func modified(_ path: String) -> Double? {
        var information = stat()
        guard stat(path, &information) == 0 else { return nil }
        return information.modifiedSince1970
    }

    /// Seconds as people write them: `2`, `0.3`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
