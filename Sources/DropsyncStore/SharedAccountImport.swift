import Foundation
import Synchronization

/// The one account import the writer steps of a job share.
///
/// SQLite has one writer: two `datasource.write.account` steps of one job (a fan-out, or an
/// `insert` writer whose error path feeds an `update` writer) that each began their own import
/// would wait on each other forever. Sharing one transaction, they never wait: each step acquires
/// the import for a source file and releases it at that file's `sourceDone`; the transaction
/// commits when the last holder releases it, and rolls back instead when any holder failed — so
/// the writes made for a file commit together or not at all.
public final class SharedAccountImport: Sendable {
    private struct State {
        var current: Task<AccountImport, any Error>?
        var holders = 0
        var failed = false
    }

    private let store: AccountStore
    private let state = Mutex(State())

    public init(store: AccountStore) { self.store = store }

    /// The open import, begun by the first holder; every `acquire` needs one `release`.
    public func acquire() async throws -> AccountImport {
        let opening: Task<AccountImport, any Error> = state.withLock { state in
            state.holders += 1
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
            // The hold was never had: give it back, so the import does not stay open for it.
            try? await release(succeeded: false)
            throw error
        }
    }

    /// Gives the import back; `succeeded: false` (the holder failed) dooms it to roll back. The
    /// last holder out commits or rolls back.
    public func release(succeeded: Bool) async throws {
        let ending: (Task<AccountImport, any Error>, commit: Bool)? = state.withLock { state in
            state.holders -= 1
            if !succeeded { state.failed = true }
            guard state.holders == 0, let current = state.current else { return nil }
            defer {
                state.current = nil
                state.failed = false
            }
            return (current, !state.failed)
        }
        guard let (opening, commit) = ending else { return }
        let session: AccountImport
        do {
            session = try await opening.value
        } catch {
            if commit { throw error }
            return
        }
        if commit { try await session.commit() } else { await session.rollback() }
    }
}
