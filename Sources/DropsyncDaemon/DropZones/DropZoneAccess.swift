import DropsyncCore
import DropsyncStore

/// What a dataflow worker needs of its drop zone, the same for every kind: what is found there,
/// and the post-actions on its files. A local directory is watched with inotify
/// (`LocalDropZone`), a remote one polled (`RemoteDropZone`).
protocol DropZoneAccess: Sendable {
    /// The ledger's location of the zone's files: `local:/srv/in`, `sftp://user@host:22`.
    var location: String { get }
    /// Starts watching (or polling); call once.
    func findings() -> AsyncStream<DropZoneFinding>
    func problems() -> AsyncStream<DropZoneProblem>
    /// Ends both streams.
    func stop()
    /// Whether the file is in the zone in this version (size and mtime); throws when the zone
    /// cannot tell (its server is unreachable).
    func isPresent(_ file: DropZoneFile) async throws(DropsyncError) -> Bool
    /// The file's SHA-256 as hex; nil when it cannot be read.
    func contentHash(_ path: String) async -> String?
    /// Removes a file; a missing one is no error.
    func delete(_ path: String) async throws(DropsyncError)
    /// Moves a file into `directory` under its name (`.1`, `.2`, … before the extension on a
    /// clash); returns the new path.
    func move(_ path: String, into directory: String) async throws(DropsyncError) -> String
}

/// A local directory's drop zone: inotify and listings (`DropZoneMonitor`), post-actions on the
/// file system.
struct LocalDropZone: DropZoneAccess {
    let monitor: DropZoneMonitor
    let location: String

    init(settings: DropZoneSettings, reconcileInterval: Duration) {
        monitor = DropZoneMonitor(settings: settings, reconcileInterval: reconcileInterval)
        location = "local:" + settings.directory
    }

    func findings() -> AsyncStream<DropZoneFinding> { monitor.findings() }
    func problems() -> AsyncStream<DropZoneProblem> { monitor.problems() }
    func stop() { monitor.stop() }
    func isPresent(_ file: DropZoneFile) async throws(DropsyncError) -> Bool { PostActions.isPresent(file) }
    func contentHash(_ path: String) async -> String? { await FileHashing.sha256(of: path) }
    func delete(_ path: String) async throws(DropsyncError) { try PostActions.delete(path) }

    func move(_ path: String, into directory: String) async throws(DropsyncError) -> String {
        try PostActions.move(path, into: directory)
    }
}
