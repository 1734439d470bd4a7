#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serializes all access to one ``Database`` behind a recursive mutex.
///
/// Every method runs its closure synchronously on the calling thread while holding the lock, so callers on any
/// thread get exclusive access to the connection for the closure's duration. Calls made from inside such a closure
/// (re-entrant use) run inline instead of deadlocking; a nested ``write(_:)`` then becomes a savepoint.
///
/// (It was a serial `DispatchQueue` entered with `sync`: the same exclusion, at about 5 % of a small request's
/// instructions for the queue hand-off and the re-entrancy check — `bench/instructions`.)
///
/// `@unchecked Sendable`: the wrapped ``Database`` is not thread-safe, but it is only ever touched with `mutex`
/// held, which provides the required mutual exclusion.
public final class DatabaseQueue: @unchecked Sendable {
    /// The connection; access only with `mutex` held.
    private let database: Database
    /// A recursive mutex: the thread holding it may take it again (re-entrant calls).
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Opens the database at `path` (see ``Database/init(path:exclusive:)``).
    public init(path: String, exclusive: Bool = false) throws {
        database = try Database(path: path, exclusive: exclusive)
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The path the database was opened with.
    public var path: String { database.path }

    /// Runs `body` with exclusive, raw access to the connection (no transaction).
    public func inDatabase<T>(_ body: (Database) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(database)
    }

    /// Takes the lock once more on the calling thread, for longer than one closure: other threads wait until
    /// ``unlock()``, while this thread still enters (the mutex is recursive). Pair each call with ``unlock()`` on the
    /// same thread.
    public func lock() {
        pthread_mutex_lock(mutex)
    }

    /// Releases what ``lock()`` took.
    public func unlock() {
        pthread_mutex_unlock(mutex)
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
