import SQLite
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Snapshots of a file store (issue #12): a restore gives back exactly the saved state, the file stays in WAL mode,
/// and what is written after it survives reopening the file.
@Suite struct SnapshotRestoreTests {
    private static func temporaryPath() -> String {
        "/tmp/freshchat-restore-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal", "-restoring"] { unlink(path + suffix) }
    }

    /// Saves the seeded file store, changes it, restores it (in place when `inPlaceMinimumBytes` is 0, through the
    /// WAL for the default 64 MiB), writes once more and reopens it.
    private func saveChangeRestoreReopen(inPlaceMinimumBytes: Int) throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let afterWrite: JSONValue
        do {
            let store = try Store(path: path)
            defer { store.close() }
            try store.load(.embedded)
            let saved = try store.dump()
            let snapshot = try store.copy()
            #expect(try snapshot.dump() == saved)
            try store.write { db in
                try db.execute("DELETE FROM agent_group")
                try db.execute("INSERT INTO agent_status (id, name, position) VALUES ('later', 'Later', 99)")
            }
            #expect(try store.dump() != saved)
            let mark = store.feed.lastID
            try store.restore(from: snapshot, inPlaceMinimumBytes: inPlaceMinimumBytes)
            #expect(try store.dump() == saved)
            #expect(try store.read { try $0.scalarString("PRAGMA journal_mode") } == "wal")
            #expect(try store.read { try $0.scalarString("PRAGMA integrity_check") } == "ok")
            #expect(access(path + "-restoring", F_OK) != 0)
            // In place, nothing went through the WAL (leaving WAL mode emptied it); otherwise every page did.
            var wal = stat()
            let walBytes = stat(path + "-wal", &wal) == 0 ? Int(wal.st_size) : 0
            #expect((walBytes == 0) == (inPlaceMinimumBytes == 0), "WAL: \(walBytes) bytes")
            #expect(store.feed.events.filter { $0.id > mark }.map(\.name) == ["reset"])
            try store.write { db in
                try db.execute("INSERT INTO agent_status (id, name, position) VALUES ('after', 'After', 98)")
            }
            afterWrite = try store.dump()
            #expect(afterWrite != saved)
        }
        let reopened = try Store(path: path)
        defer { reopened.close() }
        #expect(try reopened.dump() == afterWrite)
        #expect(try reopened.read { try $0.scalarString("PRAGMA journal_mode") } == "wal")
    }

    @Test func fileStore_RestoredInPlace_HoldsTheSavedState_StaysWAL_AndKeepsLaterWrites() throws {
        try saveChangeRestoreReopen(inPlaceMinimumBytes: 0)
    }

    @Test func fileStore_RestoredThroughTheWAL_HoldsTheSavedState_StaysWAL_AndKeepsLaterWrites() throws {
        try saveChangeRestoreReopen(inPlaceMinimumBytes: 64 << 20)
    }

    // A process killed while a restore wrote the file in place leaves the marker: the store is not opened.
    @Test func interruptedInPlaceRestore_StoreIsNotOpened() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        try Store(path: path).close()
        let file = try #require(fopen(path + "-restoring", "w"))
        fclose(file)
        let error = #expect(throws: SQLiteError.self) { try Store(path: path) }
        #expect(error?.message.contains("restored from a snapshot") == true)
        unlink(path + "-restoring")
        try Store(path: path).close()
    }
}
