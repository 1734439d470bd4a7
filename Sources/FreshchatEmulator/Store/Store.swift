import HTTP
import SQLite

#if canImport(Glibc)
import Glibc
#endif

/// The emulator's state: one SQLite database behind one serial owner (`DatabaseQueue`). Handlers get it
/// from the request context and do each request's work in one transaction; there is no global store.
public final class Store: Sendable {
    let queue: DatabaseQueue
    /// The committed changes of conversations, messages, users and webhook deliveries, as events (issue #11).
    public let feed = ChangeFeed()
    let pending = PendingChanges()
    /// The writes of the current event-loop round, committed together (`write`).
    let group = WriteGroup()

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

    /// Runs `body` in one write transaction; a throw rolls back everything `body` did. Once the transaction has
    /// committed, what it changed is published on `feed`.
    ///
    /// On an event loop's thread the writes of one round share a transaction, committed when the round's requests
    /// are handled, before any of their answers leaves (`Round.beforeAnswersLeave`): `BEGIN IMMEDIATE` at the round's
    /// first write, a savepoint per later write (a throw undoes that write alone), one `COMMIT` for all. A commit writes
    /// every changed page to the WAL; pages that several writes change (the tables' and indexes' last pages, the
    /// AUTOINCREMENT counters) are written once per round instead of once per request: `POST /v2/users` at c=64 took
    /// a fifth less CPU (issue #12). Should the commit fail, the round's changes are rolled back and each of its
    /// answers is replaced by a 500, so no client is told of a change that was not made. Meanwhile other threads wait
    /// for the store (the lock is held from the first write to the commit, at most a round).
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try write(grouped: true, body)
    }

    /// Runs `body` in a transaction of its own, committed before it returns, even on an event loop's thread (the
    /// round's writes so far are committed first): for work that sets up the transaction itself, such as a state
    /// import (`PRAGMA defer_foreign_keys`).
    func writeAlone<T>(_ body: (Database) throws -> T) throws -> T {
        try settleGroup()
        return try write(grouped: false, body)
    }

    private func write<T>(grouped: Bool, _ body: (Database) throws -> T) throws -> T {
        try queue.inDatabase { db in
            // This loop's round could not commit its earlier writes (`settleGroup`): it makes no more changes.
            if !group.failedRounds.isEmpty && group.failedRounds.contains(pthread_self()) { throw Self.roundFailed }
            // A write inside a write: a savepoint of the enclosing one.
            if group.depth > 0 || (db.isInTransaction && !group.open) { return try db.write(body) }
            if !group.open && grouped && Round.isOnEventLoop { try openGroup(db) }
            guard group.open else {
                do {
                    let result = try db.write(body)
                    publishCommitted(db)
                    return result
                } catch {
                    pending.clear()
                    throw error
                }
            }
            if group.broken { throw Self.roundBroken }
            group.depth += 1
            defer { group.depth -= 1 }
            // The round's first write needs no savepoint: should it throw, the whole transaction goes (a round of one
            // request costs what it did before rounds were grouped: `bench/instructions`).
            let first = group.writes == 0
            do {
                let result = first ? try body(db) : try db.write(body)
                group.writes += 1
                let publication = takePublication(db)
                if !publication.isEmpty { group.publications.append(publication) }
                return result
            } catch {
                pending.clear()
                if first {
                    _ = endGroup(db, commit: false)
                } else if !db.isInTransaction {
                    // Some errors (SQLITE_FULL, SQLITE_IOERR, …) make SQLite roll the whole transaction back: the
                    // round's earlier writes are gone too.
                    group.broken = true
                }
                throw error
            }
        }
    }

    /// Opens the round's transaction and holds the store (other threads wait) until it is settled.
    private func openGroup(_ db: Database) throws {
        try db.execute("BEGIN IMMEDIATE")
        queue.lock()
        group.open = true
        group.writes = 0
        // The settlement runs on this loop's thread, at the end of this round: it also ends the round's refusal, if a
        // commit made ahead of it failed.
        let thread = pthread_self()
        _ = Round.beforeAnswersLeave { [self] in
            let committed = commitGroup()
            let failedEarly = queue.inDatabase { _ in group.failedRounds.remove(thread) != nil }
            return committed && !failedEarly
        }
    }

    /// Commits the round's writes, if any are pending, and publishes their changes; on failure rolls them back.
    /// - Returns: whether nothing was pending or the commit succeeded.
    @discardableResult
    func commitGroup() -> Bool {
        queue.inDatabase { db in group.open ? endGroup(db, commit: true) : true }
    }

    /// Ends the round's transaction and releases the store: commits it and publishes its changes when `commit` is set
    /// and no write broke it, else rolls it back.
    /// - Returns: whether it committed.
    private func endGroup(_ db: Database, commit: Bool) -> Bool {
        group.open = false
        defer { queue.unlock() }
        let publications = group.publications
        let broken = group.broken
        group.publications = []
        group.broken = false
        if commit && !broken && db.isInTransaction {
            do {
                try db.execute("COMMIT")
                for publication in publications { feed.publish(publication) }
                return true
            } catch {}
        }
        if db.isInTransaction { try? db.execute("ROLLBACK") }
        pending.clear()
        return false
    }

    /// Commits the round's writes now, before work that must not run inside a transaction (a snapshot, a restore, a
    /// state import). Should that commit fail, the round's changes are rolled back and the round makes no other: this
    /// call and every later write or settlement of the same round on this loop throw, and the loop's settlement
    /// replaces the round's answers with a 500 (as when the round's own commit fails). So a round never answers 500
    /// for changes it did make, nor snapshots or restores after losing its writes. Kept per loop thread: another
    /// loop's round, which may take the store as soon as this one's transaction has ended, is not concerned.
    /// - Throws: `SQLiteError` (`SQLITE_ABORT`) when this loop's round could not commit its writes.
    func settleGroup() throws {
        try queue.inDatabase { _ in
            let thread = pthread_self()
            if group.failedRounds.contains(thread) { throw Self.roundFailed }
            if !commitGroup() {
                group.failedRounds.insert(thread)
                throw Self.roundFailed
            }
        }
    }

    /// What a write of a round throws once an earlier one lost the round's transaction (`WriteGroup.broken`).
    static let roundBroken = SQLiteError(
        code: 4,  // SQLITE_ABORT
        message: "an earlier write of this round failed and took the round's changes with it")

    /// What a write or settlement of a round whose earlier writes could not be committed throws.
    static let roundFailed = SQLiteError(
        code: 4,  // SQLITE_ABORT
        message: "the writes made earlier in this round could not be committed; the round makes no other change")

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

/// The state of the round's shared transaction (`Store.write`). `@unchecked Sendable`: touched only with the store's
/// lock held.
final class WriteGroup: @unchecked Sendable {
    /// The round's transaction is open (and the store's lock held once more until it is settled).
    var open = false
    /// How deep inside a grouped write the current call is (a write inside one is a plain savepoint).
    var depth = 0
    /// The writes the round's transaction holds so far.
    var writes = 0
    /// SQLite rolled the transaction back under an earlier write: the round fails.
    var broken = false
    /// The event loops (their threads) whose round failed to commit its writes ahead of the round's end
    /// (`Store.settleGroup`): until their round's settlement, they make no change.
    var failedRounds: Set<pthread_t> = []
    /// The change-feed events of each successful write that has some, published once the round commits.
    var publications: [[ChangeFeed.Draft]] = []
}
