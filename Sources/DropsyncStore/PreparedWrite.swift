import GRDB
import GRDBSQLite

/// A prepared statement executed many times in a hot loop through SQLite's C API, skipping
/// GRDB's per-call argument handling. Every C call of the loop goes through here.
///
/// Bindings persist across executions (SQLite keeps them through `sqlite3_reset`), so values
/// shared by the whole batch are bound once. Use only on the connection that prepared it.
struct PreparedWrite {
    let statement: Statement
    private let connection: OpaquePointer
    private let handle: OpaquePointer

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "Connection is closed")
        }
        self.connection = connection
        handle = statement.sqliteStatement
    }

    /// `sqlite3_bind_text` with a copy of `bytes` (valid UTF-8 JSON or text).
    func bind(_ index: Int32, utf8 bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let start = bytes.baseAddress, !bytes.isEmpty else {
            return try check(sqlite3_bind_text(handle, index, "", 0, nil))
        }
        let code = start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
            sqlite3_bind_text(handle, index, characters, Int32(bytes.count), Self.transient)
        }
        try check(code)
    }

    /// `sqlite3_bind_text` of bytes SQLite does not copy (`SQLITE_STATIC`): they must stay alive
    /// and unchanged until the statement has been executed and bound anew.
    func bind(_ index: Int32, borrowing bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let start = bytes.baseAddress, !bytes.isEmpty else {
            return try check(sqlite3_bind_text(handle, index, "", 0, nil))
        }
        let code = start.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
            sqlite3_bind_text(handle, index, characters, Int32(bytes.count), nil)
        }
        try check(code)
    }

    /// `sqlite3_bind_text` with a copy of `text`.
    func bind(_ index: Int32, _ text: String) throws {
        var text = text
        try text.withUTF8 { try bind(index, utf8: $0) }
    }

    /// `sqlite3_bind_int64`.
    func bind(_ index: Int32, _ number: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, number))
    }

    /// Runs the statement to completion (`sqlite3_step` until done, then `sqlite3_reset`) and
    /// returns the number of rows it changed (`sqlite3_changes`).
    ///
    /// `sqlite3_last_insert_rowid` is cleared first, so `insertedRow` tells whether this
    /// execution inserted a row (an upsert that updates leaves it at zero).
    func execute() throws -> Int {
        sqlite3_set_last_insert_rowid(connection, 0)
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        sqlite3_reset(handle)
        try check(code, success: SQLITE_DONE)
        return Int(sqlite3_changes(connection))
    }

    /// Whether the last `execute` inserted a row.
    var insertedRow: Bool { sqlite3_last_insert_rowid(connection) != 0 }

    /// Steps a one-row query and returns whether it produced a row.
    func producesRow() throws -> Bool {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        if code == SQLITE_ROW { return true }
        try check(code, success: SQLITE_DONE)
        return false
    }

    private func check(_ code: Int32, success: Int32 = SQLITE_OK) throws {
        guard code != success else { return }
        throw DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)),
            sql: statement.sql)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
