import CSQLite

/// One row of a query result: values by column index or by (case-insensitive) column name.
///
/// Rows are plain values copied out of the statement, so they stay valid after the query finishes and can
/// cross threads. The typed getters throw ``SQLiteError`` (`SQLITE_RANGE` for an unknown column,
/// `SQLITE_MISMATCH` for a wrong or NULL value) instead of trapping; the `optional…` variants return
/// nil for NULL. Error messages name the column, never its value.
public struct Row: Sendable {
    /// The values in column order.
    public let values: [SQLiteValue]
    /// The shared column-name table.
    private let columns: RowColumns

    /// Creates a row; `values` must line up with `columns.names`.
    init(values: [SQLiteValue], columns: RowColumns) {
        self.values = values
        self.columns = columns
    }

    /// The column names in result order.
    public var columnNames: [String] { columns.names }

    /// The number of columns.
    public var count: Int { values.count }

    /// The value at a 0-based column index; traps when out of range, like an array.
    public subscript(index: Int) -> SQLiteValue {
        values[index]
    }

    /// The value of the named column, or nil when the row has no such column.
    public subscript(name: String) -> SQLiteValue? {
        columns.index(of: name).map { values[$0] }
    }

    /// Whether the row has a column called `name`.
    public func hasColumn(_ name: String) -> Bool {
        columns.index(of: name) != nil
    }

    /// The value of a column that must exist.
    public func value(_ column: String) throws -> SQLiteValue {
        guard let index = columns.index(of: column) else {
            throw SQLiteError(code: SQLITE_RANGE, message: "no column named '\(column)' in row")
        }
        return values[index]
    }

    /// Text column value; throws if the column is missing, NULL, or not text.
    public func string(_ column: String) throws -> String {
        try required(column, "text", optionalString(column))
    }

    /// Integer column value as `Int`; throws if the column is missing, NULL, or not an integer.
    public func int(_ column: String) throws -> Int {
        try required(column, "integer", optionalInt(column))
    }

    /// Integer column value as `Int64`; throws if the column is missing, NULL, or not an integer.
    public func int64(_ column: String) throws -> Int64 {
        try required(column, "integer", optionalInt64(column))
    }

    /// Numeric column value (integers are converted); throws if missing, NULL, or not numeric.
    public func double(_ column: String) throws -> Double {
        try required(column, "number", optionalDouble(column))
    }

    /// Integer column value as a boolean (non-zero is `true`); throws if missing, NULL, or not an integer.
    public func bool(_ column: String) throws -> Bool {
        try required(column, "integer", optionalBool(column))
    }

    /// Blob column value; throws if the column is missing, NULL, or not a blob.
    public func blob(_ column: String) throws -> [UInt8] {
        try required(column, "blob", optionalBlob(column))
    }

    /// Text column value, nil for NULL; throws if the column is missing or holds another type.
    public func optionalString(_ column: String) throws -> String? {
        try optional(column, "text") { $0.stringValue }
    }

    /// Integer column value as `Int`, nil for NULL; throws if missing or holds another type.
    public func optionalInt(_ column: String) throws -> Int? {
        try optional(column, "integer") { $0.intValue }
    }

    /// Integer column value as `Int64`, nil for NULL; throws if missing or holds another type.
    public func optionalInt64(_ column: String) throws -> Int64? {
        try optional(column, "integer") { $0.int64Value }
    }

    /// Numeric column value, nil for NULL; throws if missing or not numeric.
    public func optionalDouble(_ column: String) throws -> Double? {
        try optional(column, "number") { $0.doubleValue }
    }

    /// Integer column value as a boolean, nil for NULL; throws if missing or holds another type.
    public func optionalBool(_ column: String) throws -> Bool? {
        try optional(column, "integer") { $0.int64Value.map { $0 != 0 } }
    }

    /// Blob column value, nil for NULL; throws if missing or holds another type.
    public func optionalBlob(_ column: String) throws -> [UInt8]? {
        try optional(column, "blob") { $0.blobValue }
    }

    /// Converts a non-NULL value, throwing `SQLITE_MISMATCH` when `convert` rejects it.
    private func optional<T>(
        _ column: String, _ expected: String, _ convert: (SQLiteValue) -> T?
    ) throws -> T? {
        let value = try value(column)
        if value.isNull {
            return nil
        }
        guard let converted = convert(value) else {
            throw SQLiteError(
                code: SQLITE_MISMATCH, message: "column '\(column)' does not hold \(expected)")
        }
        return converted
    }

    /// Unwraps a getter result, throwing `SQLITE_MISMATCH` for NULL.
    private func required<T>(_ column: String, _ expected: String, _ value: T?) throws -> T {
        guard let value else {
            throw SQLiteError(
                code: SQLITE_MISMATCH, message: "column '\(column)' is NULL, expected \(expected)")
        }
        return value
    }
}
