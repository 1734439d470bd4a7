import Dispatch
import SQLite
import Synchronization
import Testing

@Suite struct DatabaseQueueTests {
    @Test func concurrentWrites_FromManyThreads_AllLand() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let queue = try DatabaseQueue(path: temp.path)
        try queue.write { db in try db.executeScript("CREATE TABLE hits(n INTEGER NOT NULL UNIQUE);") }
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            do {
                try queue.write { db in try db.execute("INSERT INTO hits(n) VALUES(?)", [SQLiteValue(index)]) }
                _ = try queue.read { db in try db.scalarInt("SELECT COUNT(*) FROM hits") }
            } catch {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(try queue.read { db in try count(db, "hits") } == 200)
        #expect(try queue.read { db in try db.scalarInt("SELECT SUM(n) FROM hits") } == 199 * 200 / 2)
    }

    @Test func write_RollsBack_WhenBodyThrows() throws {
        let queue = try DatabaseQueue(path: ":memory:")
        try queue.write { db in try db.executeScript("CREATE TABLE t(x);") }
        #expect(throws: TestFailure(id: 7)) {
            try queue.write { db in
                try db.execute("INSERT INTO t VALUES(1)")
                throw TestFailure(id: 7)
            }
        }
        #expect(try queue.read { db in try count(db, "t") } == 0)
    }

    @Test func reentrantCalls_RunInlineWithoutDeadlock() throws {
        let queue = try DatabaseQueue(path: ":memory:")
        try queue.write { db in try db.executeScript("CREATE TABLE t(x);") }
        let total = try queue.write { db in
            try db.execute("INSERT INTO t VALUES(1)")
            try? queue.write { db in
                try db.execute("INSERT INTO t VALUES(2)")
                throw TestFailure(id: 8)  // inner write is a savepoint: only this insert is undone
            }
            return try queue.read { db in try count(db, "t") }
        }
        #expect(total == 1)
        #expect(queue.path == ":memory:")
    }

    @Test func close_ThenUse_ThrowsMisuse() throws {
        let queue = try DatabaseQueue(path: ":memory:")
        queue.close()
        let error = #expect(throws: SQLiteError.self) { try queue.read { db in try db.scalarInt("SELECT 1") } }
        #expect(error?.code == ResultCode.misuse)
    }
}
