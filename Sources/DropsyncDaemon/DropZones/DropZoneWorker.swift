#if canImport(Glibc)
import Glibc
#endif
import DropsyncCore

/// The monitor's thread: waits in `poll` on the inotify descriptor and the mailbox, lists the
/// directory, and has the tracker judge what changed. Everything here runs on that one thread.
final class DropZoneWorker {
    private let directory: String
    private let reconcileInterval: Duration
    private let mailbox: DropZoneMailbox
    private let problems: AsyncStream<DropZoneProblem>.Continuation
    private let tracker: ReadinessTracker
    private var watch: InotifyWatch?
    /// Why the directory cannot be watched (last reported); nil while it is watched.
    private var unavailable: String?
    private var nextAttempt = ContinuousClock.now
    private var nextReconcile = ContinuousClock.now
    /// Whether the directory is to be listed as soon as possible (at start, after re-establishing
    /// the watch, after lost events).
    private var listingWanted = true

    init(
        settings: DropZoneSettings, reconcileInterval: Duration, mailbox: DropZoneMailbox,
        findings: AsyncStream<DropZoneFinding>.Continuation, problems: AsyncStream<DropZoneProblem>.Continuation
    ) {
        directory = settings.directory
        self.reconcileInterval = reconcileInterval
        self.mailbox = mailbox
        self.problems = problems
        tracker = ReadinessTracker(settings: settings) { findings.yield($0) }
    }

    /// Runs until a stop request, then closes the inotify descriptor.
    func run() {
        defer { watch = nil }
        while true {
            if watch == nil, ContinuousClock.now >= nextAttempt { establishWatch() }
            waitForWork()
            let requests = mailbox.take()
            if requests.stop { return }
            if watch != nil { handleEvents() }
            if watch != nil, listingWanted || ContinuousClock.now >= nextReconcile { listDirectory() }
            tracker.recheckDue()
        }
    }

    /// Sleeps in `poll` until an event, a request, or the next thing due (at most a second).
    private func waitForWork() {
        var deadline = ContinuousClock.now + .seconds(1)
        for due in [tracker.nextRecheck, watch == nil ? nextAttempt : nextReconcile] {
            if let due, due < deadline { deadline = due }
        }
        let remaining = ContinuousClock.now.duration(to: deadline)
        let milliseconds = max(0, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
        var descriptors = [
            pollfd(fd: mailbox.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: watch?.descriptor ?? -1, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&descriptors, nfds_t(descriptors.count), Int32(milliseconds))
    }

    /// Watches the directory if it can be; else reports why (once per reason) and tries again in a second.
    func establishWatch() {
        do {
            watch = try InotifyWatch(directory: directory)
        } catch {
            nextAttempt = .now + .seconds(1)
            let reason = error.number == ENOENT ? "does not exist" : error.description
            if unavailable != reason { problems.yield(.unavailable(directory: directory, reason: reason)) }
            unavailable = reason
            return
        }
        if unavailable != nil { problems.yield(.recovered(directory: directory)) }
        unavailable = nil
        tracker.realDirectory = DropZoneEntry.realPath(directory) ?? directory
        listingWanted = true
    }

    /// Judges every name of the directory (`readdir`), and forgets the files no longer there.
    private func listDirectory() {
        nextReconcile = .now + reconcileInterval
        listingWanted = false
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        var present = Set<String>()
        while let entry = readdir(stream) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard bytes != [0x2E], bytes != [0x2E, 0x2E] else { continue }
            let name = DropZoneName(bytes: bytes)
            present.insert(name.shown)
            tracker.observe(name)
        }
        tracker.keepOnly(present)
    }

    /// Reads the waiting inotify events and has the tracker judge the names they concern, once
    /// each, in the order they first appeared.
    private func handleEvents() {
        guard let events = watch?.read(), !events.isEmpty else { return }
        var order: [DropZoneName] = []
        /// Per name, the completion event seen (nil for a mere creation or change).
        var completions: [DropZoneName: ReadinessTracker.Completion?] = [:]
        var overflowed = false
        for event in events {
            if event.has(IN_Q_OVERFLOW) {
                overflowed = true
                continue
            }
            if event.has(InotifyWatch.directoryGone) {
                directoryGone()
                return
            }
            // An event about the directory itself (IN_ATTRIB of a chmod) has no name.
            guard !event.name.isEmpty else { continue }
            let name = DropZoneName(bytes: event.name)
            if event.has(IN_DELETE | IN_MOVED_FROM) {
                completions[name] = nil
                tracker.remove(name)
                continue
            }
            if event.has(IN_OPEN) { tracker.opened(name) }
            if event.has(IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) { tracker.closed(name) }
            if completions.index(forKey: name) == nil {
                order.append(name)
                completions[name] = .some(nil)
            }
            if event.has(IN_CLOSE_WRITE) {
                completions[name] = .closedAfterWriting
            } else if event.has(IN_MOVED_TO) {
                completions[name] = .renamedIn
            }
        }
        for name in order {
            if let completion = completions.removeValue(forKey: name) { tracker.observe(name, completion: completion) }
        }
        if overflowed {
            // A close may be among the lost events: open counts are guesses now; stability rules.
            tracker.forgetOpenCounts()
            problems.yield(.eventsLost(directory: directory))
            listingWanted = true
        }
    }

    /// The directory was deleted or moved away: everything known about it is forgotten, and it is
    /// watched again (with a full listing) once it is back.
    private func directoryGone() {
        watch = nil
        tracker.removeAll()
        unavailable = "was removed"
        problems.yield(.unavailable(directory: directory, reason: "was removed"))
        nextAttempt = .now
    }
}
