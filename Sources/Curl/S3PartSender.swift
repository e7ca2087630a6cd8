import DropsyncCore
import Foundation

/// Sends the parts of one multipart upload several at a time, each on a thread and a connection of
/// its own, while the writer gathers the next part: a single connection leaves most of the time
/// waiting for the server. At most `concurrency` parts are in flight (`send` waits for room), so
/// memory is bounded by the part size, not the file's.
final class S3PartSender: @unchecked Sendable {
    private let bucket: S3Bucket
    private let key: String
    private let uploadID: String
    private let concurrency: Int
    private let describe: String
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var tags: [Int: String] = [:]
    private var failure: DropsyncError?
    private var inFlight = 0
    /// Handles of finished parts, kept for the connections they hold.
    private var idleHandles: [CurlEasy] = []

    /// Bytes in flight at most: parts of 16 MiB go 4 at a time, larger ones fewer.
    static let inFlightBytes = 64 << 20

    init(bucket: S3Bucket, key: String, uploadID: String, partSize: Int, describe: String) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.describe = describe
        concurrency = max(1, min(4, Self.inFlightBytes / partSize))
    }

    /// Starts sending part `number` (from 1); throws the failure of an earlier part.
    func send(_ number: Int, _ part: [UInt8]) throws(DropsyncError) {
        condition.lock()
        while inFlight >= concurrency && failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        inFlight += 1
        let reused = Handle(easy: idleHandles.popLast())
        condition.unlock()
        let thread = Thread { [self] in
            let outcome = Result { () throws(DropsyncError) in try upload(number, part, reusing: reused.easy) }
            condition.lock()
            switch outcome {
            case .success(let (tag, easy)):
                tags[number] = tag
                idleHandles.append(easy)
            case .failure(let error):
                if failure == nil { failure = error }
            }
            inFlight -= 1
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "s3-part"
        thread.start()
    }

    /// Waits for every part; returns their ETags in part order, or throws the first failure.
    func finish() throws(DropsyncError) -> [String] {
        condition.lock()
        defer { condition.unlock() }
        while inFlight > 0 { condition.wait() }
        if let failure { throw failure }
        return tags.keys.sorted().compactMap { tags[$0] }
    }

    /// Waits for the parts in flight (before the upload is aborted), whatever became of them.
    func settle() {
        condition.lock()
        while inFlight > 0 { condition.wait() }
        condition.unlock()
    }

    private func upload(_ number: Int, _ part: [UInt8], reusing reused: CurlEasy?) throws(DropsyncError) -> (String, CurlEasy) {
        let easy: CurlEasy
        if let reused {
            easy = reused
        } else {
            easy = try CurlEasy()
        }
        let doing = "upload part \(number) of \(describe)"
        let request = S3Request(method: .put, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)])
        let headers = try bucket.exchange(request, body: part, on: easy, doing: doing).headers
        guard let tag = headers["etag"] else { throw DropsyncError("TRANSFER_FAILED", "\(doing): S3 gave the part no ETag") }
        return (tag, easy)
    }

    /// A handle passed to the thread of the next part: used by one thread at a time.
    private struct Handle: @unchecked Sendable {
        let easy: CurlEasy?
    }
}
