import SQLite

/// The emulator's state: one SQLite database behind one serial owner (`DatabaseQueue`). Handlers get it
/// from the request context and do each request's work in one transaction; there is no global store.
public final class Store: Sendable {
    let queue: DatabaseQueue
    /// The committed changes of conversations, messages, users and webhook deliveries, as events (issue #11).
    public let feed = ChangeFeed()
    let pending = PendingChanges()

    /// Opens (creating if needed) the store at `path` (`:memory:` for a throw-away one) and migrates it.
    /// - Throws: `SQLiteError` when the file cannot be opened or migrated, or when a snapshot restore was
    ///   interrupted while it wrote the file in place (`Database.checkRestoreCompleted(path:)`).
    public init(path: String) throws {
        try Database.checkRestoreCompleted(path: path)
        // The store is this process's alone while it runs (Database's `exclusive`): a second emulator on the same
        // file waits out the busy timeout for it, then stops with the error below.
        do {
            queue = try DatabaseQueue(path: path, exclusive: true)
            try queue.inDatabase { db in
                // Deleted rows are overwritten, so a GDPR deletion leaves nothing readable in free pages.
                try db.execute("PRAGMA secure_delete = ON")
                try db.migrate(Schema.migrations)
                try db.expandCheckLists()
                // The agent list serves agent docs as stored; stores seeded by older emulators hold agents.json
                // items as written (Database.canonicalizeAgentDocs). Nothing changes, and nothing is written, once
                // done.
                if try !db.nonCanonicalAgentDocs().isEmpty { try db.write { try $0.canonicalizeAgentDocs() } }
                Self.observe(db, into: pending)
            }
        } catch let error as SQLiteError where error.isBusy {
            throw SQLiteError(
                code: error.code,
                message: "\(path) is in use by another process (an emulator already serving it?): the store is "
                    + "locked while an emulator has it open")
        }
    }

    /// The store's path as given.
    public var path: String { queue.path }

    /// Runs `body` in one write transaction (BEGIN IMMEDIATE); a throw rolls everything back. Once the outermost
    /// transaction has committed, what it changed is published on `feed`.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.inDatabase { db in
            guard !db.isInTransaction else { return try db.write(body) }
            do {
                let result = try db.write(body)
                publishCommitted(db)
                return result
            } catch {
                pending.clear()
                throw error
            }
        }
    }

    /// Runs `body` with read access.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }

    /// Whether the store has never been seeded or used (no account configuration yet).
    public func isEmpty() throws -> Bool {
        try read { try $0.scalarInt("SELECT count(*) FROM account") == 0 }
    }

    /// Closes the database; later calls fail.
    public func close() { queue.close() }
}
