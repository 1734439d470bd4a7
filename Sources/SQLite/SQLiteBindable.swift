/// A Swift type that converts to an ``SQLiteValue`` for binding to a statement parameter.
///
/// Use it through ``SQLiteValue/init(_:)``: `try db.execute("... VALUES(?)", [SQLiteValue(name)])`.
/// See <https://www.sqlite.org/c3ref/bind_blob.html>.
public protocol SQLiteBindable {
    /// The value to bind.
    var sqliteValue: SQLiteValue { get }
}

extension SQLiteValue: SQLiteBindable {
    /// The value itself.
    public var sqliteValue: SQLiteValue { self }
}

extension Int: SQLiteBindable {
    /// ``SQLiteValue/integer(_:)``.
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Int64: SQLiteBindable {
    /// ``SQLiteValue/integer(_:)``.
    public var sqliteValue: SQLiteValue { .integer(self) }
}

extension Double: SQLiteBindable {
    /// ``SQLiteValue/real(_:)``.
    public var sqliteValue: SQLiteValue { .real(self) }
}

extension String: SQLiteBindable {
    /// ``SQLiteValue/text(_:)``.
    public var sqliteValue: SQLiteValue { .text(self) }
}

extension Bool: SQLiteBindable {
    /// ``SQLiteValue/integer(_:)`` holding 1 for `true` and 0 for `false`.
    public var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
}

extension Array: SQLiteBindable where Element == UInt8 {
    /// ``SQLiteValue/blob(_:)``.
    public var sqliteValue: SQLiteValue { .blob(self) }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    /// The wrapped value's conversion, or ``SQLiteValue/null`` for `nil`.
    public var sqliteValue: SQLiteValue {
        switch self {
        case .some(let value): return value.sqliteValue
        case .none: return .null
        }
    }
}
