import DropsyncCore
import DropsyncStore
import Foundation
import Testing

/// Batches of hundreds of accounts: exact counts and in-order merges.
@Suite("Large account batches")
struct LargeBatchTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    func accounts(_ range: Range<Int>, email: (Int) -> String) -> [Record] {
        range.map { ["UID": .string("u\($0)"), "profile": ["email": .string(email($0))]] }
    }

    @Test("inserted, updated and unchanged are counted exactly over hundreds of accounts")
    func counts() async throws {
        let first = try await fixture.importAccounts(accounts(0..<200) { "a\($0)@x" })
        #expect((first.inserted, first.updated, first.unchanged) == (200, 0, 0))
        let again = try await fixture.importAccounts(accounts(0..<200) { "a\($0)@x" })
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 200))
        let mixed = try await fixture.importAccounts(accounts(100..<300) { $0 % 2 == 0 ? "b\($0)@x" : "a\($0)@x" })
        #expect((mixed.inserted, mixed.updated, mixed.unchanged) == (100, 50, 50))
        #expect(try fixture.accounts.count() == 300)
        #expect(try fixture.document("u102")?["profile"] == ["email": "b102@x"])
    }

    @Test("a UID twice in one batch, and patches with nulls among them, apply in order")
    func duplicatesAndNulls() async throws {
        try await fixture.importAccounts(accounts(0..<100) { "a\($0)@x" })
        var batch = accounts(0..<100) { "c\($0)@x" }
        batch[10] = ["UID": "u10", "profile": ["email": nil, "name": "Ten"]]
        batch.append(["UID": "u5", "profile": ["email": "last@x"]])
        batch.insert(["UID": "u5", "profile": ["email": "first@x"]], at: 3)
        let result = try await fixture.importAccounts(batch)
        #expect(result.inserted == 0)
        #expect(result.updated == 102)
        #expect(try fixture.document("u10")?["profile"] == ["name": "Ten"])
        #expect(try fixture.document("u5")?["profile"] == ["email": "last@x"])
        #expect(try fixture.document("u99")?["profile"] == ["email": "c99@x"])
    }

    @Test("new accounts written many to a statement: one with null members, one UID twice, one existing, counted exactly")
    func newAccountsInRuns() async throws {
        try await fixture.importAccounts(accounts(1_000..<1_001) { "old\($0)@x" })
        var batch = accounts(0..<70) { "n\($0)@x" }
        batch[5] = ["UID": "u5", "profile": ["email": nil, "name": "Five"]]
        batch[20] = ["UID": "u2", "profile": ["name": "Two"]]
        batch[40] = ["UID": "u1000", "profile": ["email": "new1000@x"]]
        let result = try await fixture.importAccounts(batch)
        #expect((result.inserted, result.updated, result.unchanged) == (68, 2, 0))
        #expect(try fixture.document("u5")?["profile"] == ["name": "Five"])
        #expect(try fixture.document("u2")?["profile"] == ["email": "n2@x", "name": "Two"])
        #expect(try fixture.document("u1000")?["profile"] == ["email": "new1000@x"])
        #expect(try fixture.document("u69")?["profile"] == ["email": "n69@x"])
        #expect(try fixture.accounts.count() == 69, "u0…u69 but u20 and u40, and u1000")
    }
}
