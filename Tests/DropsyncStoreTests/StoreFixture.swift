import DropsyncCore
import DropsyncStore
import DropsyncTesting
import Foundation

/// A state database in a fresh temporary directory, removed with the fixture.
final class StoreFixture: Sendable {
    let directory = TemporaryDirectory("dropsync-store")
    let database: StateDatabase

    init() throws { database = try StateDatabase.open(directory: directory.path) }

    var accounts: AccountStore { AccountStore(database: database) }

    /// Imports `records` in one import and commits.
    @discardableResult
    func importAccounts(
        _ records: [Record], policy: AccountImportPolicy = .upsert, now: Date = Date(timeIntervalSince1970: 1_795_000_000)
    ) async throws -> AccountWriteResult {
        let session = try await accounts.beginImport(policy: policy, now: now)
        let result = try await session.write(records)
        try await session.commit()
        return result
    }

    /// The stored document of `uid` without the store's own fields.
    func document(_ uid: String) throws -> Record? {
        guard var account = try accounts.get(uid: uid) else { return nil }
        for name in ["UID", "created", "createdTimestamp", "lastUpdated", "lastUpdatedTimestamp"] { account[name] = nil }
        return account
    }
}

/// Parses a JSON object literal written in a test.
func record(_ json: String) -> Record {
    try! JSONParser.parse(json).objectValue!
}
