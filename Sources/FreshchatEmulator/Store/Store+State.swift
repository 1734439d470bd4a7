import SQLite

/// The whole store as a value: copies for snapshots and resets (SQLite online backup), and a JSON document of
/// every table for `GET/PUT /_emulator/state`.
extension Store {
    /// An in-memory copy of the whole database, made with SQLite's online backup
    /// (<https://www.sqlite.org/backup.html>): milliseconds for a typical store, 0.7 s for a 900 MB file (its
    /// pages are read through a memory map, `Database.withMemoryMappedReads`).
    public func copy() throws -> Store {
        let copy = try Store(path: ":memory:")
        try settleGroup()
        try queue.inDatabase { source in
            try copy.queue.inDatabase { destination in
                try source.withMemoryMappedReads { try source.backup(to: destination) }
            }
        }
        return copy
    }

    /// Replaces the whole database with the contents of `other` (online backup into this connection); the feed
    /// gets a `reset`. A file store stays in WAL mode; one of 64 MiB or more that is at least as large as `other` is
    /// written in place without a journal, guarded by a marker file (`Database.restore(from:inPlaceMinimumBytes:)`,
    /// README "Control plane").
    public func restore(from other: Store) throws {
        try restore(from: other, inPlaceMinimumBytes: 64 << 20)
    }

    /// ``restore(from:)`` with the size from which a file store is written in place (tests use 0).
    func restore(from other: Store, inPlaceMinimumBytes: Int) throws {
        try settleGroup()
        try other.settleGroup()
        try other.queue.inDatabase { source in
            try queue.inDatabase { destination in
                try destination.restore(from: source, inPlaceMinimumBytes: inPlaceMinimumBytes)
            }
        }
        publishReset()
    }

    /// The database's size in bytes (pages × page size).
    public func byteSize() throws -> Int {
        try read { db in
            (try db.scalarInt("PRAGMA page_count") ?? 0) * (try db.scalarInt("PRAGMA page_size") ?? 0)
        }
    }

    /// The user tables in a stable order, with `sqlite_sequence` (AUTOINCREMENT counters) last.
    private static func tables(_ db: Database) throws -> [String] {
        let names = try db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).map { try $0.string("name") }
        let hasSequence = try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'") == 1
        return names + (hasSequence ? ["sqlite_sequence"] : [])
    }

    private static func columns(_ db: Database, _ table: String) throws -> [String] {
        try db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).map { try $0.string("name") }
    }

    private static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacing("\"", with: "\"\"") + "\""
    }

    /// Every row of every table: `{"schema_version": N, "tables": {"user": [{"id": …}, …], …}}`. Blobs are
    /// `{"base64": "…"}`.
    public func dump() throws -> JSONValue {
        try read { db in
            var tables = JSONObject()
            for table in try Self.tables(db) {
                let columns = try Self.columns(db, table)
                let order = table == "sqlite_sequence" ? "name" : "rowid"
                let rows = try db.query("SELECT * FROM \(Self.quoted(table)) ORDER BY \(order)").map { row in
                    var object = JSONObject()
                    for (i, column) in columns.enumerated() { object[column] = Self.json(row[i]) }
                    return JSONValue.object(object)
                }
                tables[table] = .array(rows)
            }
            return .object(["schema_version": .integer(Int64(try db.userVersion())), "tables": .object(tables)])
        }
    }

    /// Replaces every table's rows with the document's, in one transaction: a document that does not fit the
    /// schema (unknown table or column, wrong schema version, a broken reference or constraint) changes nothing.
    /// - Throws: `StateError` naming the table, row and column, or the constraint.
    public func replace(with document: JSONValue) throws {
        try writeAlone { db in
            // Whatever the document holds, the feed's subscribers reload (one `reset`).
            pending.mode = .reset
            guard let version = document["schema_version"]?.intValue else {
                throw StateError("schema_version is mandatory")
            }
            guard version == Int64(try db.userVersion()) else {
                throw StateError("schema_version \(version) does not match this emulator's \(try db.userVersion())")
            }
            guard let tables = document["tables"]?.objectValue else { throw StateError("tables must be an object") }
            let known = try Self.tables(db)
            for name in tables.keys where !known.contains(name) { throw StateError("tables.\(name) is not a table") }
            try db.execute("PRAGMA defer_foreign_keys = ON")
            for table in known { try db.execute("DELETE FROM \(Self.quoted(table))") }
            for table in known {
                guard let rows = tables[table] else { continue }
                guard let list = rows.arrayValue else { throw StateError("tables.\(table) must be an array") }
                // Inserting explicit AUTOINCREMENT keys above already wrote counters; the document's own win.
                if table == "sqlite_sequence" { try db.execute("DELETE FROM sqlite_sequence") }
                let columns = try Self.columns(db, table)
                for (index, row) in list.enumerated() {
                    guard let object = row.objectValue else {
                        throw StateError("tables.\(table)[\(index)] must be an object")
                    }
                    for key in object.keys where !columns.contains(key) {
                        throw StateError("tables.\(table)[\(index)].\(key) is not a column")
                    }
                    let names = object.keys
                    let values = try names.map { key in
                        try Self.sqlite(object[key]!, at: "tables.\(table)[\(index)].\(key)")
                    }
                    let sql =
                        "INSERT INTO \(Self.quoted(table)) (\(names.map(Self.quoted).joined(separator: ", "))) VALUES ("
                        + names.map { _ in "?" }.joined(separator: ", ") + ")"
                    do {
                        try db.execute(sql, values)
                    } catch let error as SQLiteError {
                        throw StateError("tables.\(table)[\(index)]: \(error.message)")
                    }
                }
            }
            // The agent and message lists serve docs as stored, so they must be the objects as answered.
            try db.canonicalizeAgentDocs()
            try db.canonicalizeMessageDocs()
            do {
                try db.execute("PRAGMA defer_foreign_keys = OFF")
            } catch let error as SQLiteError {
                throw StateError("a reference does not resolve: \(error.message)")
            }
            if try db.scalarInt("SELECT count(*) FROM pragma_foreign_key_check") ?? 0 > 0 {
                throw StateError("a reference does not resolve (foreign key check failed)")
            }
        }
    }

    private static func json(_ value: SQLiteValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .real(let d): return .double(d)
        case .text(let s): return .string(s)
        case .blob(let b): return ["base64": .string(Base64.encode(b))]
        }
    }

    private static func sqlite(_ value: JSONValue, at path: String) throws -> SQLiteValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .integer(b ? 1 : 0)
        case .integer(let i): return .integer(i)
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .object(let o):
            guard o.keys == ["base64"], let text = o["base64"]?.stringValue, let bytes = Base64.decode(text) else {
                throw StateError("\(path) must be a string, a number, null or {\"base64\": …}")
            }
            return .blob(bytes)
        case .array: throw StateError("\(path) must not be an array")
        }
    }
}

/// A state document that does not fit the store.
public struct StateError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the table, row and column.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Base64 (RFC 4648 §4) for blobs in state documents.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0xF) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for c in text.utf8 where c != UInt8(ascii: "=") {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            values.append(UInt8(v))
        }
        var out: [UInt8] = []
        var i = 0
        while i + 1 < values.count {
            out.append(values[i] << 2 | values[i + 1] >> 4)
            if i + 2 < values.count { out.append((values[i + 1] & 0xF) << 4 | values[i + 2] >> 2) }
            if i + 3 < values.count { out.append((values[i + 2] & 0x3) << 6 | values[i + 3]) }
            i += 4
        }
        return out
    }
}
