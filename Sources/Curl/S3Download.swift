import DropsyncCore

/// An object being downloaded (GetObject) on a thread of its own (`ThreadedTransfer`), so memory
/// stays small whatever the object's size. Released early, the transfer stops.
final class S3Download: TransportDownload {
    private let transfer: ThreadedTransfer
    /// Bytes taken from the transfer and not yet read.
    private var pending: [UInt8] = []

    /// Starts the transfer and waits for its first bytes, so a missing object or a refused key is
    /// an error of `open` (`FILE_NOT_FOUND`, `AUTHENTICATION_FAILED`, …).
    init(bucket: S3Bucket, key: String, doing: String) throws(DropsyncError) {
        transfer = ThreadedTransfer(name: "s3-download", lending: try CurlEasy()) { easy, pipe throws(DropsyncError) in
            try bucket.perform(S3Request(method: .get, key: key), on: easy, doing: doing) { pipe.write($0) }
        }
        transfer.endInput()
        pending = try transfer.next(maximum: Self.firstPiece) ?? []
    }

    private static let firstPiece = 1 << 20

    func read(upTo count: Int) throws(DropsyncError) -> [UInt8] {
        guard !pending.isEmpty else { return try transfer.next(maximum: count) ?? [] }
        let piece = Array(pending.prefix(count))
        pending.removeFirst(piece.count)
        return piece
    }
}
