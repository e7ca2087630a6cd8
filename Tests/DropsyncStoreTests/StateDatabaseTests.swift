import DropsyncCore
import DropsyncStore
import DropsyncTesting
import Foundation
import Synchronization
import Testing

@Suite("State database")
struct StateDatabaseTests {
    @Test("opening creates an owner-only directory and database file")
    func createsOwnerOnlyFiles() throws {
        let parent = TemporaryDirectory("dropsync-store")
        let directory = parent.path + "/state"
        let database = try StateDatabase.open(directory: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let fileAttributes = try FileManager.default.attributesOfItem(atPath: database.path)
        #expect((fileAttributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("several openers of a new state directory at once all succeed (daemon and command racing)")
    func concurrentFirstOpen() throws {
        for _ in 0..<5 {
            let parent = TemporaryDirectory("dropsync-store")
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    _ = try StateDatabase.open(directory: parent.path + "/state")
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
        }
    }

    @Test("reopening an existing database applies no migration twice and keeps the data")
    func migrationsAreIdempotent() async throws {
        let directory = TemporaryDirectory("dropsync-store")
        let first = try StateDatabase.open(directory: directory.path)
        let applied = try first.appliedMigrations()
        let job = try await first.jobs.start(dataflow: "import", trigger: "manual", startedAt: Date())
        let second = try StateDatabase.open(directory: directory.path)
        #expect(try second.appliedMigrations() == applied)
        #expect(applied == ["v1-jobs", "v1-ledger", "v1-accounts", "v2-ledger-daemon", "v3-ledger-content-hash", "v4-ledger-version-tag", "v5-ledger-post-action-problem"])
        #expect(try second.jobs.report(id: job) != nil)
    }

    @Test("a reader never migrates: a database an older dropsync left is refused, and left as it was")
    func readerRefusesAnOutdatedDatabase() throws {
        let directory = TemporaryDirectory("dropsync-store")
        let database = try StateDatabase.open(directory: directory.path)
        let last = try #require(try database.appliedMigrations().last)
        // As an older dropsync would have left it: without its newest migration.
        let sqlite = try DropsyncCommand.run(
            [database.path, "DELETE FROM grdb_migrations WHERE identifier = '\(last)'"], program: "/usr/bin/sqlite3", in: directory)
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        let error = #expect(throws: DropsyncError.self) { try StateDatabase.open(directory: directory.path, access: .readOnly) }
        #expect(error?.code == "STATE_DATABASE_OUTDATED")
        let check = try DropsyncCommand.run(
            [database.path, "SELECT count(*) FROM grdb_migrations WHERE identifier = '\(last)'"], program: "/usr/bin/sqlite3", in: directory)
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}
