/// One entry of a remote directory or prefix listing.
public struct TransportEntry: Sendable, Hashable {
    /// The name within the listed directory (for S3: the key after the prefix).
    public var name: String
    public var size: Int64
    /// Seconds since 1970.
    public var modified: Double
    public var isRegularFile: Bool
    /// What identifies this version besides size and time, where the server gives one (S3's ETag).
    public var versionTag: String?

    public init(name: String, size: Int64, modified: Double, isRegularFile: Bool = true, versionTag: String? = nil) {
        self.name = name
        self.size = size
        self.modified = modified
        self.isRegularFile = isRegularFile
        self.versionTag = versionTag
    }
}

/// A connection to where the files of a remote drop zone live (an SFTP or FTP server, an S3
/// bucket): what the readers, the writers and the daemon's poller and post-actions do there, the
/// same way for every kind.
///
/// Every call blocks: use a transport from a thread of its own (steps run on threads of their
/// own; the daemon's poller has one), one caller at a time. Paths are the server's: a directory
/// (`remotePath`, an S3 prefix) joined with a name by `path(_:_:)`.
public protocol FileTransport: AnyObject {
    /// Where, for people and the ledger, without secrets: `sftp://user@host:22`, `s3://bucket`.
    var location: String { get }

    /// The entries of `directory`, handed to `each` as they come (listings are paginated where the
    /// protocol allows, never held whole). Names that cannot be used safely (not UTF-8) are passed
    /// to `refused`, shown escaped.
    func list(_ directory: String, each: (TransportEntry) throws(DropsyncError) -> Void, refused: (String) -> Void) throws(DropsyncError)

    /// The entry at `path`; nil when there is none.
    func status(_ path: String) throws(DropsyncError) -> TransportEntry?

    /// Opens `path` for streamed reading; `FILE_NOT_FOUND` when it is gone.
    func open(_ path: String) throws(DropsyncError) -> any TransportDownload

    /// Starts writing `path` so that nobody sees it before `commit` (a temporary name ending in
    /// `temporaryExtension` renamed into place, or an S3 multipart upload); an upload released
    /// without `commit` leaves nothing behind.
    func upload(_ path: String, temporaryExtension: String) throws(DropsyncError) -> any FileUpload

    /// Renames `path` to `target`, creating `target`'s directory where the server needs one; fails
    /// when `target` exists.
    func rename(_ path: String, to target: String) throws(DropsyncError)

    /// Removes `path`; a missing one is no error.
    func remove(_ path: String) throws(DropsyncError)
}

extension FileTransport {
    /// `name` under `directory`.
    public func path(_ directory: String, _ name: String) -> String {
        directory.isEmpty || directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// A remote file being read.
public protocol TransportDownload: AnyObject {
    /// Up to `count` bytes; empty at the end of the file.
    func read(upTo count: Int) throws(DropsyncError) -> [UInt8]
}

/// A file being written where nobody sees it yet: `finish` stores the last bytes, still out of
/// sight, and `commit` puts the file in place under its name; releasing it uncommitted removes
/// what was written (on a throw, on cancellation, when input ends mid-file).
///
/// The writer calls `commit` only after `finish`, and only when the job was not cancelled in
/// between (`FileWriting`): `finish` may wait long for the server, `commit` is the point of no
/// return (a rename, CompleteMultipartUpload).
public protocol FileUpload: AnyObject {
    /// The name it will have, for messages.
    var name: String { get }
    func write(_ chunk: [UInt8]) throws(DropsyncError)
    /// Stores everything written, still where nobody sees it; waits for the server.
    func finish() throws(DropsyncError)
    /// Puts the finished file in place under its name.
    func commit() throws(DropsyncError)
}
