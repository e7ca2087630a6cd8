import DropsyncCore
import Foundation
import GRDB

/// The daemon's state: one SQLite file in WAL mode holding the ledger, job history, dataflow
/// state and the account store.
///
/// One writer connection serializes every write; readers work on snapshots and never block it.
/// SQLite stays inside this module: callers use `JobStore`, `LedgerStore` and `AccountStore`.
public final class StateDatabase: Sendable {
    /// The database file's name inside the state directory.
    public static let fileName = "dropsync.sqlite"

    /// The full path of the database file.
    public let path: String
    let pool: DatabasePool

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    /// Opens (creating when needed) `<directory>/dropsync.sqlite` and brings its schema up to date.
    ///
    /// A missing directory is created owner-only (0700); a new database file is created
    /// owner-only (0600), which SQLite passes on to its `-wal` and `-shm` files.
    public static func open(directory: String) throws -> StateDatabase {
        let files = FileManager.default
        do {
            if !files.fileExists(atPath: directory) {
                try files.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw DropsyncError("STATE_DIRECTORY_UNAVAILABLE", "cannot create the state directory \(directory): \(error)")
        }
        let path = directory + "/" + fileName
        if !files.fileExists(atPath: path),
           !files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) {
            throw DropsyncError("STATE_DATABASE_UNAVAILABLE", "cannot create the state database \(path)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        configuration.label = "dropsync.state"
        configuration.prepareDatabase { db in
            // Imports of a large file touch pages all over the UID index; a page cache of 48 MiB
            // (the default is 2 MiB) holds the index of about two million accounts, so that they
            // do not spill to the WAL mid-transaction. It is most of an import's memory.
            try db.execute(sql: "PRAGMA cache_size = -49152")
        }
        do {
            // Two processes opening a new state directory at once (the daemon and a command) would
            // race to switch it to WAL and to migrate it: one at a time, under a lock file.
            return try withOpeningLock(directory) {
                let pool = try DatabasePool(path: path, configuration: configuration)
                // Migrating takes the writer: only when needed, so that `dropsync jobs` and the
                // other readers never wait for a running import.
                if try !pool.read(Schema.migrator.hasCompletedMigrations) { try Schema.migrator.migrate(pool) }
                return StateDatabase(path: path, pool: pool)
            }
        } catch let error as DropsyncError {
            throw error
        } catch {
            throw DropsyncError("STATE_DATABASE_UNAVAILABLE", "cannot open the state database \(path): \(error)")
        }
    }

    /// Runs `body` holding an exclusive `flock(2)` on `<directory>/dropsync.lock`.
    private static func withOpeningLock<T>(_ directory: String, _ body: () throws -> T) throws -> T {
        let lockPath = directory + "/dropsync.lock"
        let descriptor = Glibc.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DropsyncError("STATE_DIRECTORY_UNAVAILABLE", "cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw DropsyncError("STATE_DIRECTORY_UNAVAILABLE", "cannot lock \(lockPath): \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The names of the schema migrations applied so far, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    public var jobs: JobStore { JobStore(database: self) }
    public var ledger: LedgerStore { LedgerStore(database: self) }
}

extension Date {
    /// Milliseconds since 1970, as the store keeps times.
    var storedMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(storedMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(storedMilliseconds) / 1000) }
}
