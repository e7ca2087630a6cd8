import DropsyncCore

/// A connection to an S3 bucket as a `FileTransport`: a "directory" is a key prefix (`inbox` or
/// `inbox/` both mean the keys `inbox/…`), its files the keys right under it. Listings are paged
/// (ListObjectsV2, continuation tokens), downloads streamed, uploads multipart. Every call blocks:
/// use it from a thread of its own, one caller at a time.
public final class S3Client: FileTransport {
    public let bucket: S3Bucket
    /// Bytes per part of a multipart upload; a smaller file is one PutObject.
    let partSize: Int
    /// The handle of every request but downloads (which run on threads of their own), so the
    /// connection is reused.
    private let easy: CurlEasy

    /// S3's smallest part (but the last).
    public static let minimumPartSize = 5 << 20

    /// Makes no request yet: a wrong key or a missing bucket shows at the first call.
    public init(bucket: S3Bucket, partSize: Int = 16 << 20) throws(DropsyncError) {
        self.bucket = bucket
        self.partSize = max(partSize, Self.minimumPartSize)
        easy = try CurlEasy()
    }

    public var location: String { bucket.location }

    /// The objects right under `directory`, a page (up to 1,000 keys) at a time; deeper keys are
    /// folded away by the `/` delimiter. Keys that are not UTF-8 go to `refused`.
    public func list(
        _ directory: String, each: (TransportEntry) throws(DropsyncError) -> Void, refused: (String) -> Void
    ) throws(DropsyncError) {
        let prefix = directory.isEmpty || directory.hasSuffix("/") ? directory : directory + "/"
        var token: String?
        repeat {
            var query = [(name: "list-type", value: "2"), ("prefix", prefix), ("delimiter", "/"), ("encoding-type", "url")]
            if let token { query.append(("continuation-token", token)) }
            let doing = "list \(location)/\(prefix)"
            let answer = try exchange(S3Request(method: .get, query: query), doing: doing)
            guard let page = S3ListingPage(answer.body) else {
                throw DropsyncError("TRANSFER_FAILED", "\(doing): the answer is not an S3 listing")
            }
            for object in page.objects where object.key.starts(with: prefix.utf8) && object.key.count > prefix.utf8.count {
                let name = object.key.dropFirst(prefix.utf8.count)
                guard let text = String(validating: name, as: UTF8.self) else {
                    refused(String(decoding: name, as: UTF8.self).debugDescription)
                    continue
                }
                try each(TransportEntry(name: text, size: object.size, modified: object.modified, versionTag: object.eTag))
            }
            token = page.nextContinuationToken
        } while token != nil
    }

    /// The object at `path` (HeadObject); nil when there is none.
    public func status(_ path: String) throws(DropsyncError) -> TransportEntry? {
        do {
            let headers = try exchange(S3Request(method: .head, key: path), doing: "read the status of \(describe(path))").headers
            return TransportEntry(
                name: String(path.split(separator: "/").last ?? ""), size: Int64(headers["content-length"] ?? "") ?? 0,
                modified: headers["last-modified"].flatMap(S3Timestamp.httpDate) ?? 0,
                versionTag: headers["etag"].flatMap(S3ETag.unquoted))
        } catch where error.code == "FILE_NOT_FOUND" {
            return nil
        }
    }

    /// Starts streaming the object at `path` (GetObject) on a thread of its own.
    public func open(_ path: String) throws(DropsyncError) -> any TransportDownload {
        try S3Download(bucket: bucket, key: path, doing: "download \(describe(path))")
    }

    /// A multipart upload to `path`, invisible until committed. `temporaryExtension` is not used:
    /// S3 shows no object before the upload completes.
    public func upload(_ path: String, temporaryExtension: String) throws(DropsyncError) -> any FileUpload {
        S3MultipartUpload(client: self, key: path)
    }

    /// Copies `path` to `target` (CopyObject), then deletes `path`; fails when `target` exists.
    /// S3 copies objects of up to 5 GB this way.
    public func rename(_ path: String, to target: String) throws(DropsyncError) {
        let doing = "rename \(describe(path)) to \(target)"
        guard try status(target) == nil else { throw DropsyncError("TRANSFER_FAILED", "\(doing): \(target) already exists") }
        let source = "/" + S3Request.encoded(bucket.name + "/" + path, keepingSlashes: true)
        try exchange(S3Request(method: .put, key: target, headers: ["x-amz-copy-source: " + source]), doing: doing)
        try remove(path)
    }

    /// Deletes the object at `path` (DeleteObject); a missing one is no error.
    public func remove(_ path: String) throws(DropsyncError) {
        do {
            try exchange(S3Request(method: .delete, key: path), doing: "remove \(describe(path))")
        } catch where error.code == "FILE_NOT_FOUND" {
            return
        }
    }

    /// Sends `request` with `body` on the client's handle (`S3Bucket.exchange`).
    @discardableResult
    func exchange(_ request: S3Request, body: [UInt8] = [], doing: String) throws(DropsyncError) -> (headers: [String: String], body: [UInt8]) {
        try bucket.exchange(request, body: body, on: easy, doing: doing)
    }

    /// A key as messages show it: `s3://bucket/key`.
    func describe(_ key: String) -> String { location + "/" + key }
}
