import DropsyncCore
import DropsyncStore
import Foundation
import Testing

@Suite("Ledger store")
struct LedgerStoreTests {
    let file = FileInfo(name: "a.csv", path: "/drop/a.csv", location: "local:/drop", size: 100, modified: 1_794_999_000)
    let seen = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("a new file gets an entry with its first sighting")
    func firstRecordCreates() async throws {
        let fixture = try StoreFixture()
        try await fixture.database.ledger.record(
            file, status: .seen, job: nil, contentHash: nil, error: nil, at: seen)
        let entry = try #require(try fixture.database.ledger.entry(location: "local:/drop", path: "/drop/a.csv"))
        #expect(entry.status == .seen)
        #expect(entry.size == 100)
        #expect(entry.firstSeen == seen)
        #expect(entry.updatedAt == seen)
        #expect(entry.attempts == 0)
    }

    @Test("later records update the same entry, count claims and keep what they do not name")
    func upsertKeepsHistory() async throws {
        let fixture = try StoreFixture()
        let ledger = fixture.database.ledger
        try await ledger.record(file, status: .ready, job: nil, contentHash: nil, error: nil, readyReason: "stable size", at: seen)
        try await ledger.record(file, status: .claimed, job: "7", contentHash: "sha256:ab", error: nil, at: seen + 1)
        try await ledger.record(file, status: .failed, job: nil, contentHash: nil, error: "bad key", at: seen + 2)
        try await ledger.record(file, status: .claimed, job: "8", contentHash: nil, error: nil, at: seen + 3)
        let entry = try #require(try ledger.entry(location: file.location, path: file.path))
        #expect(entry.status == .claimed)
        #expect(entry.attempts == 2)
        #expect(entry.job == "8")
        #expect(entry.contentHash == "sha256:ab")
        #expect(entry.readyReason == "stable size")
        #expect(entry.lastError == "bad key")
        #expect(entry.firstSeen == seen)
        #expect(entry.updatedAt == seen + 3)
        #expect(try ledger.list(dataflow: nil, status: nil, limit: 10).count == 1)
    }

    @Test("success clears the last error")
    func successClearsError() async throws {
        let fixture = try StoreFixture()
        let ledger = fixture.database.ledger
        try await ledger.record(file, status: .failed, job: nil, contentHash: nil, error: "timeout", at: seen)
        try await ledger.record(file, status: .succeeded, job: nil, contentHash: nil, error: nil, at: seen + 1)
        #expect(try ledger.entry(location: file.location, path: file.path)?.lastError == nil)
    }

    @Test("a job's outcome does not overwrite a newer version of the file that arrived meanwhile")
    func newerVersionKept() async throws {
        let fixture = try StoreFixture()
        let ledger = fixture.database.ledger
        var newer = file
        newer.size = 7
        newer.modified = (file.modified ?? 0) + 60
        try await ledger.record(newer, status: .ready, job: nil, contentHash: nil, error: nil, readyReason: "renamed in", at: seen)
        try await ledger.record(file, status: .succeeded, job: nil, contentHash: nil, error: nil, at: seen + 1)
        let kept = try #require(try ledger.entry(location: file.location, path: file.path))
        #expect(kept.status == .ready)
        #expect(kept.size == 7)
        var newest = newer
        newest.modified = (newer.modified ?? 0) + 60
        try await ledger.record(newest, status: .succeeded, job: nil, contentHash: nil, error: nil, at: seen + 2)
        #expect(try ledger.entry(location: file.location, path: file.path)?.status == .succeeded)
    }

    @Test("the list is most recently updated first, and can be of one location (a zone takes no file run --file recorded elsewhere)")
    func listOrder() async throws {
        let fixture = try StoreFixture()
        let ledger = fixture.database.ledger
        var elsewhere = file
        elsewhere.location = "local:/home/operator"
        elsewhere.path = "/home/operator/b.csv"
        try await ledger.record(file, status: .seen, job: nil, contentHash: nil, error: nil, at: seen)
        try await ledger.record(elsewhere, status: .seen, job: nil, contentHash: nil, error: nil, at: seen + 1)
        #expect(try ledger.list(dataflow: nil, status: nil, limit: 10).map(\.path) == [elsewhere.path, file.path])
        #expect(try ledger.list(dataflow: nil, status: .seen, location: file.location, limit: 10).map(\.path) == [file.path])
        #expect(try ledger.entry(location: file.location, path: "/drop/missing.csv") == nil)
    }

    @Test("a file seen again in the same version says what it waits for now")
    func seenReasonFollows() async throws {
        let ledger = try StoreFixture().database.ledger
        let seenFile = DropZoneFile(dataflow: "fans", location: file.location, path: file.path, size: 100, modified: 1_794_999_000)
        _ = try await ledger.observe(seenFile, status: .seen, reason: "waiting for the next poll to find it unchanged", at: seen)
        _ = try await ledger.observe(seenFile, status: .seen, reason: "waiting for polls to find it unchanged for 30s", at: seen + 1)
        #expect(try ledger.entry(location: file.location, path: file.path)?.readyReason == "waiting for polls to find it unchanged for 30s")
    }
}
