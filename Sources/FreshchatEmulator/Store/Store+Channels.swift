import SQLite

/// The SQL of the Channels (topics) section (docs L2516–2665): the seeded `channel` table (schema migration 1).
extension Database {
    /// The account's primary language (docs L2603: "the primary language set for the Freshchat account"): the
    /// locale most topics have, ties going to the topic configured first; `fallback` when no topic has a locale.
    func primaryLocale(fallback: String) throws -> String {
        try scalarString(
            """
            SELECT locale FROM channel WHERE locale IS NOT NULL AND locale <> ''
            GROUP BY locale ORDER BY count(*) DESC, min(position) LIMIT 1
            """) ?? fallback
    }

    /// One page of the topics in `locale` (case-insensitive; a topic without a locale is in `primaryLocale`), in
    /// configured order or by name when `byName` (case-insensitive, then configured order), and how many match.
    func channels(
        locale: String, primaryLocale: String, byName: Bool, descending: Bool, limit: Int, offset: Int
    ) throws -> (channels: [Channel], total: Int) {
        let condition = "lower(coalesce(nullif(locale, ''), ?1)) = lower(?2)"
        let args: [SQLiteValue] = [.text(primaryLocale), .text(locale)]
        let total = try scalarInt("SELECT count(*) FROM channel WHERE \(condition)", args) ?? 0
        let direction = descending ? "DESC" : "ASC"
        let order = byName ? "name COLLATE NOCASE \(direction), position \(direction)" : "position \(direction)"
        let rows = try query(
            """
            SELECT coalesce(nullif(locale, ''), ?1) AS locale, doc FROM channel WHERE \(condition)
            ORDER BY \(order) LIMIT ?3 OFFSET ?4
            """,
            args + [.integer(Int64(limit)), .integer(Int64(offset))])
        let channels = try rows.map { row in
            try Channel(document: try JSONParser.parse(try row.string("doc")), locale: try row.string("locale"))
        }
        return (channels, total)
    }
}
