import DropsyncCore
import DropsyncStore
import Foundation
import Testing

@Suite("Shared account import")
struct SharedAccountImportTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    @Test("with one writer, each file commits at its sourceDone")
    func oneWriterCommitsPerFile() async throws {
        let shared = SharedAccountImport(store: fixture.accounts, writers: 1)
        _ = try await shared.acquire().write([record(#"{"UID":"a"}"#)])
        #expect(try fixture.accounts.count() == 0)
        try await shared.fileDone()
        #expect(try fixture.accounts.count() == 1)
        _ = try await shared.acquire().write([record(#"{"UID":"b"}"#)])
        try await shared.end(succeeded: false)
        #expect(try fixture.accounts.count() == 1)
    }

    @Test("several writers share one transaction that commits when the last one ends")
    func lastWriterCommits() async throws {
        let shared = SharedAccountImport(store: fixture.accounts, writers: 2)
        let first = try await shared.acquire()
        let second = try await shared.acquire()
        _ = try await first.write([record(#"{"UID":"a"}"#)])
        _ = try await second.write([record(#"{"UID":"b"}"#)])
        try await shared.fileDone()
        try await shared.end(succeeded: true)
        #expect(try fixture.accounts.count() == 0)
        try await shared.end(succeeded: true)
        #expect(try fixture.accounts.count() == 2)
    }

    @Test("one failed writer rolls back what every writer wrote")
    func failedWriterRollsBack() async throws {
        let shared = SharedAccountImport(store: fixture.accounts, writers: 2)
        _ = try await shared.acquire().write([record(#"{"UID":"a"}"#)])
        _ = try await shared.acquire().write([record(#"{"UID":"b"}"#)])
        try await shared.end(succeeded: false)
        try await shared.end(succeeded: true)
        #expect(try fixture.accounts.count() == 0)
        let next = try await fixture.accounts.beginImport()
        await next.rollback()
    }

    @Test("a writer cancelled while the import begins leaves the shared import usable")
    func cancelledAcquire() async throws {
        let shared = SharedAccountImport(store: fixture.accounts, writers: 1)
        let blocker = try await fixture.accounts.beginImport()
        let waiting = Task { try await shared.acquire() }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        await blocker.rollback()
        _ = try await shared.acquire().write([record(#"{"UID":"c"}"#)])
        try await shared.fileDone()
        #expect(try fixture.accounts.count() == 1)
    }
}
