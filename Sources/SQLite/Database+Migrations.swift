import CSQLite

/// Schema migrations tracked by `PRAGMA user_version`, see <https://www.sqlite.org/pragma.html#pragma_user_version>.
extension Database {
    /// The schema version stored in the database header (`PRAGMA user_version`).
    public func userVersion() throws -> Int {
        try scalarInt("PRAGMA user_version") ?? 0
    }

    /// Applies the migrations the database has not seen yet.
    ///
    /// `migrations` is an append-only list of SQL scripts: script `i` moves the schema from version `i` to
    /// `i + 1`. Every script with index ≥ `user_version` runs in its own transaction together with
    /// `PRAGMA user_version = i + 1`, so a failing script rolls back completely and leaves the version
    /// unchanged (earlier scripts stay applied).
    ///
    /// Scripts must not contain `BEGIN`/`COMMIT` themselves, and `PRAGMA foreign_keys` is a no-op inside the
    /// transaction (see <https://www.sqlite.org/lang_altertable.html#otheralter> for table rebuilds).
    /// - Throws: the script's ``SQLiteError``, or `SQLITE_ERROR` if the database is newer than the list.
    public func migrate(_ migrations: [String]) throws {
        let current = try userVersion()
        guard current <= migrations.count else {
            throw SQLiteError(
                code: SQLITE_ERROR,
                message: "database schema version \(current) is newer than the \(migrations.count) known migrations")
        }
        for (index, script) in migrations.enumerated() where index >= current {
            try write { db in
                try db.executeScript(script)
                try db.executeScript("PRAGMA user_version = \(index + 1)")
            }
        }
    }
}
