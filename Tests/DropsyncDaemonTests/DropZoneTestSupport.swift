import DropsyncCore
import DropsyncDaemon
import DropsyncTesting
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a monitor yielded so far, each with when it arrived.
final class FindingLog: Sendable {
    struct Entry: Sendable {
        let finding: DropZoneFinding
        let arrived: ContinuousClock.Instant
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }
    var findings: [DropZoneFinding] { all.map(\.finding) }

    func append(_ finding: DropZoneFinding) { entries.withLock { $0.append(Entry(finding: finding, arrived: .now)) } }

    /// The first entry that satisfies `condition`, waiting for it up to `limit`.
    func first(within limit: Duration = .seconds(30), where condition: (DropZoneFinding) -> Bool) async -> Entry? {
        await until(within: limit) { $0.first { condition($0.finding) } }
    }

    /// Waits (up to `limit`) until `probe` of the entries so far gives a value.
    func until<Value>(within limit: Duration = .seconds(30), _ probe: ([Entry]) -> Value?) async -> Value? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let value = probe(all) { return value }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The `ready` finding for `path`, waiting for it.
    func ready(_ path: String, within limit: Duration = .seconds(30)) async -> (file: ListedFile, reason: String, arrived: ContinuousClock.Instant)? {
        await until(within: limit) { entries in
            entries.lazy.compactMap { entry in
                if case .ready(let file, let reason) = entry.finding, file.path == path { (file, reason, entry.arrived) } else { nil }
            }.first
        }
    }
}

/// A drop zone in a temporary directory with a monitor on it that records its findings.
struct DropZoneFixture {
    let scratch = TemporaryDirectory("dropzone")
    let monitor: DropZoneMonitor
    let log = FindingLog()

    var zone: String { scratch.path + "/in" }

    init(readiness: ReadinessRules = ReadinessRules(stableFor: 0.3, settleAfterClose: 0.3), fileNamePattern: String = ".*", createZone: Bool = true) {
        let zone = scratch.path + "/in"
        if createZone { try! FileManager.default.createDirectory(atPath: zone, withIntermediateDirectories: true) }
        monitor = DropZoneMonitor(
            settings: DropZoneSettings(directory: zone, fileNamePattern: fileNamePattern, readiness: readiness),
            reconcileInterval: .seconds(60))
    }

    /// Starts the monitor (after whatever the test prepared).
    func start() {
        let findings = monitor.findings()
        let log = log
        Task { for await finding in findings { log.append(finding) } }
    }

    func path(_ name: String) -> String { zone + "/" + name }

    /// Writes a file with plain `open`/`write`/`close` (no temporary name, no rename) and returns its path.
    @discardableResult
    func drop(_ name: String, _ text: String = "id\n1\n", in directory: String? = nil) -> String {
        let path = (directory ?? zone) + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(descriptor >= 0, "cannot create \(path)")
        _ = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        close(descriptor)
        return path
    }

    /// Whether anything at all was yielded about `path`.
    func mentioned(_ path: String) -> Bool { log.findings.contains { $0.path == path } }
}
