import SQLite
import Testing

@Suite struct TransactionTests {
    private func names(_ db: Database) throws -> [String] {
        try db.query("SELECT name FROM items ORDER BY id").map { try $0.string("name") }
    }

    @Test func write_CommitsAndReturnsValue() throws {
        let db = try makeItemsDatabase()
        let id = try db.write { db in
            #expect(db.isInTransaction)
            try db.execute("INSERT INTO items(name) VALUES('a')")
            return db.lastInsertRowID
        }
        #expect(id == 1)
        #expect(!db.isInTransaction)
        #expect(try names(db) == ["a"])
    }

    @Test func write_RollsBack_WhenBodyThrows() throws {
        let db = try makeItemsDatabase()
        #expect(throws: TestFailure(id: 1)) {
            try db.write { db in
                try db.execute("INSERT INTO items(name) VALUES('a')")
                throw TestFailure(id: 1)
            }
        }
        #expect(!db.isInTransaction)
        #expect(try count(db, "items") == 0)
    }

    @Test func write_RethrowsSQLiteErrorFromBody() throws {
        let db = try makeItemsDatabase()
        let error = #expect(throws: SQLiteError.self) {
            try db.write { db in
                try db.execute("INSERT INTO items(name) VALUES('a')")
                try db.execute("INSERT INTO items(name) VALUES('a')")
            }
        }
        #expect(error?.isUniqueViolation == true)
        #expect(try count(db, "items") == 0)
    }

    @Test func write_RollsBack_WhenCommitFails() throws {
        let db = try Database(path: ":memory:")
        try db.executeScript(
            """
            CREATE TABLE parent(id INTEGER PRIMARY KEY);
            CREATE TABLE child(parent_id INTEGER REFERENCES parent(id));
            """)
        let error = #expect(throws: SQLiteError.self) {
            try db.write { db in
                try db.execute("PRAGMA defer_foreign_keys = ON")
                try db.execute("INSERT INTO child VALUES(5)")  // checked only at COMMIT
            }
        }
        #expect(error?.code == ResultCode.constraintForeignKey)
        #expect(!db.isInTransaction)
        #expect(try count(db, "child") == 0)
    }

    @Test func write_KeepsFirstError_WhenRollbackFails() throws {
        let db = try makeItemsDatabase()
        // The body ends the transaction itself, so the wrapper's rollback has nothing to roll back.
        #expect(throws: TestFailure(id: 2)) {
            try db.write { db in
                try db.execute("INSERT INTO items(name) VALUES('a')")
                try db.execute("ROLLBACK")
                throw TestFailure(id: 2)
            }
        }
        #expect(!db.isInTransaction)
        #expect(try count(db, "items") == 0)
    }

    @Test func nestedWrite_KeepsFirstError_WhenSavepointRollbackFails() throws {
        let db = try makeItemsDatabase()
        // ROLLBACK inside the savepoint discards it, so ROLLBACK TO and RELEASE both fail afterwards.
        #expect(throws: TestFailure(id: 3)) {
            try db.write { db in
                try db.write { db in
                    try db.execute("INSERT INTO items(name) VALUES('a')")
                    try db.execute("ROLLBACK")
                    throw TestFailure(id: 3)
                }
            }
        }
        #expect(!db.isInTransaction)
        #expect(try count(db, "items") == 0)
    }

    @Test func nestedWrite_RollsBackInnerOnly() throws {
        let db = try makeItemsDatabase()
        try db.write { db in
            try db.execute("INSERT INTO items(name) VALUES('outer-1')")
            #expect(throws: TestFailure(id: 4)) {
                try db.write { db in
                    try db.execute("INSERT INTO items(name) VALUES('inner')")
                    throw TestFailure(id: 4)
                }
            }
            #expect(db.isInTransaction)
            try db.execute("INSERT INTO items(name) VALUES('outer-2')")
        }
        #expect(try names(db) == ["outer-1", "outer-2"])
    }

    @Test func nestedWrite_InnerWorkRollsBackWithOuter() throws {
        let db = try makeItemsDatabase()
        #expect(throws: TestFailure(id: 5)) {
            try db.write { db in
                try db.write { db in
                    try db.write { db in try db.execute("INSERT INTO items(name) VALUES('deep')") }
                    try db.execute("INSERT INTO items(name) VALUES('inner')")
                }
                #expect(try count(db, "items") == 2)
                throw TestFailure(id: 5)
            }
        }
        #expect(try count(db, "items") == 0)
    }

    @Test func nestedWrite_SiblingSavepointsAreIndependent() throws {
        let db = try makeItemsDatabase()
        try db.write { db in
            try db.write { db in try db.execute("INSERT INTO items(name) VALUES('first')") }
            try? db.write { db in
                try db.execute("INSERT INTO items(name) VALUES('second')")
                throw TestFailure(id: 6)
            }
            try db.write { db in try db.execute("INSERT INTO items(name) VALUES('third')") }
        }
        #expect(try names(db) == ["first", "third"])
    }

    @Test func read_RunsInDeferredTransaction() throws {
        let db = try makeItemsDatabase()
        try db.execute("INSERT INTO items(name) VALUES('a')")
        let total = try db.read { db in
            #expect(db.isInTransaction)
            return try count(db, "items")
        }
        #expect(total == 1)
        #expect(!db.isInTransaction)
        let nested = try db.write { db in try db.read { db in db.isInTransaction } }
        #expect(nested)
    }
}
