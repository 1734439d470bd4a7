/// Transactions and savepoints, see <https://www.sqlite.org/lang_transaction.html> and
/// <https://www.sqlite.org/lang_savepoint.html>.
extension Database {
    /// Runs `body` in a write transaction and commits it, or rolls back if `body` (or COMMIT) throws.
    ///
    /// At top level this is `BEGIN IMMEDIATE` … `COMMIT`. When a transaction is already open (a `write`
    /// inside a `write`), it is a savepoint instead: `SAVEPOINT sN` … `RELEASE sN`, or on error
    /// `ROLLBACK TO sN` + `RELEASE sN`, which undoes only the inner work. The error thrown is always the
    /// first one; a failing rollback never masks it.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        if isInTransaction {
            return try inSavepoint(body)
        }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            rollbackIgnoringErrors()
            throw error
        }
    }

    /// Runs `body` in a deferred transaction so all its reads see one consistent snapshot.
    ///
    /// Inside an open transaction `body` simply runs. Writes are not prevented, but should use ``write(_:)``.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        if isInTransaction {
            return try body(self)
        }
        try execute("BEGIN DEFERRED")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            rollbackIgnoringErrors()
            throw error
        }
    }

    /// Runs `body` inside a uniquely named savepoint.
    private func inSavepoint<T>(_ body: (Database) throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "s\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body(self)
            try execute("RELEASE \(name)")
            return result
        } catch {
            // Either may fail (e.g. SQLite already rolled the whole transaction back); the first error wins.
            try? execute("ROLLBACK TO \(name)")
            try? execute("RELEASE \(name)")
            throw error
        }
    }

    /// Rolls back the open transaction, if any, swallowing errors so the original error is kept.
    private func rollbackIgnoringErrors() {
        if isInTransaction {
            try? execute("ROLLBACK")
        }
    }
}
