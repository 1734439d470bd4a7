import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Runs `body` with this file database's pages read through a memory map (`PRAGMA mmap_size`) instead of one
    /// `pread(2)` each, then puts the previous limit back. An online backup reads every page of both databases
    /// once, so on a large file this saves ~25 % of a copy (a 900 MB store: 0.93 → 0.71 s) and of a restore.
    /// SQLite still writes with `pwrite(2)` and maps at most `SQLITE_MAX_MMAP_SIZE` (2 GB in Debian's build);
    /// nothing changes on disk. A no-op for in-memory databases. See <https://www.sqlite.org/mmap.html>.
    public func withMemoryMappedReads<T>(_ body: () throws -> T) throws -> T {
        guard !isInMemory else { return try body() }
        let previous = try pragma("PRAGMA mmap_size")?.intValue ?? 0
        let bytes = (try pragma("PRAGMA page_count")?.intValue ?? 0) * (try pragma("PRAGMA page_size")?.intValue ?? 0)
        _ = try pragma("PRAGMA mmap_size = \(max(previous, bytes))")
        defer { _ = try? pragma("PRAGMA mmap_size = \(previous)") }
        return try body()
    }

    /// Replaces this database's contents with `source`'s (an online backup from `source` into this connection):
    /// afterwards it holds exactly `source`'s pages, and a file database is in WAL mode as before.
    ///
    /// Into a WAL file database a backup writes every page twice: into the WAL, then into the file at the
    /// checkpoint (1.3–2.8 s for a 900 MB store, issue #12). So when `source` holds at least `inPlaceMinimumBytes`
    /// and is not larger than this file, and the file is a plain path in WAL mode, the pages are written once, in
    /// place, with `PRAGMA journal_mode = OFF` (0.7 s for 900 MB); WAL mode is switched back on after. A rollback
    /// journal (`journal_mode = DELETE`, `PERSIST`) would keep the old pages for a crash but measured slower than
    /// WAL (2.3–2.7 s: three writes per page into the journal). The cost of the fast path: a process killed while
    /// the pages are being written leaves a file mixing old and new pages, with no journal to roll it back. So a
    /// marker file, the path plus `-restoring`, exists for exactly that time, and ``checkRestoreCompleted(path:)``
    /// refuses to open a database whose marker is left: the damage is reported at start-up instead of surfacing
    /// as wrong rows later. A backup that fails in that mode leaves the marker too (there is no rollback).
    /// Only growing the file is left to WAL mode, so a full disk cannot stop the in-place copy half-way.
    /// Smaller copies (a reset's template) keep the WAL and its crash safety: they take milliseconds either way.
    /// See <https://www.sqlite.org/pragma.html#pragma_journal_mode>.
    public func restore(from source: Database, inPlaceMinimumBytes: Int = 64 << 20) throws {
        try withMemoryMappedReads {
            guard let marker = Self.restoreMarker(path: path), try pragma("PRAGMA journal_mode")?.stringValue == "wal",
                try Self.fitsInPlace(source, into: self, minimumBytes: inPlaceMinimumBytes)
            else {
                try source.backup(to: self)
                return
            }
            // Without its marker (a directory we cannot write to) the copy goes through the WAL.
            guard Self.createMarker(marker) else {
                try source.backup(to: self)
                return
            }
            // Leaving WAL mode checkpoints the WAL and deletes it; it fails (SQLITE_BUSY) or answers "wal" while
            // another connection has the file open, and the copy then goes through the WAL as before.
            guard (try? pragma("PRAGMA journal_mode = OFF"))?.stringValue == "off" else {
                unlink(marker)
                try source.backup(to: self)
                return
            }
            do {
                try source.backup(to: self)
            } catch {
                _ = try? pragma("PRAGMA journal_mode = WAL")
                throw error
            }
            // The backup has committed: the file is whole again (a consistent rollback-mode database until WAL mode
            // is back on, which the next open would switch on too).
            unlink(marker)
            guard try pragma("PRAGMA journal_mode = WAL")?.stringValue == "wal" else {
                throw SQLiteError(code: SQLITE_ERROR, message: "could not switch back to WAL mode after a restore")
            }
        }
    }

    /// Whether `source` is worth copying in place into `destination` and can be: at least `minimumBytes`, not
    /// larger than the file (growing it could fail half-way on a full disk), and the same page size (a backup in
    /// journal_mode OFF would change the file's page size, i.e. its format).
    private static func fitsInPlace(_ source: Database, into destination: Database, minimumBytes: Int) throws -> Bool {
        let pageSize = try destination.pragma("PRAGMA page_size")?.intValue ?? 0
        let pages = try destination.pragma("PRAGMA page_count")?.intValue ?? 0
        let sourcePages = try source.pragma("PRAGMA page_count")?.intValue ?? 0
        return try source.pragma("PRAGMA page_size")?.intValue == pageSize && sourcePages <= pages
            && sourcePages * pageSize >= minimumBytes
    }

    /// The marker file ``restore(from:inPlaceMinimumBytes:)`` keeps while it writes a file in place: the path as
    /// given plus `-restoring`; nil for in-memory and temporary databases and `file:` URIs (they are always
    /// restored through the WAL).
    public static func restoreMarker(path: String) -> String? {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return nil }
        return path + "-restoring"
    }

    /// Throws when a restore into the database at `path` was interrupted while it wrote the file in place (its
    /// marker file is still there): the file may mix two states. Call before opening it.
    /// - Throws: ``SQLiteError`` with `SQLITE_CORRUPT`, naming the file and what to do.
    public static func checkRestoreCompleted(path: String) throws {
        guard let marker = restoreMarker(path: path), access(marker, F_OK) == 0 else { return }
        throw SQLiteError(
            code: SQLITE_CORRUPT,
            message: "\(path) was being restored from a snapshot when the process stopped (\(marker) is left), so it "
                + "may mix old and new pages: delete \(path) and \(marker) to start afresh, or put a copy back")
    }

    /// Creates the marker file; false when it cannot be created.
    private static func createMarker(_ marker: String) -> Bool {
        guard let file = fopen(marker, "w") else { return false }
        fputs("A snapshot restore is writing the database file in place; if this file is left, it is damaged.\n", file)
        guard fclose(file) == 0 else {
            unlink(marker)
            return false
        }
        return true
    }

    /// The first column of a pragma's first row, through an uncached statement (pragmas stay out of
    /// ``cachedSQL``).
    private func pragma(_ sql: String) throws -> SQLiteValue? {
        let statement = try makeStatement(sql)
        defer { statement.reset() }
        guard try statement.step(), statement.columnCount > 0 else { return nil }
        return statement.value(at: 0)
    }
}
