import Foundation
import Synchronization

/// The account import the writer steps of one job share.
///
/// SQLite has one writer: two `datasource.write.account` steps of one job (a fan-out, or an
/// `insert` writer whose error path feeds an `update` writer) that each began an import of their
/// own would wait on each other forever. So they share one:
/// - with a single writer step, each source file commits on its own at its `sourceDone`;
/// - with several, one step may still be writing a file another has finished, so the job's
///   writes commit together when the last writer step ends, and roll back if any of them failed.
/// Either way no file is ever half-applied. A dry run ends each transaction the same way, but
/// rolls it back: it holds the store's writer no longer than a real run does, and each file is
/// counted against the store as it was.
public final class SharedAccountImport: Sendable {
    /// The type of the component that writes through this import.
    public static let writerType = "datasource.write.account"

    private struct State {
        var current: Task<AccountImport, any Error>?
        var ended = 0
        var failed = false
    }

    private let store: AccountStore
    private let writers: Int
    private let dryRun: Bool
    private let state = Mutex(State())

    /// `writers`: how many account-writer steps the job runs; each must call `end` once.
    /// `dryRun`: roll back instead of committing.
    public init(store: AccountStore, writers: Int = 1, dryRun: Bool = false) {
        self.store = store
        self.writers = max(1, writers)
        self.dryRun = dryRun
    }

    /// Whether each source file's transaction ends at its `sourceDone` (one writer step) or with
    /// the job.
    public var commitsPerFile: Bool { writers == 1 }

    /// Whether a file whose transaction ended is in the store (not in a dry run).
    public var commits: Bool { !dryRun }

    /// The open import, begun by the first writer that needs it.
    public func acquire() async throws -> AccountImport {
        let opening: Task<AccountImport, any Error> = state.withLock { state in
            if let current = state.current { return current }
            let store = store
            let begun = Task { try await store.beginImport() }
            state.current = begun
            return begun
        }
        do {
            return try await withTaskCancellationHandler {
                try await opening.value
            } onCancel: {
                opening.cancel()
            }
        } catch {
            // A begin that failed must not be handed to the next caller.
            state.withLock { state in if state.current == opening { state.current = nil } }
            throw error
        }
    }

    /// A writer step passed a file's `sourceDone`: with one writer, the file commits now.
    public func fileDone() async throws {
        guard commitsPerFile else { return }
        try await close(commit: true)
    }

    /// A writer step ended; the last one out commits, or rolls back if any failed.
    public func end(succeeded: Bool) async throws {
        let commit: Bool? = state.withLock { state in
            state.ended += 1
            if !succeeded { state.failed = true }
            return state.ended >= writers ? !state.failed : nil
        }
        if let commit { try await close(commit: commit) }
    }

    private func close(commit: Bool) async throws {
        guard let opening = state.withLock({ $0.current.take() }) else { return }
        guard let session = try? await opening.value else { return }
        if commit && !dryRun { try await session.commit() } else { await session.rollback() }
    }
}
