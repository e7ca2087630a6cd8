/// One file of a drop zone as listed (lstat/stat), before any readiness judgement.
///
/// Two listings of the same path with the same size and mtime are the same version of the file.
public struct ListedFile: Sendable, Hashable {
    public var name: String
    /// The drop zone's directory + "/" + `name`.
    public var path: String
    public var size: Int64
    /// Seconds since 1970, with nanoseconds.
    public var modified: Double
    /// A remote server's tag of this version (S3's ETag), recorded in the ledger.
    public var versionTag: String?

    public init(name: String, path: String, size: Int64, modified: Double, versionTag: String? = nil) {
        self.name = name
        self.path = path
        self.size = size
        self.modified = modified
        self.versionTag = versionTag
    }
}
