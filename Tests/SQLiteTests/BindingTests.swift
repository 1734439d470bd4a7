import SQLite
import Testing

@Suite struct BindingTests {
    /// Stores `value` in an untyped column and reads it back.
    private func roundTrip(_ value: SQLiteValue, in db: Database) throws -> SQLiteValue? {
        try db.execute("DELETE FROM v")
        try db.execute("INSERT INTO v(x) VALUES(?)", [value])
        return try db.queryOne("SELECT x FROM v")?[0]
    }

    private func makeValuesDatabase() throws -> Database {
        let db = try Database(path: ":memory:")
        try db.executeScript("CREATE TABLE v(x);")  // no type affinity: values are stored as bound
        return db
    }

    @Test func bind_RoundTripsEveryValueCase() throws {
        let db = try makeValuesDatabase()
        let values: [SQLiteValue] = [
            .null,
            .integer(0), .integer(Int64.max), .integer(Int64.min), .integer(-1),
            .real(3.5), .real(-0.25), .real(1e300),
            .text(""), .text("plain"), .text("nul\u{0}inside\u{0}"), .text("emoji 👩‍💻 and ünïcödé 漢字"),
            .blob([]), .blob((0...255).map { UInt8($0) }), .blob([0, 0, 0]),
        ]
        for value in values {
            #expect(try roundTrip(value, in: db) == value, "round trip of \(value)")
        }
    }

    // appendBytes gives a column's bytes as stored (text, blob, a number's text; nothing for NULL) after what `out`
    // already holds.
    @Test func appendBytes_AppendsTheColumnsBytes() throws {
        let db = try makeValuesDatabase()
        let cases: [(SQLiteValue, [UInt8])] = [
            (.text("emoji 👩‍💻 \u{0} end"), Array("emoji 👩‍💻 \u{0} end".utf8)), (.blob([0, 1, 255]), [0, 1, 255]),
            (.text(""), []), (.null, []), (.integer(-42), Array("-42".utf8)),
        ]
        for (value, bytes) in cases {
            try db.execute("DELETE FROM v")
            try db.execute("INSERT INTO v(x) VALUES(?)", [value])
            let statement = try db.cachedStatement("SELECT x FROM v")
            defer { statement.reset() }
            #expect(try statement.step())
            var out: [UInt8] = [9]
            statement.appendBytes(at: 0, to: &out)
            #expect(out == [9] + bytes, "\(value)")
        }
    }

    @Test func bind_TextWithNULKeepsFullLength() throws {
        let db = try makeValuesDatabase()
        let text = "a\u{0}b\u{0}😀"
        try db.execute("INSERT INTO v(x) VALUES(?)", [SQLiteValue(text)])
        #expect(try db.scalarInt("SELECT length(CAST(x AS BLOB)) FROM v") == text.utf8.count)
        #expect(try db.scalarString("SELECT x FROM v") == text)
    }

    @Test func bind_EmptyStringAndBlobAreNotNull() throws {
        let db = try makeValuesDatabase()
        try db.execute("INSERT INTO v(x) VALUES(?)", [""])
        try db.execute("INSERT INTO v(x) VALUES(?)", [.blob([])])
        let types = try db.query("SELECT typeof(x) AS t FROM v ORDER BY rowid").map { try $0.string("t") }
        #expect(types == ["text", "blob"])
    }

    @Test func bind_InjectionAttemptIsStoredVerbatim() throws {
        let db = try makeItemsDatabase()
        let attack = "x'); DROP TABLE items; --"
        try db.execute("INSERT INTO items(name) VALUES(?)", [SQLiteValue(attack)])
        #expect(try db.scalarString("SELECT name FROM items") == attack)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'items'") == 1)
        #expect(try db.queryOne("SELECT id FROM items WHERE name = ?", [SQLiteValue(attack)]) != nil)
    }

    @Test func literals_ProduceExpectedCases() {
        let values: [SQLiteValue] = [1, "x", 2.5, true, false, nil]
        #expect(values == [.integer(1), .text("x"), .real(2.5), .integer(1), .integer(0), .null])
    }

    @Test func bindables_ConvertVariables() {
        let name: String? = "n"
        let missing: Int? = nil
        let bytes: [UInt8] = [1, 2]
        #expect(SQLiteValue(name) == .text("n"))
        #expect(SQLiteValue(missing) == .null)
        #expect(SQLiteValue(42) == .integer(42))
        #expect(SQLiteValue(Int64(-7)) == .integer(-7))
        #expect(SQLiteValue(0.5) == .real(0.5))
        #expect(SQLiteValue(true) == .integer(1))
        #expect(SQLiteValue(bytes) == .blob([1, 2]))
        #expect(SQLiteValue(SQLiteValue.text("t")) == .text("t"))
    }

    @Test func valueAccessors_ReturnPayloadOrNil() {
        #expect(SQLiteValue.integer(3).intValue == 3)
        #expect(SQLiteValue.integer(3).doubleValue == 3.0)
        #expect(SQLiteValue.real(3).intValue == nil)
        #expect(SQLiteValue.text("3").int64Value == nil)
        #expect(SQLiteValue.text("s").stringValue == "s")
        #expect(SQLiteValue.blob([9]).blobValue == [9])
        #expect(SQLiteValue.null.isNull)
        #expect(!SQLiteValue.integer(0).isNull)
    }
}
