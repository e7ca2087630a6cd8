/// Where a file comes from and what it is called; the bytes travel separately, in chunks.
public struct FileInfo: Sendable, Hashable {
    /// The file's name (no directory).
    public var name: String
    /// Where the reader found it: a local path, a remote path, an object key.
    public var path: String
    /// The drop zone it came from (the reader's location, e.g. `local:/srv/drop`).
    public var location: String
    public var size: Int64?
    public var modified: Double?

    public init(name: String, path: String, location: String, size: Int64? = nil, modified: Double? = nil) {
        self.name = name
        self.path = path
        self.location = location
        self.size = size
        self.modified = modified
    }

    /// The same file under another name (a step that transforms bytes renames them).
    public func renamed(_ newName: String) -> FileInfo {
        var copy = self
        copy.name = newName
        copy.size = nil
        return copy
    }
}

/// What travels along an edge. File edges carry `fileStart`, `bytes`…, `fileEnd` per file;
/// record edges carry `records` batches and, after the last record read from a source file,
/// `sourceDone` with that file, the point where writers commit the file's effects.
public enum Packet: Sendable {
    case fileStart(FileInfo)
    case bytes([UInt8])
    case fileEnd
    case records([Record])
    case sourceDone(FileInfo)
}
