import Logging
import SQLite
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// A store created now has 2 KiB pages (`Store.newPageSize`, chosen for the WAL's cost per changed page in issue
/// #12); one created with 4 KiB pages (SQLite's default, every store before that change) keeps them, and its
/// snapshots and resets still work: an online backup needs the same page size at both ends.
@Suite struct StorePageSizeTests {
    private static func temporaryPath() -> String {
        "/tmp/freshchat-pages-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal", "-restoring"] { unlink(path + suffix) }
    }

    @Test func newFileStore_Has2KiBPages() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let store = try Store(path: path)
        defer { store.close() }
        #expect(Store.newPageSize == 2048)
        #expect(try store.pageSize() == 2048)
        #expect(try store.read { try $0.scalarString("PRAGMA journal_mode") } == "wal")
    }

    @Test func newMemoryStore_Has2KiBPages() throws {
        #expect(try Store(path: ":memory:").pageSize() == 2048)
    }

    // An existing store is not rewritten: its pages stay as they were made.
    @Test func existingStore_KeepsItsPageSize() throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let old = try Store(path: path, pageSize: 4096)
        try old.load(.embedded)
        let saved = try old.dump()
        old.close()
        let reopened = try Store(path: path)
        defer { reopened.close() }
        #expect(try reopened.pageSize() == 4096)
        #expect(try reopened.dump() == saved)
    }

    // A snapshot of a 4 KiB store is a 4 KiB copy, and restoring it (in place or through the WAL) gives the state back.
    @Test(arguments: [0, 64 << 20])
    func existingStore_SnapshotAndRestore_Work(inPlaceMinimumBytes: Int) throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        try Store(path: path, pageSize: 4096).close()
        let store = try Store(path: path)
        defer { store.close() }
        try store.load(.embedded)
        let saved = try store.dump()
        let snapshot = try store.copy()
        #expect(try snapshot.pageSize() == 4096)
        try store.write { try $0.execute("DELETE FROM agent_group") }
        try store.restore(from: snapshot, inPlaceMinimumBytes: inPlaceMinimumBytes)
        #expect(try store.dump() == saved)
        #expect(try store.pageSize() == 4096)
        #expect(try store.read { try $0.scalarString("PRAGMA integrity_check") } == "ok")
    }

    // `POST /_emulator/reset` restores a template built in memory: with the workspace store's page size, whatever it is.
    @Test(arguments: [2048, 4096])
    func reset_RestoresTheSeed_WhateverThePageSize(pageSize: Int) throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        try Store(path: path, pageSize: pageSize).close()
        var config = Config()
        config.databasePath = path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let emulator = try Emulator.open(config: config, logger: logger)
        defer { emulator.store.close() }
        let workspace = Workspace(name: "default", emulator: emulator)
        let seeded = try emulator.store.dump()
        try emulator.store.write { try $0.execute("DELETE FROM agent_group") }
        #expect(try emulator.store.dump() != seeded)
        try workspace.reset(seeded: true)
        #expect(try emulator.store.pageSize() == pageSize)
        #expect(try emulator.store.read { try $0.scalarInt("SELECT count(*) FROM agent_group") } ?? 0 > 0)
    }
}
