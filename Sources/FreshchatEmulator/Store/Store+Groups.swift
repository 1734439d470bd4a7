import SQLite

/// The SQL of the Groups section (docs L2368–2514): the seeded `"group"` table (schema migration 1).
extension Database {
    /// One page of the groups in configured order, or by name when `byName` (case-insensitive, then configured
    /// order), and how many there are in all.
    func groups(byName: Bool, descending: Bool, limit: Int, offset: Int) throws -> (groups: [Group], total: Int) {
        let total = try scalarInt("SELECT count(*) FROM \"group\"") ?? 0
        let direction = descending ? "DESC" : "ASC"
        let order = byName ? "name COLLATE NOCASE \(direction), position \(direction)" : "position \(direction)"
        let rows = try query(
            "SELECT doc FROM \"group\" ORDER BY \(order) LIMIT ? OFFSET ?",
            [.integer(Int64(limit)), .integer(Int64(offset))])
        return (try rows.map { row in try Group(document: try JSONParser.parse(try row.string("doc"))) }, total)
    }
}
