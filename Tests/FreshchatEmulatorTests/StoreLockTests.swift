import Foundation
import SQLite
import Testing

@testable import FreshchatEmulator

/// A file store is locked for the emulator that opened it (`Database`'s `exclusive`, chosen for speed in issue #12):
/// a second emulator on the same file stops with a clear error instead of serving a store another process changes
/// under it, and the next emulator opens it as soon as the first has closed it.
@Suite struct StoreLockTests {
    private static func temporaryPath() -> String {
        "/tmp/freshchat-lock-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
    }

    @Test func secondStoreOnTheSameFile_FailsNamingTheLock_UntilTheFirstCloses() throws {
        let path = Self.temporaryPath()
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let first = try Store(path: path)
        try first.write { try $0.execute("INSERT INTO account (id, app_id, doc) VALUES (1, 'app', '{}')") }
        let error = #expect(throws: SQLiteError.self) { _ = try Store(path: path) }
        #expect(error?.isBusy == true)
        #expect(error?.message.contains("\(path) is in use by another process") == true)
        // The first store still works, and nothing it wrote was lost.
        #expect(try first.read { try $0.scalarInt("SELECT count(*) FROM account") } == 1)
        first.close()
        let second = try Store(path: path)
        defer { second.close() }
        #expect(try second.read { try $0.scalarInt("SELECT count(*) FROM account") } == 1)
    }

    // With the lock held for the connection's life, the WAL index lives in memory: no `-shm` file is made.
    @Test func fileStore_KeepsItsWALIndexInMemory() throws {
        let path = Self.temporaryPath()
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let store = try Store(path: path)
        defer { store.close() }
        try store.write { try $0.execute("INSERT INTO account (id, app_id, doc) VALUES (1, 'app', '{}')") }
        #expect(try store.read { try $0.scalarString("PRAGMA journal_mode") } == "wal")
        #expect(access(path + "-wal", F_OK) == 0)
        #expect(access(path + "-shm", F_OK) != 0)
    }
}
