import CSQLite

/// A prepared SQL statement: a thin wrapper over `sqlite3_stmt`.
///
/// See <https://www.sqlite.org/c3ref/stmt.html>. A statement belongs to the ``Database`` that prepared it
/// and shares its confinement: use it only on that database's owner queue, and never after the database
/// is closed. Only one statement can be prepared per instance; trailing statements are rejected.
public final class Statement {
    /// The SQL text the statement was prepared from.
    public let sql: String
    /// The underlying `sqlite3_stmt*`.
    let handle: OpaquePointer
    /// The `sqlite3*` connection the statement belongs to, used for error messages.
    private let connection: OpaquePointer
    /// The column table of the last result and the name pointers it was built from (SQLite keeps them until the
    /// statement is re-prepared, e.g. after a schema change, which gives new ones).
    private var cachedColumns: (columns: RowColumns, namePointers: [UnsafePointer<CChar>?])?

    /// Prepares a single SQL statement with `sqlite3_prepare_v2`.
    ///
    /// See <https://www.sqlite.org/c3ref/prepare.html>.
    /// - Throws: ``SQLiteError`` if the SQL is invalid, empty, or contains more than one statement.
    init(connection: OpaquePointer, sql: String) throws {
        var statement: OpaquePointer?
        var extraStatement: OpaquePointer?
        var extraRC: Int32 = SQLITE_OK
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(connection, text, -1, &statement, &tail)
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                // Whitespace and comments prepare to a nil statement; anything else is a second statement.
                extraRC = sqlite3_prepare_v2(connection, tail, -1, &extraStatement, nil)
            }
            return rc
        }
        guard rc == SQLITE_OK else {
            throw SQLiteError(code: rc, connection: connection, sql: sql)
        }
        guard let statement else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement to prepare", sql: sql)
        }
        if extraRC != SQLITE_OK || extraStatement != nil {
            sqlite3_finalize(extraStatement)
            sqlite3_finalize(statement)
            throw SQLiteError(
                code: SQLITE_MISUSE,
                message: "multiple statements are not supported here; use executeScript",
                sql: sql)
        }
        self.sql = sql
        self.handle = statement
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The number of `?` parameters the statement expects (`sqlite3_bind_parameter_count`).
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// The number of result columns (`sqlite3_column_count`).
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The shared column table for rows of this statement's result (built once; rebuilt if a schema change
    /// re-prepared the statement with other columns).
    var columns: RowColumns {
        let count = sqlite3_column_count(handle)
        if let cachedColumns, cachedColumns.namePointers.count == Int(count),
            (0..<count).allSatisfy({ sqlite3_column_name(handle, $0) == cachedColumns.namePointers[Int($0)] })
        {
            return cachedColumns.columns
        }
        let pointers = (0..<count).map { sqlite3_column_name(handle, $0) }
        let columns = RowColumns(names: pointers.map { $0.map { String(cString: $0) } ?? "" })
        cachedColumns = (columns, pointers)
        return columns
    }

    /// The result column names, in order (`sqlite3_column_name`).
    public var columnNames: [String] {
        (0..<sqlite3_column_count(handle)).map { index in
            sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
        }
    }

    /// Resets the statement, clears old bindings, and binds `args` to parameters 1...n.
    ///
    /// Text and blobs are bound with `SQLITE_TRANSIENT` (SQLite copies them) and an explicit byte length,
    /// so strings containing NUL or non-ASCII characters round-trip exactly.
    /// See <https://www.sqlite.org/c3ref/bind_blob.html>.
    /// - Throws: ``SQLiteError`` with `SQLITE_RANGE` if the argument count does not match.
    public func bind(_ args: [SQLiteValue]) throws {
        reset()
        sqlite3_clear_bindings(handle)
        guard args.count == parameterCount else {
            throw SQLiteError(
                code: SQLITE_RANGE,
                message: "statement expects \(parameterCount) arguments, got \(args.count)",
                sql: sql)
        }
        for (offset, value) in args.enumerated() {
            let rc = bindValue(value, at: Int32(offset + 1))
            guard rc == SQLITE_OK else {
                throw SQLiteError(code: rc, connection: connection, sql: sql)
            }
        }
    }

    private func bindValue(_ value: SQLiteValue, at index: Int32) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(handle, index)
        case .integer(let number):
            return sqlite3_bind_int64(handle, index, number)
        case .real(let number):
            return sqlite3_bind_double(handle, index, number)
        case .text(let string):
            var string = string
            return string.withUTF8 { buffer in
                // A nil pointer would bind NULL, so an empty string gets a pointer to a static "".
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    return sqlite3_bind_text(handle, index, "", 0, Statement.transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                    sqlite3_bind_text64(
                        handle, index, pointer, sqlite3_uint64(buffer.count), Statement.transient,
                        UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { buffer in
                // A nil pointer would bind NULL, so an empty blob is bound as a zero-length zeroblob.
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    return sqlite3_bind_zeroblob(handle, index, 0)
                }
                return sqlite3_bind_blob64(
                    handle, index, base, sqlite3_uint64(buffer.count), Statement.transient)
            }
        }
    }

    /// Evaluates the statement one step (`sqlite3_step`).
    ///
    /// See <https://www.sqlite.org/c3ref/step.html>.
    /// - Returns: `true` when a row is available, `false` when the statement has finished.
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(code: rc, connection: connection, sql: sql)
        }
    }

    /// Resets the statement so it can run again, keeping its bindings (`sqlite3_reset`).
    ///
    /// Resetting promptly also ends any implicit read transaction the statement holds.
    /// See <https://www.sqlite.org/c3ref/reset.html>.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// The value of the result column at `index` (0-based) for the current row.
    public func value(at index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    /// Appends the bytes of the result column at `index` (0-based) for the current row to `out`: a text's UTF-8, a
    /// blob as it is, nothing for NULL; a number as its text. Read straight from SQLite's buffer, without the
    /// array or string `value(at:)` makes (a stored document going into a response as it is).
    public func appendBytes(at index: Int, to out: inout [UInt8]) {
        let column = Int32(index)
        guard let bytes = sqlite3_column_blob(handle, column) else { return }
        let count = Int(sqlite3_column_bytes(handle, column))
        out.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// All result column values of the current row.
    public func values() -> [SQLiteValue] {
        (0..<columnCount).map { value(at: $0) }
    }

    /// `SQLITE_TRANSIENT`: tells SQLite to copy bound text and blobs before the bind call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
    }
}
