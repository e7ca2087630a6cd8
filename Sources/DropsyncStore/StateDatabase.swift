import DropsyncCore
import Foundation
import GRDB
import GRDBSQLite

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

    /// How a command opens the state database.
    public enum Access: Sendable {
        /// Creates the directory and the database when missing (`run`, `serve`).
        case create
        /// The database must exist (`files retry`).
        case existing
        /// The database must exist, with its schema up to date, and is only read (`jobs`,
        /// `files`, `accounts`, …): opened without the opening lock, so that a user who may read
        /// the state directory, but not write to it, can list its history.
        case readOnly
    }

    /// Opens `<directory>/dropsync.sqlite` and brings its schema up to date; with `.create`,
    /// creates the directory and the database first when missing.
    ///
    /// A missing directory is created owner-only (0700); a new database file is created
    /// owner-only (0600), which SQLite passes on to its `-wal` and `-shm` files. Errors:
    /// `STATE_DATABASE_MISSING` (`.existing`, `.readOnly`), `STATE_DATABASE_OUTDATED` (`.readOnly`),
    /// `STATE_DIRECTORY_UNAVAILABLE`, `STATE_DATABASE_UNAVAILABLE`, with the system's reason
    /// (`st: Not a directory`).
    public static func open(directory: String, access: Access = .create) throws -> StateDatabase {
        let path = directory + "/" + fileName
        if access == .create {
            try createIfMissing(directory: directory, path: path)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw DropsyncError("STATE_DATABASE_MISSING", "no state database in \(directory)")
        }
        do {
            if access == .readOnly {
                // A reader never writes, not even to migrate: the daemon or `run` does that.
                guard let database = try openUpToDate(path: path) else {
                    throw DropsyncError(
                        "STATE_DATABASE_OUTDATED",
                        "the state database \(path) is from an older dropsync: run `dropsync serve` or `dropsync run` once to upgrade it")
                }
                return database
            }
            // Two processes opening a new state directory at once (the daemon and a command) would
            // race to switch it to WAL and to migrate it: one at a time, under a lock file.
            return try withOpeningLock(directory) {
                let pool = try DatabasePool(path: path, configuration: configuration(readOnly: false))
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

    /// The database opened read-only, when its schema is up to date (nil: it needs migrating).
    private static func openUpToDate(path: String) throws -> StateDatabase? {
        let pool = try DatabasePool(path: path, configuration: configuration(readOnly: true))
        guard try pool.read(Schema.migrator.hasCompletedMigrations) else { return nil }
        return StateDatabase(path: path, pool: pool)
    }

    private static func configuration(readOnly: Bool) -> GRDB.Configuration {
        var configuration = GRDB.Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        configuration.label = "dropsync.state"
        configuration.prepareDatabase { db in
            // Imports of a large file touch pages all over the UID index; a page cache of 48 MiB
            // (the default is 2 MiB) holds the index of about two million accounts, so that they
            // do not spill to the WAL mid-transaction. It is most of an import's memory.
            try db.execute(sql: "PRAGMA cache_size = -49152")
            // The -wal and -shm files stay when the last writer closes: a reader who may not
            // create them (`.readOnly`, another user) needs them to open the database.
            if !readOnly { try persistWAL(db) }
        }
        return configuration
    }

    private static func persistWAL(_ db: Database) throws {
        var flag: CInt = 1
        let code = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &flag)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    /// Creates the state directory (and its missing parents) owner-only, then an empty database
    /// file owner-only, when missing.
    private static func createIfMissing(directory: String, path: String) throws {
        if let failure = makeDirectory(directory) {
            throw DropsyncError("STATE_DIRECTORY_UNAVAILABLE", "cannot create the state directory \(directory): \(SystemError.reason(failure))")
        }
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw DropsyncError("STATE_DATABASE_UNAVAILABLE", "cannot create the state database \(path): \(SystemError.reason(errno))")
        }
    }

    /// `mkdir -p` with mode 0700: nil when `path` is a directory after, else the `errno` of the
    /// failure (`ENOTDIR` when it, or a parent, is a file).
    private static func makeDirectory(_ path: String) -> Int32? {
        if mkdir(path, 0o700) == 0 { return nil }
        var failure = errno
        if failure == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            guard parent != path, !parent.isEmpty else { return failure }
            if let parentFailure = makeDirectory(parent) { return parentFailure }
            if mkdir(path, 0o700) == 0 { return nil }
            failure = errno
        }
        guard failure == EEXIST else { return failure }
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR ? nil : ENOTDIR
    }


    /// Runs `body` holding an exclusive `flock(2)` on `<directory>/dropsync.lock`.
    private static func withOpeningLock<T>(_ directory: String, _ body: () throws -> T) throws -> T {
        let lockPath = directory + "/dropsync.lock"
        let descriptor = Glibc.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DropsyncError("STATE_DIRECTORY_UNAVAILABLE", "cannot open \(lockPath): \(SystemError.reason(errno))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw DropsyncError("STATE_DIRECTORY_UNAVAILABLE", "cannot lock \(lockPath): \(SystemError.reason(errno))")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The names of the schema migrations applied so far, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Whether the history has jobs or ledger entries of `dataflow` (it may have been removed
    /// from the configuration since).
    public func hasHistory(dataflow: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM jobs WHERE dataflow = ?1) OR EXISTS (SELECT 1 FROM ledger WHERE dataflow = ?1)",
                arguments: [dataflow]) ?? false
        }
    }

    public var jobs: JobStore { JobStore(database: self) }
    public var ledger: LedgerStore { LedgerStore(database: self) }
}

extension Date {
    /// Milliseconds since 1970, as the store keeps times.
    var storedMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(storedMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(storedMilliseconds) / 1000) }
}
