import DropsyncCore
import Foundation
import Synchronization

/// Watches one drop-zone directory and tells which of its files are ready to read.
///
/// inotify events are hints (`IN_MOVED_TO` → complete; `IN_CLOSE_WRITE` → complete once no
/// writer came back for `settleAfterClose` seconds; `IN_CREATE` → wait for stability;
/// `IN_Q_OVERFLOW` → full listing). A full listing runs at start, after an overflow, when
/// the directory comes back after being deleted (or missing at start), and every
/// `reconcileInterval` anyway: the listing is the truth. Readiness follows the `ReadinessRules`:
/// ignored names and names not matching `fileNamePattern` are passed over silently; then
/// `minimumSize`, `doneMarker`, `minimumAge`; a file with no close or rename event for its current
/// version is ready only once its size and mtime stayed the same for `stableFor` seconds (the
/// monitor re-checks on its own timer). A done marker is never a finding itself.
///
/// All the work (blocking `poll`, listings of huge directories) runs on a thread of the monitor's
/// own, never on the cooperative pool.
public final class DropZoneMonitor: Sendable {
    private enum Lifecycle {
        case idle(DropZoneWorkerStart)
        /// The thread signals `finished` as it ends.
        case running(finished: DispatchSemaphore)
        case stopped
    }

    /// What the thread needs, kept until `findings()` starts it.
    private struct DropZoneWorkerStart: Sendable {
        let settings: DropZoneSettings
        let reconcileInterval: Duration
        let findings: AsyncStream<DropZoneFinding>.Continuation
        let problems: AsyncStream<DropZoneProblem>.Continuation
    }

    private let mailbox = DropZoneMailbox()
    private let findingStream: AsyncStream<DropZoneFinding>
    private let problemStream: AsyncStream<DropZoneProblem>
    private let lifecycle: Mutex<Lifecycle>

    public init(settings: DropZoneSettings, reconcileInterval: Duration) {
        let (findingStream, findings) = AsyncStream.makeStream(of: DropZoneFinding.self)
        let (problemStream, problems) = AsyncStream.makeStream(of: DropZoneProblem.self, bufferingPolicy: .bufferingNewest(100))
        self.findingStream = findingStream
        self.problemStream = problemStream
        lifecycle = Mutex(.idle(DropZoneWorkerStart(
            settings: settings, reconcileInterval: reconcileInterval, findings: findings, problems: problems)))
        let mailbox = mailbox
        findings.onTermination = { _ in mailbox.post { $0.stop = true } }
    }

    deinit { stop() }

    /// Starts watching and returns what is found; call it once. Changes after it returns are seen
    /// as events (the watch is in place, the first listing follows on the monitor's thread). A
    /// missing or unreadable directory is no error: it is tried again every second and reported
    /// through `problems()`.
    public func findings() -> AsyncStream<DropZoneFinding> {
        lifecycle.withLock { lifecycle in
            guard case .idle(let start) = lifecycle else { return }
            let finished = DispatchSemaphore(value: 0)
            let worker = DropZoneWorker(
                settings: start.settings, reconcileInterval: start.reconcileInterval, mailbox: mailbox,
                findings: start.findings, problems: start.problems)
            worker.establishWatch()
            let handoff = Handoff(worker)
            let thread = Thread {
                handoff.value.run()
                start.findings.finish()
                start.problems.finish()
                finished.signal()
            }
            thread.name = "dropsync drop zone"
            thread.start()
            lifecycle = .running(finished: finished)
        }
        return findingStream
    }

    /// Trouble with the directory itself, for the log (the latest 100 kept until read).
    public func problems() -> AsyncStream<DropZoneProblem> { problemStream }

    /// Ends both streams, closes the inotify descriptor and waits for the thread to end.
    public func stop() {
        let previous = lifecycle.withLock { lifecycle in
            defer { lifecycle = .stopped }
            return lifecycle
        }
        switch previous {
        case .idle(let start):
            start.findings.finish()
            start.problems.finish()
        case .running(let finished):
            mailbox.post { $0.stop = true }
            finished.wait()
        case .stopped:
            break
        }
    }
}

/// Hands a value that is not `Sendable` to another thread which, from then on, is its only user.
private final class Handoff<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}
