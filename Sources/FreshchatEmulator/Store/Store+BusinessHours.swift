import SQLite

/// The SQL of the Business Hours section (docs L4252–4292): the seeded `business_hours` table (schema migration 1).
extension Database {
    /// The business hours configured for group `groupID`, or nil when it has none.
    /// - Throws: `APIError` 500 when the stored document is malformed, `SQLiteError`.
    func businessHours(groupID: String) throws -> BusinessHoursSchedule? {
        guard let doc = try scalarString("SELECT doc FROM business_hours WHERE group_id = ?", [.text(groupID)]) else {
            return nil
        }
        return try BusinessHoursSchedule(document: try JSONParser.parse(doc))
    }
}
