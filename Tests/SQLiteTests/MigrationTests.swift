import SQLite
import Testing

@Suite struct MigrationTests {
    private let base = [
        "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);",
        "ALTER TABLE users ADD COLUMN name TEXT; CREATE INDEX users_name ON users(name);",
    ]

    private func tableExists(_ db: Database, _ name: String) throws -> Bool {
        try db.scalarInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = ?", [SQLiteValue(name)]) == 1
    }

    @Test func migrate_FreshDatabase_AppliesAll() throws {
        let db = try Database(path: ":memory:")
        #expect(try db.userVersion() == 0)
        try db.migrate(base)
        #expect(try db.userVersion() == 2)
        #expect(try tableExists(db, "users"))
        #expect(try tableExists(db, "users_name"))
        try db.execute("INSERT INTO users(email, name) VALUES(?, ?)", ["a@x", "A"])
    }

    @Test func migrate_Rerun_AppliesNothing() throws {
        let db = try Database(path: ":memory:")
        try db.migrate(base)
        try db.execute("INSERT INTO users(email) VALUES('a@x')")
        // Re-running would fail ("table users already exists") if any script ran again.
        try db.migrate(base)
        #expect(try db.userVersion() == 2)
        #expect(try count(db, "users") == 1)
    }

    @Test func migrate_Appended_AppliesOnlyNew() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        do {
            let db = try Database(path: temp.path)
            try db.migrate(base)
        }
        let db = try Database(path: temp.path)
        try db.migrate(base + ["CREATE TABLE audit(id INTEGER PRIMARY KEY);"])
        #expect(try db.userVersion() == 3)
        #expect(try tableExists(db, "audit"))
    }

    @Test func migrate_Failing_RollsBackAndKeepsVersion() throws {
        let db = try Database(path: ":memory:")
        try db.migrate(base)
        let broken = "CREATE TABLE partial(id INTEGER); INSERT INTO missing_table VALUES(1);"
        let error = #expect(throws: SQLiteError.self) {
            try db.migrate(base + [broken, "CREATE TABLE later(id INTEGER);"])
        }
        #expect(error?.primaryCode == ResultCode.error)
        #expect(try db.userVersion() == 2)
        #expect(try !tableExists(db, "partial"))
        #expect(try !tableExists(db, "later"))
        #expect(!db.isInTransaction)
    }

    @Test func migrate_FailingFirstOfSeveral_AppliesNone() throws {
        let db = try Database(path: ":memory:")
        #expect(throws: SQLiteError.self) {
            try db.migrate(["CREATE TABLE a(x); SELECT nope FROM nowhere;", "CREATE TABLE b(x);"])
        }
        #expect(try db.userVersion() == 0)
        #expect(try !tableExists(db, "a"))
    }

    @Test func migrate_DatabaseNewerThanList_Throws() throws {
        let db = try Database(path: ":memory:")
        try db.migrate(base)
        let error = #expect(throws: SQLiteError.self) { try db.migrate(Array(base.prefix(1))) }
        #expect(error?.code == ResultCode.error)
        #expect(try db.userVersion() == 2)
    }
}
