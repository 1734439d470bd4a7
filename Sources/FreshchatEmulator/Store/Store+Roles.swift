import SQLite

/// The SQL of the Roles section (docs L2825–2921): the seeded `role` table (schema migration 1).
extension Database {
    /// One page of the roles in configured order, or by name when `byName` (case-insensitive, then configured
    /// order), and how many there are in all.
    func roles(byName: Bool, descending: Bool, limit: Int, offset: Int) throws -> (roles: [Role], total: Int) {
        let total = try scalarInt("SELECT count(*) FROM role") ?? 0
        let direction = descending ? "DESC" : "ASC"
        let order = byName ? "name COLLATE NOCASE \(direction), position \(direction)" : "position \(direction)"
        let rows = try query(
            "SELECT doc FROM role ORDER BY \(order) LIMIT ? OFFSET ?",
            [.integer(Int64(limit)), .integer(Int64(offset))])
        return (try rows.map { row in try Role(document: try JSONParser.parse(try row.string("doc"))) }, total)
    }
}
