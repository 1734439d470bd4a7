import CSQLite

/// An error reported by SQLite, or by this wrapper when an API is misused.
///
/// `code` holds the *extended* result code (for example `SQLITE_CONSTRAINT_UNIQUE`, 2067), because every
/// connection enables extended result codes. See <https://www.sqlite.org/rescode.html>.
///
/// The description contains the SQLite message and the SQL text, but never the values bound to the
/// statement, so errors may be logged without leaking user data through parameters.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code (primary code in the low 8 bits).
    public let code: Int32
    /// The message reported by SQLite (`sqlite3_errmsg`) or by the wrapper.
    public let message: String
    /// The SQL text being prepared or executed, if any.
    public let sql: String?

    /// Creates an error from its parts.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// Creates an error from a result code, reading the message from a connection handle.
    init(code: Int32, connection: OpaquePointer?, sql: String? = nil) {
        let message: String
        if let connection, let text = sqlite3_errmsg(connection) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(code))
        }
        self.init(code: code, message: message, sql: sql)
    }

    /// The primary result code, e.g. `SQLITE_CONSTRAINT` for `SQLITE_CONSTRAINT_UNIQUE`.
    public var primaryCode: Int32 { code & 0xFF }

    /// Whether the database file was locked by another connection past the busy timeout (`SQLITE_BUSY`).
    public var isBusy: Bool { primaryCode == SQLITE_BUSY }

    /// Whether the error is any kind of constraint violation (`SQLITE_CONSTRAINT`).
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// Whether the error is a UNIQUE or PRIMARY KEY violation.
    public var isUniqueViolation: Bool {
        code == SQLiteError.constraintUnique || code == SQLiteError.constraintPrimaryKey
    }

    /// Whether the error is a FOREIGN KEY violation.
    public var isForeignKeyViolation: Bool { code == SQLiteError.constraintForeignKey }

    /// A human-readable summary: code, SQLite's explanation, message and SQL (never bound values).
    public var description: String {
        let meaning = String(cString: sqlite3_errstr(code))
        var text = "SQLite error \(code) (\(meaning)): \(message)"
        if let sql {
            text += " [SQL: \(sql)]"
        }
        return text
    }

    /// `SQLITE_CONSTRAINT_UNIQUE`, see <https://www.sqlite.org/rescode.html#constraint_unique>.
    public static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)
    /// `SQLITE_CONSTRAINT_PRIMARYKEY`, see <https://www.sqlite.org/rescode.html#constraint_primarykey>.
    public static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    /// `SQLITE_CONSTRAINT_FOREIGNKEY`, see <https://www.sqlite.org/rescode.html#constraint_foreignkey>.
    public static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)
    /// `SQLITE_CONSTRAINT_NOTNULL`, see <https://www.sqlite.org/rescode.html#constraint_notnull>.
    public static let constraintNotNull: Int32 = SQLITE_CONSTRAINT | (5 << 8)
    /// `SQLITE_CONSTRAINT_CHECK`, see <https://www.sqlite.org/rescode.html#constraint_check>.
    public static let constraintCheck: Int32 = SQLITE_CONSTRAINT | (1 << 8)
}
