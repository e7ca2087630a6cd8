import DropsyncCore
import DropsyncStore
import Foundation
import Testing

@Suite("Shared account import")
struct SharedAccountImportTests {
    let fixture: StoreFixture
    let shared: SharedAccountImport

    init() throws {
        fixture = try StoreFixture()
        shared = SharedAccountImport(store: fixture.accounts)
    }

    @Test("holders share one transaction, and it commits when the last one releases")
    func lastHolderCommits() async throws {
        let first = try await shared.acquire()
        let second = try await shared.acquire()
        _ = try await first.write([record(#"{"UID":"a"}"#)])
        _ = try await second.write([record(#"{"UID":"b"}"#)])
        try await shared.release(succeeded: true)
        #expect(try fixture.accounts.count() == 0)
        try await shared.release(succeeded: true)
        #expect(try fixture.accounts.count() == 2)
    }

    @Test("one failed holder rolls back what every holder wrote")
    func failedHolderRollsBack() async throws {
        let first = try await shared.acquire()
        let second = try await shared.acquire()
        _ = try await first.write([record(#"{"UID":"a"}"#)])
        _ = try await second.write([record(#"{"UID":"b"}"#)])
        try await shared.release(succeeded: false)
        try await shared.release(succeeded: true)
        #expect(try fixture.accounts.count() == 0)
        let next = try await fixture.accounts.beginImport()
        await next.rollback()
    }

    @Test("a holder cancelled while the import begins leaves the shared import usable")
    func cancelledAcquire() async throws {
        let blocker = try await fixture.accounts.beginImport()
        let waiting = Task { try await shared.acquire() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        await blocker.rollback()
        let next = try await shared.acquire()
        _ = try await next.write([record(#"{"UID":"c"}"#)])
        try await shared.release(succeeded: true)
        #expect(try fixture.accounts.count() == 1)
    }
}
