import CSQLite

/// A row inserted, updated or deleted, as SQLite's update hook reports it (<https://www.sqlite.org/c3ref/update_hook.html>):
/// rowid tables only, and not the rows of a truncating `DELETE FROM t` without `WHERE`.
public struct RowChange: Sendable, Equatable {
    /// What happened to the row.
    public enum Kind: Sendable, Equatable {
        case insert, update, delete
    }

    /// What happened.
    public let kind: Kind
    /// The table (of the `main` database or an attached one).
    public let table: String
    /// The row's rowid (for an `INTEGER PRIMARY KEY` table, that key).
    public let rowID: Int64

    /// Creates a change.
    public init(kind: Kind, table: String, rowID: Int64) {
        self.kind = kind
        self.table = table
        self.rowID = rowID
    }
}

/// What ``Database/observeChanges(_:)`` calls back: every row change as it happens (inside the statement, so the
/// callback must not use the connection) and every rollback of the whole transaction (a `ROLLBACK TO` a savepoint is
/// not reported).
public final class ChangeObserver {
    let onChange: (RowChange) -> Void
    let onRollback: () -> Void

    /// Creates an observer.
    public init(onChange: @escaping (RowChange) -> Void, onRollback: @escaping () -> Void) {
        self.onChange = onChange
        self.onRollback = onRollback
    }
}

extension Database {
    /// Installs `observer` (nil: removes it) as the connection's update and rollback hook; one at a time.
    public func observeChanges(_ observer: ChangeObserver?) {
        guard let connection = rawConnection else { return }
        changeObserver = observer
        guard let observer else {
            sqlite3_update_hook(connection, nil, nil)
            sqlite3_rollback_hook(connection, nil, nil)
            return
        }
        let context = Unmanaged.passUnretained(observer).toOpaque()
        sqlite3_update_hook(
            connection,
            { context, operation, _, table, rowID in
                guard let context, let table else { return }
                let kind: RowChange.Kind
                switch operation {
                case SQLITE_INSERT: kind = .insert
                case SQLITE_DELETE: kind = .delete
                default: kind = .update
                }
                let observer = Unmanaged<ChangeObserver>.fromOpaque(context).takeUnretainedValue()
                observer.onChange(RowChange(kind: kind, table: String(cString: table), rowID: rowID))
            }, context)
        sqlite3_rollback_hook(
            connection,
            { context in
                guard let context else { return }
                Unmanaged<ChangeObserver>.fromOpaque(context).takeUnretainedValue().onRollback()
            }, context)
    }
}
