import Glibc
import SQLite
import Testing

/// `Database.restore(from:inPlaceMinimumBytes:)`: a file database replaced by another's pages stays in WAL mode
/// and holds exactly the source's rows, whether the copy went in place (journal off) or through the WAL.
@Suite struct RestoreTests {
    /// Bytes in the file at `path`; 0 when there is none.
    private func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Adds rows `ids` to `items` (created if needed), each with a 1 000-byte body of `letter`.
    private func fill(_ db: Database, _ ids: ClosedRange<Int>, _ letter: Character) throws {
        try db.executeScript("CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, body TEXT NOT NULL);")
        try db.write { db in
            for id in ids {
                try db.execute(
                    "INSERT INTO items(id, body) VALUES(?, ?)",
                    [.integer(Int64(id)), .text(String(repeating: letter, count: 1000))])
            }
        }
    }

    /// `(count, ids checksum, bodies of letter)` of `items`.
    private func rows(_ db: Database, _ letter: Character) throws -> [Int] {
        [
            try db.scalarInt("SELECT count(*) FROM items") ?? -1,
            try db.scalarInt("SELECT sum(id) FROM items") ?? -1,
            try db.scalarInt(
                "SELECT count(*) FROM items WHERE body = ?", [.text(String(repeating: letter, count: 1000))])
                ?? -1,
        ]
    }

    /// A source of 100 rows of "s" in memory.
    private func source() throws -> Database {
        let source = try Database(path: ":memory:")
        try fill(source, 1...100, "s")
        return source
    }

    @Test func inPlace_StaysWAL_HoldsExactlyTheSource_AndLaterWritesPersist() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        do {
            let db = try Database(path: temp.path)
            try fill(db, 1...300, "d")
            try db.executeScript("CREATE TABLE stale(x); INSERT INTO stale VALUES(1);")
            #expect(fileSize(temp.path + "-wal") > 0)
            try db.restore(from: try source(), inPlaceMinimumBytes: 0)
            // Written in place: the WAL was emptied when the journal went off, and nothing went through it.
            #expect(fileSize(temp.path + "-wal") == 0)
            #expect(access(temp.path + "-restoring", F_OK) != 0)
            #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
            #expect(try rows(db, "s") == [100, 5050, 100])
            #expect(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name = 'stale'") == 0)
            #expect(try db.scalarString("PRAGMA integrity_check") == "ok")
            // The file shrank to the source's pages.
            let pages = try db.scalarInt("PRAGMA page_count") ?? 0
            #expect(fileSize(temp.path) == pages * (try db.scalarInt("PRAGMA page_size") ?? 0))
            try fill(db, 101...101, "s")
            db.close()
        }
        let reopened = try Database(path: temp.path)
        defer { reopened.close() }
        #expect(try reopened.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try rows(reopened, "s") == [101, 5151, 101])
    }

    @Test func belowTheMinimum_GoesThroughTheWAL() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let db = try Database(path: temp.path)
        defer { db.close() }
        try fill(db, 1...300, "d")
        try db.executeScript("PRAGMA wal_checkpoint(TRUNCATE);")
        try db.restore(from: try source())  // 64 MiB minimum
        #expect(fileSize(temp.path + "-wal") > 100 * 1000)
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try rows(db, "s") == [100, 5050, 100])
    }

    // Growing the file in place could fail half-way on a full disk, with no journal to undo it.
    @Test func aSourceLargerThanTheFile_GoesThroughTheWAL() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let db = try Database(path: temp.path)
        defer { db.close() }
        try fill(db, 1...10, "d")
        try db.executeScript("PRAGMA wal_checkpoint(TRUNCATE);")
        try db.restore(from: try source(), inPlaceMinimumBytes: 0)
        #expect(fileSize(temp.path + "-wal") > 100 * 1000)
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try rows(db, "s") == [100, 5050, 100])
    }

    // Another connection keeps the file in WAL mode (journal_mode = OFF answers SQLITE_BUSY): the copy goes through
    // the WAL, and that connection reads the restored rows.
    @Test func anotherConnectionOpen_GoesThroughTheWAL() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let db = try Database(path: temp.path)
        defer { db.close() }
        try fill(db, 1...300, "d")
        let other = try Database(path: temp.path)
        defer { other.close() }
        #expect(try rows(other, "d") == [300, 45150, 300])
        try db.executeScript("PRAGMA wal_checkpoint(TRUNCATE);")
        #expect(fileSize(temp.path + "-wal") == 0)
        try db.restore(from: try source(), inPlaceMinimumBytes: 0)
        #expect(access(temp.path + "-restoring", F_OK) != 0)
        #expect(fileSize(temp.path + "-wal") > 100 * 1000)
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try rows(db, "s") == [100, 5050, 100])
        #expect(try rows(other, "s") == [100, 5050, 100])
    }

    @Test func inMemoryDestination_IsReplaced() throws {
        let db = try Database(path: ":memory:")
        try fill(db, 1...300, "d")
        try db.restore(from: try source(), inPlaceMinimumBytes: 0)
        #expect(try rows(db, "s") == [100, 5050, 100])
        #expect(try db.scalarString("PRAGMA journal_mode") == "memory")
    }

    // The marker outlives a process killed while the file was written in place; opening is then refused.
    @Test func leftMarker_IsReported() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        try Database.checkRestoreCompleted(path: temp.path)
        let marker = try #require(Database.restoreMarker(path: temp.path))
        #expect(marker == temp.path + "-restoring")
        let file = try #require(fopen(marker, "w"))
        fclose(file)
        let error = #expect(throws: SQLiteError.self) { try Database.checkRestoreCompleted(path: temp.path) }
        #expect(error?.code == ResultCode.corrupt)
        #expect(error?.message.contains(marker) == true)
        #expect(Database.restoreMarker(path: ":memory:") == nil)
        #expect(Database.restoreMarker(path: "") == nil)
        #expect(Database.restoreMarker(path: "file:x.db?mode=memory") == nil)
    }

    @Test func withMemoryMappedReads_PutsTheLimitBack() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let db = try Database(path: temp.path)
        defer { db.close() }
        try fill(db, 1...300, "d")
        let before = try db.scalarInt("PRAGMA mmap_size")
        let inside = try db.withMemoryMappedReads { try db.scalarInt("PRAGMA mmap_size") ?? 0 }
        #expect(inside >= 300 * 1000)
        #expect(try db.scalarInt("PRAGMA mmap_size") == before)
    }
}
