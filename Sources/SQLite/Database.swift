import CSQLite

/// A single SQLite connection, a thin GRDB-inspired wrapper over `sqlite3*`.
///
/// Opened with `SQLITE_OPEN_NOMUTEX`, so the connection is **not** thread-safe: it must be used from one
/// thread at a time (see ``DatabaseQueue``, which serializes access with a lock). Every connection enables extended
/// result codes, `PRAGMA foreign_keys=ON` and a 5000 ms busy timeout. File databases also use
/// `PRAGMA journal_mode=WAL` and `PRAGMA synchronous=OFF`: a committed transaction is in the operating system's
/// hands when COMMIT returns, so it survives a process crash (even `kill -9`); SQLite never waits for the disk
/// (`fdatasync`), which an OS crash or power loss can make the store pay for with lost commits or a damaged file.
/// For an emulator's store that is the right trade: a write costs ~20% less CPU, and no request stalls behind a
/// checkpoint's `fdatasync` (which took over a second on a busy disk in the benchmarks, issue #12).
/// See <https://www.sqlite.org/wal.html> and <https://www.sqlite.org/pragma.html#pragma_synchronous>.
///
/// A file database opened with `exclusive: true` also uses `PRAGMA locking_mode=EXCLUSIVE`, set before WAL mode is
/// entered: the connection takes the file's lock on its first access and keeps it until it closes, and the WAL index
/// lives in the process's memory instead of a `-shm` file. Each transaction then skips its lock and unlock calls
/// (`fcntl`, about 13 system calls per `POST …/messages` in `strace -c`) and the `fstat` that checks for changes made
/// by other processes; the price is that no other process can open the file meanwhile (`SQLITE_BUSY` once the busy
/// timeout has passed). Such a connection also goes through ``WALWriteBuffer``, which writes each commit's WAL frames
/// with one system call instead of two per page. See <https://www.sqlite.org/pragma.html#pragma_locking_mode> and
/// <https://www.sqlite.org/wal.html#use_of_wal_without_shared_memory>.
///
/// `@unchecked Sendable`: the class itself performs no locking. It is Sendable only so it can be handed to
/// the ``DatabaseQueue`` that owns it; all access must happen with that queue's lock held.
public final class Database: @unchecked Sendable {
    /// The path the database was opened with (`":memory:"` for an in-memory database).
    public let path: String
    /// The `sqlite3*` handle, nil once closed.
    private var connection: OpaquePointer?
    /// The `sqlite3*` handle for this module's extensions, nil once closed.
    var rawConnection: OpaquePointer? { connection }
    /// Prepared statements keyed by SQL text, finalized on ``close()``.
    private var statementCache: [String: Statement] = [:]
    /// Number of savepoints currently open through ``write(_:)``; names them uniquely.
    var savepointDepth = 0
    /// The observer installed with ``observeChanges(_:)`` (kept alive here: SQLite holds only a raw pointer).
    var changeObserver: ChangeObserver?

    /// Opens (creating if needed) the database at `path`, or an in-memory database for `":memory:"`; `exclusive`
    /// keeps a file database locked for this connection alone until it closes (see the type's documentation).
    ///
    /// Flags: `SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI`.
    /// See <https://www.sqlite.org/c3ref/open.html>.
    public init(path: String, exclusive: Bool = false) throws {
        _ = Self.configured
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        // An exclusive connection also writes each WAL commit with one system call (WALWriteBuffer).
        let rc = sqlite3_open_v2(path, &handle, flags, exclusive ? WALWriteBuffer.registered : nil)
        guard rc == SQLITE_OK, let handle else {
            let error = SQLiteError(code: rc, connection: handle)
            sqlite3_close_v2(handle)
            throw error
        }
        connection = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5000)
        do {
            if !isInMemory {
                if exclusive { try executeScript("PRAGMA locking_mode=EXCLUSIVE;") }
                try executeScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;")
            }
            try executeScript("PRAGMA foreign_keys=ON;")
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Process-wide settings, made once before the first connection opens (SQLite refuses them once initialized):
    /// a statement journal (what a savepoint keeps to roll back to it) stays in memory up to 4 MiB instead of 64 KiB.
    /// The event loops' writes share a transaction per round, a savepoint each (`Store.write`), and a savepoint
    /// re-records every page the round changed before it: past 64 KiB that went to a temporary file, about 30 `pwrite`s
    /// of 4 KiB per `POST /v2/users` (issue #12).
    private static let configured: Bool = {
        csqlite_config_statement_journal_spill(4 << 20) == SQLITE_OK
    }()

    /// Whether the main database lives in memory (or in a temporary file) rather than at a real path.
    public var isInMemory: Bool {
        guard let connection, let name = sqlite3_db_filename(connection, "main") else { return true }
        return name.pointee == 0
    }

    /// Whether the connection has been closed.
    public var isClosed: Bool { connection == nil }

    /// Finalizes cached statements and closes the connection with `sqlite3_close_v2`. Idempotent.
    ///
    /// See <https://www.sqlite.org/c3ref/close.html>.
    public func close() {
        statementCache.removeAll()
        if let connection, changeObserver != nil {
            sqlite3_update_hook(connection, nil, nil)
            sqlite3_rollback_hook(connection, nil, nil)
        }
        changeObserver = nil
        if let connection {
            sqlite3_close_v2(connection)
        }
        connection = nil
    }

    /// The open `sqlite3*` handle.
    /// - Throws: ``SQLiteError`` with `SQLITE_MISUSE` after ``close()``.
    func openConnection() throws -> OpaquePointer {
        guard let connection else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "database is closed")
        }
        return connection
    }

    /// Prepares a new, uncached statement holding exactly one SQL statement.
    public func makeStatement(_ sql: String) throws -> Statement {
        try Statement(connection: openConnection(), sql: sql)
    }

    /// Returns the cached prepared statement for `sql`, preparing and caching it on first use.
    ///
    /// The statement is shared by every caller using the same SQL text, so bind and step it completely
    /// (then reset) before running the same SQL again.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            return statement
        }
        let statement = try makeStatement(sql)
        statementCache[sql] = statement
        return statement
    }

    /// The SQL text of every statement prepared through ``cachedStatement(_:)`` (so by ``execute(_:_:)``,
    /// ``query(_:_:)`` and the other helpers) since the connection opened, in no particular order. Tests read it to
    /// check the query plan of exactly the statements the application runs.
    public var cachedSQL: [String] { Array(statementCache.keys) }

    /// Runs one SQL statement with bound arguments, discarding any result rows.
    public func execute(_ sql: String, _ args: [SQLiteValue] = []) throws {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(args)
        while try statement.step() {}
    }

    /// Runs a script of zero or more `;`-separated statements with `sqlite3_exec` (no parameters).
    ///
    /// Intended for DDL and migrations. See <https://www.sqlite.org/c3ref/exec.html>.
    public func executeScript(_ sql: String) throws {
        let connection = try openConnection()
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(connection, sql, nil, nil, &errorMessage)
        defer { sqlite3_free(errorMessage) }
        guard rc == SQLITE_OK else {
            if let errorMessage {
                throw SQLiteError(code: rc, message: String(cString: errorMessage), sql: sql)
            }
            throw SQLiteError(code: rc, connection: connection, sql: sql)
        }
    }

    /// Runs one SQL query with bound arguments and returns all result rows.
    public func query(_ sql: String, _ args: [SQLiteValue] = []) throws -> [Row] {
        var rows: [Row] = []
        try forEachRow(sql, args) { rows.append($0) }
        return rows
    }

    /// Runs one SQL query and calls `body` with each result row as it is stepped, so only one row is held at a time
    /// (a result too large to keep whole: a report's EventLog). `body` must not run the same SQL text again (the
    /// statement is the cached one, still stepping).
    public func forEachRow(_ sql: String, _ args: [SQLiteValue] = [], _ body: (Row) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(args)
        let columns = statement.columns
        while try statement.step() {
            try body(Row(values: statement.values(), columns: columns))
        }
    }

    /// Runs one SQL query and returns its first row, or nil when there is none.
    public func queryOne(_ sql: String, _ args: [SQLiteValue] = []) throws -> Row? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(args)
        guard try statement.step() else { return nil }
        return Row(values: statement.values(), columns: statement.columns)
    }

    /// The first column of the first row, or nil when the query returns no rows.
    public func scalar(_ sql: String, _ args: [SQLiteValue] = []) throws -> SQLiteValue? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(args)
        guard try statement.step(), statement.columnCount > 0 else { return nil }
        return statement.value(at: 0)
    }

    /// The first column of the first row as `Int`; nil for no rows, NULL, or a non-integer value.
    public func scalarInt(_ sql: String, _ args: [SQLiteValue] = []) throws -> Int? {
        try scalar(sql, args)?.intValue
    }

    /// The first column of the first row as `String`; nil for no rows, NULL, or a non-text value.
    public func scalarString(_ sql: String, _ args: [SQLiteValue] = []) throws -> String? {
        try scalar(sql, args)?.stringValue
    }

    /// The rowid of the most recent successful INSERT (`sqlite3_last_insert_rowid`).
    ///
    /// See <https://www.sqlite.org/c3ref/last_insert_rowid.html>.
    public var lastInsertRowID: Int64 {
        connection.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Rows modified by the most recent INSERT, UPDATE or DELETE (`sqlite3_changes`).
    ///
    /// See <https://www.sqlite.org/c3ref/changes.html>.
    public var changes: Int {
        connection.map { Int(sqlite3_changes($0)) } ?? 0
    }

    /// Whether a transaction is open, i.e. the connection is not in autocommit mode.
    ///
    /// See <https://www.sqlite.org/c3ref/get_autocommit.html>.
    public var isInTransaction: Bool {
        connection.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }
}
