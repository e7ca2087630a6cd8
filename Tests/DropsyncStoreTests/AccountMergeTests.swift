import DropsyncCore
import DropsyncStore
import Foundation
import Testing

@Suite("Account store merge")
struct AccountMergeTests {
    struct Merge: Sendable, CustomTestStringConvertible {
        let name: String
        let stored: String
        let patch: String
        let expected: String
        var testDescription: String { name }
    }

    static let merges: [Merge] = [
        Merge(name: "nested objects merge", stored: #"{"profile":{"email":"a@x","name":{"first":"Ann"}}}"#,
              patch: #"{"profile":{"name":{"last":"Lee"}}}"#,
              expected: #"{"profile":{"email":"a@x","name":{"first":"Ann","last":"Lee"}}}"#),
        Merge(name: "null removes a field", stored: #"{"profile":{"email":"a@x","phone":"1"},"data":{"x":1}}"#,
              patch: #"{"profile":{"phone":null},"data":null}"#, expected: #"{"profile":{"email":"a@x"}}"#),
        Merge(name: "arrays replace", stored: #"{"data":{"tags":["a","b"]}}"#, patch: #"{"data":{"tags":["c"]}}"#,
              expected: #"{"data":{"tags":["c"]}}"#),
        Merge(name: "scalars replace objects", stored: #"{"data":{"plan":{"tier":1}}}"#, patch: #"{"data":{"plan":"gold"}}"#,
              expected: #"{"data":{"plan":"gold"}}"#),
        Merge(name: "objects replace scalars", stored: #"{"data":{"plan":"gold"}}"#, patch: #"{"data":{"plan":{"tier":2}}}"#,
              expected: #"{"data":{"plan":{"tier":2}}}"#),
        Merge(name: "new fields are appended in order", stored: #"{"b":1}"#, patch: #"{"a":2,"b":3}"#, expected: #"{"b":3,"a":2}"#),
    ]

    @Test("a write merges into the stored document", arguments: merges)
    func merge(_ merge: Merge) async throws {
        let fixture = try StoreFixture()
        var stored = record(merge.stored)
        stored["UID"] = "u1"
        try await fixture.importAccounts([stored])
        var patch = record(merge.patch)
        patch["UID"] = "u1"
        let result = try await fixture.importAccounts([patch])
        #expect(result.updated == 1)
        #expect(try fixture.document("u1") == record(merge.expected))
    }

    @Test("a new account stores the record without its null members, nulls in arrays kept")
    func insertStripsNulls() async throws {
        let fixture = try StoreFixture()
        try await fixture.importAccounts([record(#"{"UID":"u1","a":null,"profile":{"b":null,"c":1},"list":[null,{"d":null}]}"#)])
        #expect(try fixture.document("u1") == record(#"{"profile":{"c":1},"list":[null,{"d":null}]}"#))
    }

    @Test("re-importing the same records changes nothing, not even lastUpdated")
    func reimportIsNoOp() async throws {
        let fixture = try StoreFixture()
        let records = [
            record(#"{"UID":"u1","profile":{"email":"a@x","gone":null},"data":{"n":1.5,"t":"é\n"}}"#),
            record(#"{"UID":7,"profile":{"email":"b@x"}}"#),
        ]
        try await fixture.importAccounts(records, now: Date(timeIntervalSince1970: 1_795_000_000))
        let before = try fixture.accounts.get(uid: "u1")
        let result = try await fixture.importAccounts(records, now: Date(timeIntervalSince1970: 1_795_000_100))
        #expect(result.unchanged == 2)
        #expect(result.updated == 0 && result.inserted == 0)
        #expect(try fixture.accounts.get(uid: "u1") == before)
    }

    @Test("a real change bumps lastUpdated but keeps created")
    func changeBumpsLastUpdated() async throws {
        let fixture = try StoreFixture()
        try await fixture.importAccounts([record(#"{"UID":"u1","data":{"n":1}}"#)], now: Date(timeIntervalSince1970: 1_795_000_000))
        try await fixture.importAccounts([record(#"{"UID":"u1","data":{"n":2}}"#)], now: Date(timeIntervalSince1970: 1_795_000_100.5))
        let account = try #require(try fixture.accounts.get(uid: "u1"))
        #expect(account["created"] == "2026-11-18T11:06:40.000Z")
        #expect(account["createdTimestamp"] == .int(1_795_000_000_000))
        #expect(account["lastUpdated"] == "2026-11-18T11:08:20.500Z")
        #expect(account["lastUpdatedTimestamp"] == .int(1_795_000_100_500))
    }

    @Test("get returns the store's fields first, then the document in stored order")
    func getFieldOrder() async throws {
        let fixture = try StoreFixture()
        try await fixture.importAccounts([record(#"{"profile":{"z":1,"a":2},"UID":"u1","data":{}}"#)])
        let account = try #require(try fixture.accounts.get(uid: "u1"))
        #expect(account.names == ["UID", "created", "createdTimestamp", "lastUpdated", "lastUpdatedTimestamp", "profile", "data"])
        #expect(account["profile"] == .object(record(#"{"z":1,"a":2}"#)))
        #expect(try fixture.accounts.get(uid: "missing") == nil)
    }

    @Test("an integer UID is stored as text")
    func integerUID() async throws {
        let fixture = try StoreFixture()
        try await fixture.importAccounts([record(#"{"UID":42,"a":1}"#)])
        #expect(try fixture.accounts.get(uid: "42")?["UID"] == "42")
    }
}
