import SQLite
import Testing

@Suite struct DatabaseTests {
    @Test func open_InMemory_IsUsableAndEnforcesForeignKeys() throws {
        let db = try Database(path: ":memory:")
        #expect(db.isInMemory)
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(try db.scalarInt("SELECT 40 + 2") == 42)
    }

    // synchronous=OFF: commits survive a process crash (WAL in the OS page cache); SQLite never calls fdatasync.
    @Test func open_File_EnablesWALWithoutSync() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let db = try Database(path: temp.path)
        #expect(!db.isInMemory)
        #expect(try db.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try db.scalarInt("PRAGMA synchronous") == 0)  // OFF
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(temp.exists)
    }

    @Test func open_UnopenablePath_Throws() {
        let error = #expect(throws: SQLiteError.self) {
            _ = try Database(path: "/nonexistent-dir-\(UInt64.random(in: 0 ... .max))/x.db")
        }
        #expect(error?.primaryCode == ResultCode.cantOpen)
    }

    @Test func foreignKeys_ViolationReportsForeignKeyCode() throws {
        let db = try Database(path: ":memory:")
        try db.executeScript(
            """
            CREATE TABLE parent(id INTEGER PRIMARY KEY);
            CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));
            """)
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("INSERT INTO child(parent_id) VALUES(?)", [99])
        }
        #expect(error?.code == ResultCode.constraintForeignKey)
        #expect(error?.isForeignKeyViolation == true)
        #expect(error?.isConstraintViolation == true)
        #expect(error?.isUniqueViolation == false)
        #expect(try count(db, "child") == 0)
    }

    @Test func unique_ViolationIsDetected() throws {
        let db = try makeItemsDatabase()
        try db.execute("INSERT INTO items(name) VALUES(?)", ["a"])
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("INSERT INTO items(name) VALUES(?)", ["a"])
        }
        #expect(error?.code == ResultCode.constraintUnique)
        #expect(error?.isUniqueViolation == true)
        #expect(error?.isForeignKeyViolation == false)
        #expect(error?.primaryCode == ResultCode.constraint)
    }

    @Test func primaryKey_ViolationCountsAsUnique() throws {
        let db = try makeItemsDatabase()
        try db.execute("INSERT INTO items(id, name) VALUES(1, 'a')")
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("INSERT INTO items(id, name) VALUES(1, 'b')")
        }
        #expect(error?.code == ResultCode.constraintPrimaryKey)
        #expect(error?.isUniqueViolation == true)
    }

    @Test func errorDescription_OmitsBoundValues() throws {
        let db = try makeItemsDatabase()
        let secret = "secret-token-\(UInt64.random(in: 0 ... .max))"
        try db.execute("INSERT INTO items(name) VALUES(?)", [SQLiteValue(secret)])
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("INSERT INTO items(name) VALUES(?)", [SQLiteValue(secret)])
        }
        let description = try #require(error).description
        #expect(!description.contains(secret))
        #expect(description.contains("INSERT INTO items(name) VALUES(?)"))
        #expect(description.contains("\(ResultCode.constraintUnique)"))
    }

    @Test func execute_WrongArgumentCount_ThrowsRange() throws {
        let db = try makeItemsDatabase()
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("INSERT INTO items(name) VALUES(?)", [])
        }
        #expect(error?.code == ResultCode.range)
        #expect(try count(db, "items") == 0)
    }

    @Test func execute_MultipleStatements_Throws() throws {
        let db = try makeItemsDatabase()
        let error = #expect(throws: SQLiteError.self) {
            try db.execute("INSERT INTO items(name) VALUES('a'); INSERT INTO items(name) VALUES('b')")
        }
        #expect(error?.code == ResultCode.misuse)
        #expect(try count(db, "items") == 0)
        // A trailing semicolon and comment are not a second statement.
        try db.execute("INSERT INTO items(name) VALUES('c'); -- done")
        #expect(try count(db, "items") == 1)
    }

    @Test func execute_InvalidSQL_ThrowsWithSQL() throws {
        let db = try Database(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) { try db.execute("SELEC 1") }
        #expect(error?.primaryCode == ResultCode.error)
        #expect(error?.sql == "SELEC 1")
    }

    @Test func executeScript_RunsEveryStatement() throws {
        let db = try makeItemsDatabase()
        try db.executeScript("INSERT INTO items(name) VALUES('a'); INSERT INTO items(name) VALUES('b');")
        #expect(try count(db, "items") == 2)
        let error = #expect(throws: SQLiteError.self) { try db.executeScript("INSERT INTO nope VALUES(1)") }
        #expect(error?.primaryCode == ResultCode.error)
        #expect(error?.message.isEmpty == false)
    }

    @Test func lastInsertRowIDAndChanges_ReflectLastStatement() throws {
        let db = try makeItemsDatabase()
        try db.execute("INSERT INTO items(id, name) VALUES(41, 'a')")
        try db.execute("INSERT INTO items(name) VALUES('b')")
        #expect(db.lastInsertRowID == 42)
        try db.execute("UPDATE items SET name = name || '!'")
        #expect(db.changes == 2)
    }

    @Test func statementCache_ReusesStatementWithNewBindings() throws {
        let db = try makeItemsDatabase()
        for name in ["a", "b", "c"] {
            try db.execute("INSERT INTO items(name) VALUES(?)", [SQLiteValue(name)])
        }
        let sql = "SELECT name FROM items WHERE id >= ? ORDER BY id"
        #expect(try db.cachedStatement(sql) === db.cachedStatement(sql))
        #expect(try db.query(sql, [2]).map { try $0.string("name") } == ["b", "c"])
        #expect(try db.query(sql, [3]).map { try $0.string("name") } == ["c"])
        #expect(try db.query(sql, [1]).map { try $0.string("name") } == ["a", "b", "c"])
        #expect(try db.queryOne(sql, [2])?.string("name") == "b")
        #expect(try db.queryOne(sql, [9]) == nil)
    }

    @Test func durability_FileDatabaseSurvivesReopen() throws {
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        do {
            let db = try Database(path: temp.path)
            try db.executeScript("CREATE TABLE notes(body TEXT);")
            try db.write { db in try db.execute("INSERT INTO notes VALUES(?)", ["kept"]) }
            db.close()
        }
        let reopened = try Database(path: temp.path)
        #expect(try reopened.scalarString("SELECT body FROM notes") == "kept")
    }

    @Test func backup_CopiesAllData() throws {
        let source = try makeItemsDatabase()
        try source.execute("INSERT INTO items(name) VALUES(?)", ["copied"])
        let temp = TemporaryDatabasePath()
        defer { temp.remove() }
        let destination = try Database(path: temp.path)
        try destination.executeScript("CREATE TABLE stale(x); INSERT INTO stale VALUES(1);")
        try source.backup(to: destination)
        #expect(try destination.scalarString("SELECT name FROM items") == "copied")
        #expect(try destination.scalarInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'stale'") == 0)
        // The copy is independent of the source.
        try source.execute("DELETE FROM items")
        #expect(try count(destination, "items") == 1)
    }

    @Test func close_ThenUse_ThrowsMisuse() throws {
        let db = try makeItemsDatabase()
        db.close()
        db.close()  // idempotent
        #expect(db.isClosed)
        let error = #expect(throws: SQLiteError.self) { try db.query("SELECT 1") }
        #expect(error?.code == ResultCode.misuse)
    }
}
