/// What the monitor tells the daemon, each at most once per file version (path + size + mtime).
public enum DropZoneFinding: Sendable, Hashable {
    /// Seen but not ready yet: `waitingFor` says why ("stable for 2s", "age 30s", "done marker
    /// a.csv.done", "size ≥ 1").
    case seen(ListedFile, waitingFor: String)
    /// Ready to read; `reason` says why ("closed after writing", "renamed into the drop zone",
    /// "unchanged for 2.0s"; with a done marker, ", done marker a.csv.done" follows).
    case ready(ListedFile, reason: String)
    /// Never readable as it is: a symlink out of the drop zone, a directory named like a file, no
    /// read permission, a name with control characters or invalid UTF-8 (shown escaped: `a\nb.csv`,
    /// `a\xFF.csv`). `path` is what the daemon records.
    case unusable(path: String, reason: String)

    /// The path the finding is about.
    public var path: String {
        switch self {
        case .seen(let file, _), .ready(let file, _): file.path
        case .unusable(let path, _): path
        }
    }
}
