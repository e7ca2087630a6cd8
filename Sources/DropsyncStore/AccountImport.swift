import DropsyncCore
import Foundation
import class GRDB.DatabasePool
import Synchronization

/// An open import into the account store: one write transaction held across many batches,
/// committed (or rolled back) as a unit — the unit of atomicity is the source file.
///
/// Design: the transaction lives on a thread of its own, never on Swift's cooperative pool. That
/// thread takes GRDB's writer connection (`writeWithoutTransaction`, so other writes queue behind
/// the import), opens an immediate transaction, then loops taking requests from a blocking
/// mailbox: each `write` hands its batch over and awaits the result through a continuation;
/// `commit` or `rollback` ends the transaction and the thread. An import dropped without either
/// rolls back. After a failed `write` the import has already rolled back; later calls throw.
public final class AccountImport: Sendable {
    private let mailbox: ImportMailbox

    private init(mailbox: ImportMailbox) { self.mailbox = mailbox }

    deinit { mailbox.post(.rollback(nil)) }

    static func begin(pool: DatabasePool, policy: AccountImportPolicy, now: Date) async throws -> AccountImport {
        try Task.checkCancellation()
        let mailbox = ImportMailbox()
        let started = StartSignal()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                started.install(continuation)
                let thread = Thread {
                    Thread.current.name = "account-import"  // named from inside: the kernel sees it too
                    ImportWorker(mailbox: mailbox, started: started).run(pool: pool, policy: policy, now: now)
                }
                thread.start()
            }
        } onCancel: {
            // Give up waiting for the writer; the worker rolls back as soon as it gets it.
            mailbox.post(.rollback(nil))
            started.resume(with: .failure(CancellationError()))
        }
        return AccountImport(mailbox: mailbox)
    }

    /// Merges a batch into the store, inside the import's transaction. A thrown error means the
    /// import has rolled back.
    public func write(_ batch: [Record]) async throws -> AccountWriteResult {
        try await submit(AccountPatches(batch)).result()
    }

    /// Queues an encoded batch and returns at once, so the caller can encode the next batch while
    /// this one is written; batches are written in the order submitted. `policy` overrides the
    /// import's own (writers of one job share an import, each with its policy).
    public func submit(_ batch: AccountPatches, policy: AccountImportPolicy? = nil) -> PendingAccountWrite {
        let pending = PendingAccountWrite()
        mailbox.post(.write(batch, policy, pending))
        return pending
    }

    /// Commits everything written so far and ends the import.
    public func commit() async throws {
        try await withCheckedThrowingContinuation { mailbox.post(.commit($0)) }
    }

    /// Discards everything written so far and ends the import (nothing happens when it has ended).
    public func rollback() async {
        await withCheckedContinuation { mailbox.post(.rollback($0)) }
    }
}

/// The requests an import's thread serves, in order.
enum ImportRequest: Sendable {
    case write(AccountPatches, AccountImportPolicy?, PendingAccountWrite)
    case commit(CheckedContinuation<Void, any Error>)
    case rollback(CheckedContinuation<Void, Never>?)

    /// Answers a request that arrives after the import ended.
    func refuse(_ error: any Error) {
        switch self {
        case .write(_, _, let pending): pending.finish(.failure(error))
        case .commit(let continuation): continuation.resume(throwing: error)
        case .rollback(let continuation): continuation?.resume()
        }
    }
}

/// A blocking queue from async callers to the import's thread.
final class ImportMailbox: Sendable {
    private struct State {
        var requests: [ImportRequest] = []
        var ended: (any Error)?
    }
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// Queues a request, or refuses it at once when the import has ended.
    func post(_ request: ImportRequest) {
        let refusal = state.withLock { state -> (any Error)? in
            if let ended = state.ended { return ended }
            state.requests.append(request)
            return nil
        }
        if let refusal { request.refuse(refusal) } else { available.signal() }
    }

    /// The next request; blocks the calling thread until there is one.
    func take() -> ImportRequest {
        available.wait()
        return state.withLock { $0.requests.removeFirst() }
    }

    /// Ends the mailbox: queued and later requests are refused with `reason`.
    func close(reason: any Error) {
        let left = state.withLock { state -> [ImportRequest] in
            state.ended = reason
            defer { state.requests = [] }
            return state.requests
        }
        for request in left { request.refuse(reason) }
    }
}

/// The result of one submitted batch, delivered by the import's thread to whoever awaits it.
public final class PendingAccountWrite: Sendable {
    private struct State {
        var result: Result<AccountWriteResult, any Error>?
        var waiter: CheckedContinuation<AccountWriteResult, any Error>?
    }
    private let state = Mutex(State())

    /// Waits until the batch has been written (or refused; a thrown error means the import rolled back).
    public func result() async throws -> AccountWriteResult {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    func finish(_ result: Result<AccountWriteResult, any Error>) {
        let waiter = state.withLock { state in
            state.result = result
            return state.waiter.take()
        }
        waiter?.resume(with: result)
    }
}

/// Resumes the caller of `begin` once, whichever comes first: the transaction opened, the worker
/// failed, or the caller was cancelled.
///
/// The first outcome wins even when it comes before the caller's continuation is installed (a
/// cancellation racing the start), so a cancelled `begin` never returns an import.
final class StartSignal: Sendable {
    private struct State {
        var waiting: CheckedContinuation<Void, any Error>?
        var outcome: Result<Void, any Error>?
    }
    private let state = Mutex(State())

    func install(_ waiting: CheckedContinuation<Void, any Error>) {
        let decided = state.withLock { state in
            if state.outcome == nil { state.waiting = waiting }
            return state.outcome
        }
        if let decided { waiting.resume(with: decided) }
    }

    func resume(with result: Result<Void, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = result
            return state.waiting.take()
        }
        waiting?.resume(with: result)
    }
}

/// The body of an import's thread.
private struct ImportWorker {
    let mailbox: ImportMailbox
    let started: StartSignal

    func run(pool: DatabasePool, policy: AccountImportPolicy, now: Date) {
        var ending: ImportRequest?
        var failure: (any Error)?
        do {
            try pool.writeWithoutTransaction { db in
                var writers = [policy: try AccountBatchWriter(db, policy: policy, now: now)]
                try db.inTransaction(.immediate) {
                    started.resume(with: .success(()))
                    while true {
                        let request = mailbox.take()
                        switch request {
                        case .write(let batch, let requested, let pending):
                            do {
                                let chosen = requested ?? policy
                                if writers[chosen] == nil { writers[chosen] = try AccountBatchWriter(db, policy: chosen, now: now) }
                                pending.finish(.success(try writers[chosen]!.write(batch)))
                            } catch {
                                failure = error
                                pending.finish(.failure(error))
                                return .rollback
                            }
                        case .commit:
                            ending = request
                            return .commit
                        case .rollback:
                            ending = request
                            return .rollback
                        }
                    }
                }
            }
        } catch {
            started.resume(with: .failure(error))
            failure = failure ?? error
            if case .commit(let continuation) = ending {
                continuation.resume(throwing: error)
                ending = nil
            }
        }
        mailbox.close(reason: failure.map { error in
            DropsyncError("ACCOUNT_IMPORT_ENDED", "the account import was rolled back after an error: \(error)")
        } ?? DropsyncError("ACCOUNT_IMPORT_ENDED", "the account import has already ended"))
        switch ending {
        case .commit(let continuation): continuation.resume()
        case .rollback(let continuation): continuation?.resume()
        case .write, nil: break
        }
    }
}
