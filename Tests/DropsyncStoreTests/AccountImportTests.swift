import DropsyncCore
import DropsyncStore
import Foundation
import Testing

@Suite("Account imports")
struct AccountImportTests {
    @Test("upsert counts inserted, updated and unchanged records")
    func upsertCounts() async throws {
        let fixture = try StoreFixture()
        try await fixture.importAccounts([record(#"{"UID":"a","n":1}"#), record(#"{"UID":"b","n":1}"#)])
        let result = try await fixture.importAccounts([
            record(#"{"UID":"a","n":2}"#), record(#"{"UID":"b","n":1}"#), record(#"{"UID":"c","n":1}"#),
        ])
        #expect(result.inserted == 1)
        #expect(result.updated == 1)
        #expect(result.unchanged == 1)
        #expect(try fixture.accounts.count() == 3)
    }

    @Test("the same UID twice in one import is an insert then an update")
    func sameUIDTwice() async throws {
        let fixture = try StoreFixture()
        let result = try await fixture.importAccounts([record(#"{"UID":"a","n":1}"#), record(#"{"UID":"a","m":2}"#)])
        #expect(result.inserted == 1)
        #expect(result.updated == 1)
        #expect(try fixture.document("a") == record(#"{"n":1,"m":2}"#))
    }

    @Test("insert policy rejects existing UIDs with ACCOUNT_EXISTS")
    func insertPolicy() async throws {
        let fixture = try StoreFixture()
        try await fixture.importAccounts([record(#"{"UID":"a","n":1}"#)])
        let result = try await fixture.importAccounts(
            [record(#"{"UID":"a","n":2}"#), record(#"{"UID":"b","n":1}"#)], policy: .insert)
        #expect(result.inserted == 1)
        #expect(result.rejected.map(\.index) == [0])
        #expect(result.rejected.map(\.rejection.code) == ["ACCOUNT_EXISTS"])
        #expect(try fixture.document("a") == record(#"{"n":1}"#))
    }

    @Test("update policy rejects unknown UIDs with ACCOUNT_NOT_FOUND")
    func updatePolicy() async throws {
        let fixture = try StoreFixture()
        try await fixture.importAccounts([record(#"{"UID":"a","n":1}"#), record(#"{"UID":"b","n":1}"#)])
        let result = try await fixture.importAccounts(
            [record(#"{"UID":"a","n":2}"#), record(#"{"UID":"b","n":1}"#), record(#"{"UID":"c","n":1}"#)], policy: .update)
        #expect(result.updated == 1)
        #expect(result.unchanged == 1)
        #expect(result.rejected.map(\.index) == [2])
        #expect(result.rejected.map(\.rejection.code) == ["ACCOUNT_NOT_FOUND"])
        #expect(try fixture.accounts.get(uid: "c") == nil)
    }

    @Test("records without a usable UID are rejected with MISSING_UID", arguments: [
        #"{"n":1}"#, #"{"UID":"","n":1}"#, #"{"UID":"  \t"}"#, #"{"UID":null}"#, #"{"UID":1.5}"#, #"{"UID":{"a":1}}"#,
    ])
    func missingUID(_ json: String) async throws {
        let fixture = try StoreFixture()
        let result = try await fixture.importAccounts([record(json)])
        #expect(result.rejected.map(\.rejection.code) == ["MISSING_UID"])
        #expect(try fixture.accounts.count() == 0)
    }

    @Test("records that set a field the store keeps itself are rejected with RESERVED_FIELD", arguments: [
        "created", "createdTimestamp", "lastUpdated", "lastUpdatedTimestamp",
    ])
    func reservedField(_ name: String) async throws {
        let fixture = try StoreFixture()
        let result = try await fixture.importAccounts([record(#"{"UID":"a","\#(name)":"1999"}"#), record(#"{"UID":"b","data":{"\#(name)":1}}"#)])
        #expect(result.rejected.map(\.index) == [0])
        #expect(result.rejected.map(\.rejection.code) == ["RESERVED_FIELD"])
        #expect(result.rejected.first?.rejection.message.contains(name) == true)
        #expect(try fixture.accounts.count() == 1)
    }

    @Test("a rolled-back import leaves nothing")
    func rollbackLeavesNothing() async throws {
        let fixture = try StoreFixture()
        let session = try await fixture.accounts.beginImport()
        _ = try await session.write([record(#"{"UID":"a"}"#), record(#"{"UID":"b"}"#)])
        await session.rollback()
        #expect(try fixture.accounts.count() == 0)
        await #expect(throws: DropsyncError.self) { try await session.commit() }
    }

    @Test("an import dropped without commit rolls back and frees the writer")
    func droppedImportRollsBack() async throws {
        let fixture = try StoreFixture()
        do {
            let session = try await fixture.accounts.beginImport()
            _ = try await session.write([record(#"{"UID":"a"}"#)])
        }
        try await fixture.importAccounts([record(#"{"UID":"b"}"#)])
        #expect(try fixture.accounts.get(uid: "a") == nil)
        #expect(try fixture.accounts.count() == 1)
    }

    @Test("one import commits many batches at once, and readers see none of them before")
    func commitAcrossBatches() async throws {
        let fixture = try StoreFixture()
        let session = try await fixture.accounts.beginImport()
        var total = AccountWriteResult()
        for batch in 0..<5 {
            let records = (0..<100).map { index in record(#"{"UID":"u\#(batch)-\#(index)","n":\#(index)}"#) }
            total.add(try await session.write(records))
            #expect(try fixture.accounts.count() == 0)
        }
        try await session.commit()
        #expect(total.inserted == 500)
        #expect(try fixture.accounts.count() == 500)
        #expect(try fixture.document("u4-99") == record(#"{"n":99}"#))
    }

    @Test("other writes wait for an open import and then proceed")
    func writersQueueBehindImport() async throws {
        let fixture = try StoreFixture()
        let session = try await fixture.accounts.beginImport()
        _ = try await session.write([record(#"{"UID":"a"}"#)])
        async let job = fixture.database.jobs.start(dataflow: "import", trigger: "file", startedAt: Date())
        try await session.commit()
        #expect(try await !job.isEmpty)
        #expect(try fixture.accounts.count() == 1)
    }

    @Test("an import started while another is open begins after it ends")
    func importsQueue() async throws {
        let fixture = try StoreFixture()
        let first = try await fixture.accounts.beginImport()
        _ = try await first.write([record(#"{"UID":"a","n":1}"#)])
        async let second = fixture.importAccounts([record(#"{"UID":"a","n":2}"#)])
        try await first.commit()
        #expect(try await second.updated == 1)
        #expect(try fixture.document("a") == record(#"{"n":2}"#))
    }
}
