import DropsyncCore

/// An object being downloaded (GetObject) on a thread of its own, its bytes handed over through a
/// bounded pipe (`ThreadedFilter`), so memory stays small whatever the object's size. Released
/// early, the transfer stops.
final class S3Download: TransportDownload {
    private var filter: ThreadedFilter
    /// Bytes taken from the pipe and not yet read.
    private var pending: [UInt8] = []
    private let doing: String

    /// Starts the transfer and waits for its first bytes, so a missing object or a refused key is
    /// an error of `open` (`FILE_NOT_FOUND`, `AUTHENTICATION_FAILED`, …).
    init(bucket: S3Bucket, key: String, doing: String) throws(DropsyncError) {
        self.doing = doing
        filter = ThreadedFilter(name: "s3-download") { pipe in
            let easy = try CurlEasy()
            try bucket.perform(S3Request(method: .get, key: key), on: easy, doing: doing) { pipe.write($0) }
        }
        do {
            try filter.finish()
            pending = try filter.next(maximum: Self.firstPiece) ?? []
        } catch {
            throw Self.failure(error, doing)
        }
    }

    private static let firstPiece = 1 << 20

    func read(upTo count: Int) throws(DropsyncError) -> [UInt8] {
        if pending.isEmpty {
            do {
                return try filter.next(maximum: count) ?? []
            } catch {
                throw Self.failure(error, doing)
            }
        }
        let piece = Array(pending.prefix(count))
        pending.removeFirst(piece.count)
        return piece
    }

    private static func failure(_ error: any Error, _ doing: String) -> DropsyncError {
        error as? DropsyncError ?? DropsyncError("TRANSFER_FAILED", "\(doing): \(error)")
    }
}
