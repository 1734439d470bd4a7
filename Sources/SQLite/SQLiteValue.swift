/// A value stored in, or bound to, an SQLite database, one case per storage class.
///
/// See <https://www.sqlite.org/datatype3.html>. Literals convert directly, so arguments can be written as
/// `[1, "x", nil, 2.5, true]`; variables convert with ``init(_:)``, e.g. `SQLiteValue(optionalName)`.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text; may contain NUL characters.
    case text(String)
    /// Raw bytes.
    case blob([UInt8])

    /// Creates a value from any bindable Swift value (`Int`, `Int64`, `Double`, `String`, `Bool`,
    /// `[UInt8]`, or an `Optional` of those, where `nil` becomes ``null``).
    public init(_ value: some SQLiteBindable) {
        self = value.sqliteValue
    }

    /// Whether this is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The integer payload, or nil for any other case.
    public var int64Value: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The integer payload as `Int`, or nil for any other case.
    public var intValue: Int? {
        int64Value.map { Int($0) }
    }

    /// The numeric payload as `Double` (integers are converted), or nil for non-numeric cases.
    public var doubleValue: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    /// The text payload, or nil for any other case.
    public var stringValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The blob payload, or nil for any other case.
    public var blobValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }
}

extension SQLiteValue: ExpressibleByNilLiteral {
    /// Creates ``null``.
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension SQLiteValue: ExpressibleByIntegerLiteral {
    /// Creates ``integer(_:)``.
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension SQLiteValue: ExpressibleByFloatLiteral {
    /// Creates ``real(_:)``.
    public init(floatLiteral value: Double) {
        self = .real(value)
    }
}

extension SQLiteValue: ExpressibleByStringLiteral {
    /// Creates ``text(_:)``.
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

extension SQLiteValue: ExpressibleByBooleanLiteral {
    /// Creates ``integer(_:)`` holding 1 for `true` and 0 for `false`.
    public init(booleanLiteral value: Bool) {
        self = .integer(value ? 1 : 0)
    }
}
