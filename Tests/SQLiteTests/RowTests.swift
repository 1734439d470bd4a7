import SQLite
import Testing

@Suite struct RowTests {
    private func sampleRow() throws -> Row {
        let db = try Database(path: ":memory:")
        let row = try db.queryOne(
            "SELECT 'ann' AS name, 7 AS n, 2.5 AS r, 1 AS flag, x'00ff' AS data, NULL AS none_value, 'dup' AS n")
        return try #require(row)
    }

    @Test func access_ByIndexAndName() throws {
        let row = try sampleRow()
        #expect(row.count == 7)
        #expect(row.columnNames == ["name", "n", "r", "flag", "data", "none_value", "n"])
        #expect(row[0] == "ann")
        #expect(row["name"] == "ann")
        #expect(row["NAME"] == "ann")  // case-insensitive like SQL
        #expect(row["n"] == 7)  // first of duplicate names wins
        #expect(row["none_value"] == .null)
        #expect(row["missing"] == nil)
        #expect(row.hasColumn("flag"))
        #expect(!row.hasColumn("missing"))
    }

    @Test func typedGetters_ConvertValues() throws {
        let row = try sampleRow()
        #expect(try row.string("name") == "ann")
        #expect(try row.int("n") == 7)
        #expect(try row.int64("n") == 7)
        #expect(try row.double("r") == 2.5)
        #expect(try row.double("n") == 7.0)
        #expect(try row.bool("flag"))
        #expect(try row.blob("data") == [0x00, 0xFF])
    }

    @Test func optionalGetters_ReturnNilForNull() throws {
        let row = try sampleRow()
        #expect(try row.optionalString("none_value") == nil)
        #expect(try row.optionalInt("none_value") == nil)
        #expect(try row.optionalInt64("none_value") == nil)
        #expect(try row.optionalDouble("none_value") == nil)
        #expect(try row.optionalBool("none_value") == nil)
        #expect(try row.optionalBlob("none_value") == nil)
        #expect(try row.optionalString("name") == "ann")
        #expect(try row.optionalBool("flag") == true)
    }

    @Test func typedGetters_ThrowForNullMismatchAndMissing() throws {
        let row = try sampleRow()
        let null = #expect(throws: SQLiteError.self) { try row.string("none_value") }
        #expect(null?.code == ResultCode.mismatch)
        let mismatch = #expect(throws: SQLiteError.self) { try row.int("name") }
        #expect(mismatch?.code == ResultCode.mismatch)
        let optionalMismatch = #expect(throws: SQLiteError.self) { try row.optionalBlob("name") }
        #expect(optionalMismatch?.code == ResultCode.mismatch)
        let missing = #expect(throws: SQLiteError.self) { try row.optionalString("missing") }
        #expect(missing?.code == ResultCode.range)
    }

    @Test func rows_OutliveTheirStatement() throws {
        let db = try makeItemsDatabase()
        try db.execute("INSERT INTO items(name) VALUES('a'), ('b')")
        let sql = "SELECT id, name FROM items ORDER BY id"
        let first = try db.query(sql)
        try db.execute("UPDATE items SET name = name || '-changed'")
        _ = try db.query(sql)
        #expect(try first.map { try $0.string("name") } == ["a", "b"])
    }

    @Test func forEachRow_HandsEachRowInOrder_AndResetsForTheNextRun() throws {
        let db = try makeItemsDatabase()
        try db.execute("INSERT INTO items(name) VALUES('a'), ('b'), ('c')")
        let sql = "SELECT name FROM items WHERE id >= ? ORDER BY id"
        var names: [String] = []
        try db.forEachRow(sql, [2]) { names.append(try $0.string("name")) }
        #expect(names == ["b", "c"])
        // An error from the body stops the walk and leaves the statement ready for the next run.
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try db.forEachRow(sql, [1]) { _ in
                seen += 1
                throw Stop()
            }
        }
        #expect(seen == 1)
        names = []
        try db.forEachRow(sql, [1]) { names.append(try $0.string("name")) }
        #expect(names == ["a", "b", "c"])
    }
}
