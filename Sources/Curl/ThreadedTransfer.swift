import DropsyncCore
import Foundation

/// One `perform` of a `CurlEasy` run on a thread of its own, its bytes handed over through a
/// `ThreadedFilter` pipe, so a download can be read and an upload written piece by piece while
/// libcurl's blocking call runs: at most a few chunks and half a MiB wait in between, however
/// large the file.
///
/// The handle's owner is lent to the thread until the transfer ends; `stop` (and releasing the transfer)
/// abandons the pipe, so libcurl's callbacks fail and the transfer aborts, then waits for the
/// thread, so the owner can use the handle again afterwards.
final class ThreadedTransfer {
    private var filter: ThreadedFilter?
    private let ended = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts `work` on a thread named `name`, with `owner` (what holds the handle) lent to it;
    /// what it throws comes out of `next`, `feed` or `finish`.
    init<Owner: AnyObject>(name: String, lending owner: Owner, work: @escaping (Owner, ThreadedFilter.Pipe) throws(DropsyncError) -> Void) {
        let lent = Lent(owner: owner, work: work)
        let ended = ended
        filter = ThreadedFilter(name: name) { pipe in
            defer { ended.signal() }
            try lent.work(lent.owner, pipe)
        }
    }

    deinit { stop() }

    /// Tells the transfer that no input comes (a download), or no more (an upload).
    func endInput() {
        try? filter?.finish()
    }

    /// The next piece of what the transfer receives, up to `maximum` bytes; nil at its end.
    /// A transfer that receives is given no input: call `endInput` first.
    func next(maximum: Int) throws(DropsyncError) -> [UInt8]? {
        try Self.checked { () throws in try filter?.next(maximum: maximum) }
    }

    /// Queues `chunk` for the transfer to send, waiting while enough is queued already.
    func feed(_ chunk: [UInt8]) throws(DropsyncError) {
        try Self.checked { () throws in
            // A transfer that only sends has no output: `next` returns as soon as there is room.
            _ = try filter?.next(maximum: 1)
            try filter?.feed(chunk)
        }
    }

    /// Ends the input and waits for the transfer to end, throwing its error.
    func finish() throws(DropsyncError) {
        endInput()
        try Self.checked { () throws in
            while try filter?.next(maximum: 1 << 20) != nil {}
        }
        join()
    }

    /// Abandons the transfer (its callbacks fail, libcurl aborts it) and waits for its thread.
    func stop() {
        filter = nil
        join()
    }

    private func join() {
        guard !joined else { return }
        ended.wait()
        joined = true
    }

    private static func checked<Result>(_ body: () throws -> Result) throws(DropsyncError) -> Result {
        do {
            return try body()
        } catch let error as DropsyncError {
            throw error
        } catch {
            throw DropsyncError("TRANSFER_FAILED", "\(error)")
        }
    }

    /// The owner of the handle and the work, handed to the transfer's thread: the owner is used
    /// there only until the thread ends, and its caller waits for that (`join`) before using it
    /// again.
    private struct Lent<Owner: AnyObject>: @unchecked Sendable {
        let owner: Owner
        let work: (Owner, ThreadedFilter.Pipe) throws(DropsyncError) -> Void
    }
}
