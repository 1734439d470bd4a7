import Foundation
import Glibc
import SQLite
import Testing

/// `WALWriteBuffer`, the VFS of exclusive connections: a commit's WAL frames are held and written together, but never
/// later than the commit itself, so what a finished COMMIT wrote is in the files on disk, as with the default VFS.
@Suite struct WALWriteBufferTests {
    /// The file's bytes ([] when there is none).
    private func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }

    private func write(_ bytes: [UInt8], to path: String) {
        guard let file = fopen(path, "wb") else { return }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }

    /// What a process killed right now would leave: the database and WAL files as they are on disk, copied and opened
    /// by a fresh connection (the default VFS); `(rows, sum of ids, integrity_check)`.
    private func onDisk(_ path: String) throws -> (Int, Int, String) {
        let copy = TemporaryDatabasePath()
        defer { copy.remove() }
        write(bytes(path), to: copy.path)
        write(bytes(path + "-wal"), to: copy.path + "-wal")
        let db = try Database(path: copy.path)
        defer { db.close() }
        return (
            try db.scalarInt("SELECT count(*) FROM items") ?? -1, try db.scalarInt("SELECT sum(id) FROM items") ?? 0,
            try db.scalarString("PRAGMA integrity_check") ?? ""
        )
    }

    /// An exclusive connection (through the VFS) to a new database at `temp` with an empty `items` table.
    private func itemsDatabase(_ temp: TemporaryDatabasePath) throws -> Database {
        let db = try Database(path: temp.path, exclusive: true)
        try db.executeScript("CREATE TABLE items(id INTEGER PRIMARY KEY, body TEXT NOT NULL);")
        return db
    }

    // Commits small and large — one row, then 300 rows of 1 000 bytes (about 300 KiB of frames: more than the
    // buffer and more than one write of the default VFS may take, 128 KiB) — are each whole on disk once COMMIT
    // returns, with the connection still open.
    @Test func everyCommit_IsOnDisk_WhenCommitReturns() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let db = try itemsDatabase(temp)
        defer { db.close() }
        let body = String(repeating: "w", count: 1000)
        var expected = (count: 0, sum: 0)
        for (round, size) in [1, 300, 1, 40, 2].enumerated() {
            try db.write { db in
                for n in 0..<size {
                    let id = round * 1000 + n
                    try db.execute("INSERT INTO items(id, body) VALUES(?, ?)", [.integer(Int64(id)), .text(body)])
                    expected = (expected.count + 1, expected.sum + id)
                }
            }
            let (rows, sum, integrity) = try onDisk(temp.path)
            #expect(rows == expected.count, "after commit \(round) of \(size) rows")
            #expect(sum == expected.sum)
            #expect(integrity == "ok")
        }
        // A statement outside a transaction commits by itself, and is on disk too.
        try db.execute("DELETE FROM items WHERE id = 0")
        #expect(try onDisk(temp.path).0 == expected.count - 1)
    }

    // The WAL file holds whole frames only once a commit has returned: nothing is left in the buffer.
    @Test func walFile_EndsWithACommitFrame_AfterEachCommit() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let db = try itemsDatabase(temp)
        defer { db.close() }
        let pageSize = try #require(try db.scalarInt("PRAGMA page_size"))
        for id in 1...5 {
            try db.execute("INSERT INTO items(id, body) VALUES(?, 'x')", [.integer(Int64(id))])
            let wal = bytes(temp.path + "-wal")
            let frame = 24 + pageSize
            // walformat.html §4: a 32-byte header, then frames of a 24-byte header and a page.
            #expect(wal.count > 32 && (wal.count - 32) % frame == 0, "\(wal.count) bytes")
            let last = wal.count - frame
            // Bytes 4–7 of a frame header: the database size in pages after a commit, zero otherwise.
            #expect(wal[(last + 4)..<(last + 8)].contains { $0 != 0 }, "the last frame commits")
        }
    }

    // A database written through the VFS reads back the same once closed and reopened, with and without it.
    @Test func closedAndReopened_HoldsEveryRow() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        do {
            let db = try itemsDatabase(temp)
            try db.write { db in
                for id in 1...500 {
                    try db.execute(
                        "INSERT INTO items(id, body) VALUES(?, ?)",
                        [.integer(Int64(id)), .text(String(repeating: "r", count: 500))])
                }
            }
            db.close()
        }
        for exclusive in [false, true] {
            let db = try Database(path: temp.path, exclusive: exclusive)
            #expect(try db.scalarInt("SELECT count(*) FROM items") == 500)
            #expect(try db.scalarString("PRAGMA integrity_check") == "ok")
            db.close()
        }
    }
}
