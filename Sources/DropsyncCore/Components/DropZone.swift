/// How `dropsync serve` treats the files of a drop zone: when a file is ready to read, and what
/// becomes of it after its job. Every file reader takes the same params for these
/// (`DropZoneParams`).
public struct DropZoneSettings: Sendable, Hashable {
    /// The directory: absolute for a local zone; for a remote one, as the server names it.
    public var directory: String
    /// The reader's `fileNameRegex`, matched against whole names.
    public var fileNamePattern: String
    public var readiness: ReadinessRules
    public var afterSuccess: AfterSuccess
    public var afterFailure: AfterFailure
    /// Whether a file whose content was imported before under another name is imported again.
    public var skipsDuplicateContent: Bool

    public init(
        directory: String, fileNamePattern: String, readiness: ReadinessRules = ReadinessRules(),
        afterSuccess: AfterSuccess = .keep, afterFailure: AfterFailure = .keep, skipsDuplicateContent: Bool = false
    ) {
        self.directory = directory
        self.fileNamePattern = fileNamePattern
        self.readiness = readiness
        self.afterSuccess = afterSuccess
        self.afterFailure = afterFailure
        self.skipsDuplicateContent = skipsDuplicateContent
    }
}

/// When a file in a drop zone counts as completely delivered.
public struct ReadinessRules: Sendable, Hashable {
    /// Names that are never read: dotfiles and the temporary names of uploads in progress.
    public static let defaultIgnorePatterns = [".*", "*.part", "*.tmp", "*.filepart", "*.uploading"]

    /// Shell-style patterns (`*`, `?`, `[…]`) of names to pass over.
    public var ignorePatterns: [String] { didSet { ignoreGlobs = ignorePatterns.map(GlobPattern.init) } }
    private var ignoreGlobs: [GlobPattern]
    /// Seconds since the file's last modification before it is read.
    public var minimumAge: Double
    /// Seconds a file seen without a close or rename event must keep its size and mtime.
    public var stableFor: Double
    /// Seconds a file closed after writing must then stay closed and unchanged: an upload resumed
    /// in rounds (open, append, close) is not taken at its first close. A rename into the drop
    /// zone needs no such wait.
    public var settleAfterClose: Double
    /// The name of a marker file that must exist before the file is read (`{name}` is the file's
    /// name: `{name}.done`); nil when no marker is needed.
    public var doneMarker: String?
    /// Smaller files wait (an upload that has not started writing yet).
    public var minimumSize: Int64

    public init(
        ignorePatterns: [String] = Self.defaultIgnorePatterns, minimumAge: Double = 0, stableFor: Double = 2,
        settleAfterClose: Double = 2, doneMarker: String? = nil, minimumSize: Int64 = 0
    ) {
        self.ignorePatterns = ignorePatterns
        ignoreGlobs = ignorePatterns.map(GlobPattern.init)
        self.minimumAge = minimumAge
        self.stableFor = stableFor
        self.settleAfterClose = settleAfterClose
        self.doneMarker = doneMarker
        self.minimumSize = minimumSize
    }

    /// Whether `name` matches one of `ignorePatterns` (and is never read).
    public func isIgnored(_ name: String) -> Bool {
        ignoreGlobs.contains { $0.matches(name) }
    }

    /// The done marker's name for a file; nil when the rules need none.
    public func doneMarker(for name: String) -> String? {
        doneMarker.map { $0.replacingOccurrences(of: "{name}", with: name) }
    }

    /// What a done marker's appearance concerns.
    public enum DoneMarkerTarget: Equatable, Sendable {
        /// The file of this name.
        case file(String)
        /// Every file: the marker has a fixed name (no `{name}` in it).
        case everyFile
    }

    /// What `name` is the done marker of; nil when it is no marker (a marker is never data).
    public func doneMarkerTarget(of name: String) -> DoneMarkerTarget? {
        guard let template = doneMarker else { return nil }
        guard let placeholder = template.range(of: "{name}") else { return name == template ? .everyFile : nil }
        let prefix = template[..<placeholder.lowerBound]
        let suffix = template[placeholder.upperBound...]
        guard name.count > prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        return .file(String(name.dropFirst(prefix.count).dropLast(suffix.count)))
    }
}

/// What becomes of a file whose job succeeded.
public enum AfterSuccess: Sendable, Hashable {
    case keep
    case delete
    /// Moved under this directory (macros allowed, e.g. `archive/${now:yyyy/MM/dd}`).
    case archive(path: String)
}

/// What becomes of a file whose job failed for good.
public enum AfterFailure: Sendable, Hashable {
    case keep
    /// Moved under this directory, so the next good file is not held up by it.
    case quarantine(path: String)
}

/// A reader of a drop zone, which `dropsync serve` watches (a local directory) or polls
/// (`RemoteDropZoneReader`).
public protocol DropZoneReader: Component {
    var dropZone: DropZoneSettings { get }
}

/// The readiness and post-action params every file reader takes.
public enum DropZoneParams {
    public static let specs: [ParamSpec] = [
        ParamSpec(
            "ignorePatterns", .array(of: .string), default: .array(ReadinessRules.defaultIgnorePatterns.map(Value.string)),
            "Shell patterns of names never read (uploads in progress, dotfiles)."),
        ParamSpec("minimumAge", .number, default: 0, constraints: [.atLeast(0)], "Seconds since a file's last change before it is read."),
        ParamSpec(
            "stableFor", .number, default: 2, constraints: [.atLeast(0)],
            "Seconds a file found by a scan (not by a close or rename event) must keep its size and mtime before it is read."),
        ParamSpec(
            "settleAfterClose", .number, default: 2, constraints: [.atLeast(0)],
            "Seconds a file closed after writing must stay closed and unchanged before it is read (an upload resumed in rounds); "
                + "a file renamed into the directory is read at once."),
        ParamSpec("doneMarker", .string, "A marker file that must exist first, at least as new as the file, `{name}` standing for the file's name: `{name}.done`."),
        ParamSpec("minimumSize", .integer, default: 0, constraints: [.atLeast(0)], "Files smaller than this many bytes wait."),
        ParamSpec("afterSuccess", .oneOf(["keep", "delete", "archive"]), default: "keep", "What to do with a file once imported."),
        ParamSpec("archivePath", .string, "Where `archive` moves files (macros allowed: `archive/${now:yyyy-MM-dd}`); relative to the directory read."),
        ParamSpec("afterFailure", .oneOf(["keep", "quarantine"]), default: "keep", "What to do with a file that failed for good."),
        ParamSpec("quarantinePath", .string, "Where `quarantine` moves files; relative to the directory read."),
        ParamSpec(
            "duplicateContent", .oneOf(["process", "skip"]), default: "process",
            "A file with the same content (SHA-256) as one imported before under another name: `process` it again, "
                + "or `skip` it (it counts as succeeded)."),
    ]

    /// The settings for a reader of `directory` (local: absolute; remote: as the server names it,
    /// an S3 prefix perhaps empty).
    public static func settings(_ params: Params, directory: String, fileNamePattern: String) throws(ParamError) -> DropZoneSettings {
        func within(_ name: String, default fallback: String) throws(ParamError) -> String {
            let given = params.string(name) ?? fallback
            do {
                try Macros.validate(given)
            } catch {
                throw ParamError(name, error.description)
            }
            if given.hasPrefix("/") || directory.isEmpty { return given }
            return directory.hasSuffix("/") ? directory + given : directory + "/" + given
        }
        let readiness = ReadinessRules(
            ignorePatterns: params.strings("ignorePatterns") ?? ReadinessRules.defaultIgnorePatterns,
            minimumAge: params.double("minimumAge") ?? 0, stableFor: params.double("stableFor") ?? 2,
            settleAfterClose: params.double("settleAfterClose") ?? 2,
            doneMarker: params.string("doneMarker"), minimumSize: Int64(params.int("minimumSize") ?? 0))
        let afterSuccess: AfterSuccess = switch params.string("afterSuccess") {
        case "delete": .delete
        case "archive": .archive(path: try within("archivePath", default: "archive"))
        default: .keep
        }
        let afterFailure: AfterFailure = params.string("afterFailure") == "quarantine"
            ? .quarantine(path: try within("quarantinePath", default: "quarantine")) : .keep
        return DropZoneSettings(
            directory: directory, fileNamePattern: fileNamePattern, readiness: readiness,
            afterSuccess: afterSuccess, afterFailure: afterFailure, skipsDuplicateContent: params.string("duplicateContent") == "skip")
    }
}

/// A reader of a remote drop zone (SFTP, FTP, S3), which `dropsync serve` polls. Its
/// `dropZone.directory` is the remote directory or prefix.
public protocol RemoteDropZoneReader: DropZoneReader {
    /// Where, as `FileTransport.location` says it (the ledger's key), known before connecting.
    var location: String { get }
    /// How often the daemon lists the drop zone.
    var pollInterval: Duration { get }
    /// Connects, checks the peer (host key, certificate), logs in.
    func connect() throws(DropsyncError) -> any FileTransport
}

extension DropZoneParams {
    /// The params of remote readers: the readiness params but `settleAfterClose` (a server tells
    /// of no close), with their own `stableFor`, the post-actions, and `pollInterval`.
    public static let remoteSpecs: [ParamSpec] = specs.filter { $0.name != "stableFor" && $0.name != "settleAfterClose" } + [
        ParamSpec(
            "stableFor", .number, default: 30, constraints: [.atLeast(0)],
            "Seconds a file must keep its size and mtime, found so by at least two polls, before it is read "
                + "(an upload that stalls for less is not read half-way; a done marker or an upload under a temporary name is surer)."),
        ParamSpec("pollInterval", .number, default: 60, constraints: [.between(0.1, 86_400)], "Seconds between two listings of the drop zone by `dropsync serve`."),
    ]

    /// `pollInterval` (its range checked by the spec).
    public static func pollInterval(_ params: Params) -> Duration {
        .milliseconds(Int64((params.double("pollInterval") ?? 60) * 1000))
    }
}
