import SQLite
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// The stored schema after the migrations: CHECK lists spelled so SQLite builds nothing per row written
/// (`Database.expandCheckLists`), and the single-value user filters listed in order from their index (migration 9).
@Suite struct SchemaTests {
    @Test func expandingCheckLists_SpellsListsOfThreeOrMoreAsEqualities() {
        #expect(
            Database.expandingCheckLists("status TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'resolved')),")
                == "status TEXT NOT NULL CHECK (status = 'new' OR status = 'assigned' OR status = 'resolved'),")
        // A list over several lines; two values (compiled as comparisons already) and other CHECKs stay as written.
        let sql = """
            CREATE TABLE t (
                action TEXT NOT NULL CHECK (action IN ('message_create', 'conversation_assignment',
                    'conversation_resolution')),
                flag INTEGER NOT NULL CHECK (flag IN (0, 1)),
                n INTEGER CHECK (n > 0),
                kind TEXT CHECK (kind IN (1, 2, 3))
            )
            """
        let expanded = Database.expandingCheckLists(sql)
        #expect(
            expanded.contains(
                "CHECK (action = 'message_create' OR action = 'conversation_assignment'"
                    + " OR action = 'conversation_resolution')"))
        #expect(expanded.contains("CHECK (flag IN (0, 1))"))
        #expect(expanded.contains("CHECK (n > 0)"))
        #expect(expanded.contains("CHECK (kind = 1 OR kind = 2 OR kind = 3)"))
        #expect(Database.expandingCheckLists(expanded) == expanded)
    }

    // A CHECK on an IN list of three or more compiles to a temporary index (OpenEphemeral) built at every row
    // written; after the rewrite no table's insert builds one.
    @Test func openStore_WritesNoTableThroughATemporaryIndex() throws {
        let store = try Store(path: ":memory:")
        defer { store.close() }
        try store.read { db in
            let tables = try db.query(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            .map { try $0.string("name") }
            #expect(tables.contains("message") && tables.contains("conversation"))
            for table in tables {
                let program = try db.query("EXPLAIN INSERT INTO \"\(table)\" DEFAULT VALUES").map {
                    try $0.string("opcode")
                }
                #expect(!program.contains("OpenEphemeral"), "INSERT INTO \(table)")
            }
            #expect(try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%actor_type IN (%'") == 0)
        }
    }

    // The rewritten constraints accept and reject the same values.
    @Test func rewrittenChecks_StillRejectWhatTheListDid() throws {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        let conversation = try emulator.startConversation()
        try emulator.emulator.store.write { db in
            func insert(_ actorType: String, _ messageType: String) throws {
                try db.execute(
                    """
                    INSERT INTO message (id, conversation_id, created_time, actor_type, message_type, interaction_id, doc)
                    VALUES (?, ?, 0, ?, ?, 'i', '{}')
                    """,
                    [.text("m-\(actorType)-\(messageType)"), .text(conversation), .text(actorType), .text(messageType)])
            }
            try insert("bot", "private")
            let actor = #expect(throws: SQLiteError.self) { try insert("robot", "normal") }
            #expect(actor?.code == 275, "SQLITE_CONSTRAINT_CHECK")
            let type = #expect(throws: SQLiteError.self) { try insert("user", "loud") }
            #expect(type?.code == 275, "SQLITE_CONSTRAINT_CHECK")
            #expect(throws: SQLiteError.self) { try db.execute("UPDATE conversation SET status = 'closed'") }
        }
    }

    // A file store is rewritten once, when first opened, and stays sound; the next open changes nothing.
    @Test func fileStore_IsRewrittenOnce_AndPassesTheIntegrityCheck() throws {
        let path = "/tmp/freshchat-schema-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let lists = "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%CHECK (status IN (%'"
        // A store as the migrations alone leave it (an older emulator's): the lists as written.
        do {
            let db = try Database(path: path)
            try db.migrate(Schema.migrations)
            #expect(try db.scalarInt(lists) ?? 0 > 0)
            db.close()
        }
        let first = try Store(path: path)
        let version = try first.read { try $0.scalarInt("PRAGMA schema_version") }
        #expect(try first.read { try $0.scalarInt(lists) } == 0)
        first.close()
        let second = try Store(path: path)
        defer { second.close() }
        #expect(try second.read { try $0.scalarInt("PRAGMA schema_version") } == version)
        #expect(
            try second.read { try $0.query("PRAGMA integrity_check").map { try $0.string("integrity_check") } } == [
                "ok"
            ])
    }

    // Migration 9: `GET /v2/users?email=` (and phone_no, reference_id) in the default order reads its index in order,
    // with no temporary b-tree to sort.
    @Test func userFilters_ListInTheDefaultOrder_WithoutSorting() throws {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        for query in ["email=a@example.com", "reference_id=r", "phone_no=1"] {
            #expect(emulator.send(.get, "/v2/users?\(query)").code == 200)
        }
        let statements = try emulator.emulator.store.read { $0.cachedSQL }.filter {
            $0.hasPrefix("SELECT * FROM user WHERE") && $0.contains("ORDER BY created_time")
        }
        #expect(statements.count >= 3, "\(statements)")
        try emulator.emulator.store.read { db in
            for sql in statements {
                let plan = try QueryPlanTests.plan(sql, db)
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql)\n\(plan)")
            }
        }
    }
}
