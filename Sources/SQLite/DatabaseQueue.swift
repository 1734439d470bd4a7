import Dispatch

/// Serializes all access to one ``Database`` on a private serial `DispatchQueue`.
///
/// Every method runs its closure synchronously on the queue, so callers on any thread get exclusive access
/// to the connection for the closure's duration. Calls made from inside such a closure (re-entrant use)
/// run inline instead of deadlocking; a nested ``write(_:)`` then becomes a savepoint.
///
/// `@unchecked Sendable`: the wrapped ``Database`` is not thread-safe, but it is only ever touched on
/// `queue`, which provides the required mutual exclusion.
public final class DatabaseQueue: @unchecked Sendable {
    /// The connection; access only on `queue`.
    private let database: Database
    /// The serial queue owning `database`.
    private let queue: DispatchQueue
    /// Marks `queue` so re-entrant calls can be detected.
    private let queueKey = DispatchSpecificKey<UInt8>()

    /// Opens the database at `path` (see ``Database/init(path:)``) behind a queue labelled `sqlite.<path>`.
    public init(path: String) throws {
        database = try Database(path: path)
        queue = DispatchQueue(label: "sqlite.\(path)")
        queue.setSpecific(key: queueKey, value: 1)
    }

    /// The path the database was opened with.
    public var path: String { database.path }

    /// Runs `body` with exclusive, raw access to the connection (no transaction).
    public func inDatabase<T>(_ body: (Database) throws -> T) rethrows -> T {
        if DispatchQueue.getSpecific(key: queueKey) != nil {
            return try body(database)
        }
        return try queue.sync { try body(database) }
    }

    /// Runs `body` in a write transaction (see ``Database/write(_:)``) with exclusive access.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try inDatabase { db in try db.write(body) }
    }

    /// Runs `body` with exclusive access and no explicit transaction, for reads.
    public func read<T>(_ body: (Database) throws -> T) rethrows -> T {
        try inDatabase(body)
    }

    /// Closes the connection (see ``Database/close()``); later calls fail with `SQLITE_MISUSE`.
    public func close() {
        inDatabase { db in db.close() }
    }
}
