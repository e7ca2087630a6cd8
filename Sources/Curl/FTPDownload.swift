import CCurl
import DropsyncCore

/// A file being downloaded (RETR) on a thread of its own, read piece by piece; released early,
/// the transfer is aborted.
final class FTPDownload: TransportDownload {
    private let client: FTPClient
    private var transfer: ThreadedTransfer?
    /// What arrived before the first `read`, left to hand out.
    private var pending: ArraySlice<UInt8> = []
    /// The first piece is waited for at the start, so that a missing file fails the opening.
    static let firstPiece = 64 * 1024

    init(client: FTPClient, path: String) throws(DropsyncError) {
        self.client = client
        try client.prepare(client.url(path))
        client.isTransferring = true
        let transfer = ThreadedTransfer(name: "ftp-download", lending: client) { client, pipe throws(DropsyncError) in
            let outcome = client.perform(receive: { bytes in pipe.write(bytes) })
            try client.check(outcome, doing: "download \(path)")
        }
        self.transfer = transfer
        transfer.endInput()
        pending = try read(upTo: Self.firstPiece)[...]
    }

    deinit { end() }

    /// The next bytes, up to `count`; empty at the end of the file.
    func read(upTo count: Int) throws(DropsyncError) -> [UInt8] {
        if !pending.isEmpty {
            let piece = pending.prefix(count)
            pending = pending.dropFirst(piece.count)
            return Array(piece)
        }
        guard let transfer else { return [] }
        do throws(DropsyncError) {
            if let piece = try transfer.next(maximum: count) { return piece }
        } catch {
            end()
            throw error
        }
        end()
        return []
    }

    /// Stops the transfer where it is (or finds it ended) and gives the handle back to the client.
    private func end() {
        guard let transfer else { return }
        transfer.stop()
        self.transfer = nil
        client.isTransferring = false
    }
}
