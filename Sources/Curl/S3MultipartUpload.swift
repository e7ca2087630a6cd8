import DropsyncCore

/// A file uploaded to S3 in parts of `partSize` bytes (CreateMultipartUpload at the first full
/// part, UploadPart, the last part and the wait for all at `finish`, CompleteMultipartUpload at
/// `commit`); nobody sees the object before it is complete. A file smaller than one part is one
/// PutObject at `commit`. Released uncommitted (a failed or cancelled job, a part refused), the
/// upload is aborted, so no part stays stored. Parts go up several at a time (`S3PartSender`).
final class S3MultipartUpload: FileUpload {
    let name: String
    private let client: S3Client
    private let key: String
    private var part: [UInt8] = []
    private var uploadID: String?
    private var sender: S3PartSender?
    /// Parts handed to the sender (part numbers count from 1).
    private var partsSent = 0
    /// The ETags of the stored parts, in order, once `finish` waited for them.
    private var partTags: [String] = []
    private var committed = false

    /// S3 takes at most this many parts.
    static let maximumParts = 10_000

    init(client: S3Client, key: String) {
        self.client = client
        self.key = key
        name = String(key.split(separator: "/").last ?? "")
    }

    deinit {
        guard !committed, let uploadID else { return }
        sender?.settle()
        _ = try? client.exchange(S3Request(method: .delete, key: key, query: [("uploadId", uploadID)]), doing: "abort \(describe)")
    }

    func write(_ chunk: [UInt8]) throws(DropsyncError) {
        var rest = chunk[...]
        while !rest.isEmpty {
            let taken = rest.prefix(client.partSize - part.count)
            if part.isEmpty { part.reserveCapacity(client.partSize) }
            part += taken
            rest = rest.dropFirst(taken.count)
            if part.count == client.partSize { try uploadPart() }
        }
    }

    /// Sends the last part of a multipart upload and waits for every part to be stored.
    func finish() throws(DropsyncError) {
        guard let sender else { return }
        if !part.isEmpty { try uploadPart() }
        partTags = try sender.finish()
    }

    func commit() throws(DropsyncError) {
        if uploadID == nil {
            try client.exchange(S3Request(method: .put, key: key), body: part, doing: "upload \(describe)")
        } else {
            try complete()
        }
        committed = true
    }

    private var describe: String { client.describe(key) }

    private func uploadPart() throws(DropsyncError) {
        if uploadID == nil {
            let id = try create()
            uploadID = id
            sender = S3PartSender(bucket: client.bucket, key: key, uploadID: id, partSize: client.partSize, describe: describe)
        }
        guard let sender else { return }
        guard partsSent < Self.maximumParts else {
            throw DropsyncError(
                "TRANSFER_FAILED",
                "upload \(describe): S3 takes at most \(Self.maximumParts) parts of \(client.partSize >> 20) MiB; raise partSize")
        }
        partsSent += 1
        try sender.send(partsSent, part)
        part = []
    }

    private func create() throws(DropsyncError) -> String {
        let doing = "start uploading \(describe)"
        let answer = try client.exchange(S3Request(method: .post, key: key, query: [("uploads", "")]), doing: doing)
        guard let id = S3XMLReader.text(at: "InitiateMultipartUploadResult/UploadId", in: answer.body) else {
            throw DropsyncError("TRANSFER_FAILED", "\(doing): S3 gave no upload id")
        }
        return id
    }

    private func complete() throws(DropsyncError) {
        guard let uploadID else { return }
        let parts = partTags.enumerated().map { index, tag in
            "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(tag.replacingXMLSpecials)</ETag></Part>"
        }
        let document = "<CompleteMultipartUpload>" + parts.joined() + "</CompleteMultipartUpload>"
        try client.exchange(
            S3Request(method: .post, key: key, query: [("uploadId", uploadID)], headers: ["Content-Type: application/xml"]),
            body: Array(document.utf8), doing: "complete the upload of \(describe)")
    }
}

extension String {
    /// The text with `&`, `<` and `>` escaped for an XML element.
    fileprivate var replacingXMLSpecials: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
