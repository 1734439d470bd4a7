import Glibc
import SQLite

/// A unique database path under /tmp whose files (including -wal/-shm) are removed on `remove()`.
struct TemporaryDatabasePath {
    let path: String

    init() {
        path = "/tmp/sqlite-test-\(String(UInt64.random(in: .min ... .max), radix: 16)).db"
    }

    /// Deletes the database file and its WAL/shared-memory/journal companions (and a restore's marker).
    func remove() {
        for suffix in ["", "-wal", "-shm", "-journal", "-restoring"] {
            unlink(path + suffix)
        }
    }

    /// Whether the main database file exists on disk.
    var exists: Bool {
        access(path, F_OK) == 0
    }
}

/// An error thrown by test closures to exercise rollback paths.
struct TestFailure: Error, Equatable {
    let id: Int
}

/// Opens a fresh in-memory database with a small `items` table.
func makeItemsDatabase() throws -> Database {
    let db = try Database(path: ":memory:")
    try db.executeScript("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);")
    return db
}

/// The number of rows in `table`.
func count(_ db: Database, _ table: String) throws -> Int {
    try db.scalarInt("SELECT COUNT(*) FROM \(table)") ?? -1
}

/// SQLite result codes as documented at https://www.sqlite.org/rescode.html, spelled out numerically so the
/// tests check the wrapper against the documented values rather than against its own constants.
enum ResultCode {
    static let error: Int32 = 1
    static let corrupt: Int32 = 11
    static let cantOpen: Int32 = 14
    static let constraint: Int32 = 19
    static let mismatch: Int32 = 20
    static let misuse: Int32 = 21
    static let range: Int32 = 25
    static let constraintForeignKey: Int32 = 787
    static let constraintPrimaryKey: Int32 = 1555
    static let constraintUnique: Int32 = 2067
}
