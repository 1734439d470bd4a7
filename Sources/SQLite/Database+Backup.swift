import CSQLite

/// Online backup, see <https://www.sqlite.org/backup.html>.
extension Database {
    /// Copies the whole main database into `other`, replacing its contents.
    ///
    /// Uses `sqlite3_backup_init` / `sqlite3_backup_step(-1)` / `sqlite3_backup_finish` in one pass, so the
    /// copy is a consistent snapshot. Both connections must be confined to the calling thread for the
    /// duration, and `other` must not be in a transaction. See <https://www.sqlite.org/c3ref/backup_finish.html>.
    public func backup(to other: Database) throws {
        let source = try openConnection()
        let destination = try other.openConnection()
        guard let backup = sqlite3_backup_init(destination, "main", source, "main") else {
            throw SQLiteError(code: sqlite3_extended_errcode(destination), connection: destination)
        }
        let stepRC = sqlite3_backup_step(backup, -1)
        let finishRC = sqlite3_backup_finish(backup)
        guard stepRC == SQLITE_DONE else {
            throw SQLiteError(code: stepRC, message: String(cString: sqlite3_errstr(stepRC)))
        }
        guard finishRC == SQLITE_OK else {
            throw SQLiteError(code: finishRC, connection: destination)
        }
    }
}
