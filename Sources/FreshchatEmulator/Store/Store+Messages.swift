import SQLite

/// SQL for messages: the documented message object is kept in `doc`, next to the columns that are filtered, sorted
/// and referenced.
extension Database {
    /// Inserts a message; messages of the same millisecond keep their insertion order (`seq`).
    func insertMessage(_ message: Message) throws {
        try execute(
            """
            INSERT INTO message (id, conversation_id, created_time, actor_type, actor_id, message_type, interaction_id,
                doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(message.id), .text(message.conversationID), .integer(message.createdTime),
                .text(message.actorType.rawValue), SQLiteValue(message.actorID), .text(message.messageType.rawValue),
                .text(message.interactionID), .text(message.json.serialized()),
            ])
    }

    /// One page of a conversation's messages created at or after `from` (epoch ms), newest first unless `ascending`.
    /// - Parameters:
    ///   - limit: the most rows to return.
    ///   - offset: rows to skip.
    func messages(conversationID: String, from: Int64?, ascending: Bool, limit: Int, offset: Int) throws -> [Message] {
        let order = ascending ? "created_time ASC, seq ASC" : "created_time DESC, seq DESC"
        let rows = try query(
            """
            SELECT doc FROM message WHERE conversation_id = ? AND created_time >= ?
            ORDER BY \(order) LIMIT ? OFFSET ?
            """,
            [.text(conversationID), .integer(from ?? Int64.min), .integer(Int64(limit)), .integer(Int64(offset))])
        return try rows.map { try Message(json: JSONParser.parse(try $0.string("doc"))) }
    }

    /// Whether message `id` belongs to conversation `conversationID`.
    func messageExists(id: String, conversationID: String) throws -> Bool {
        try scalarInt(
            "SELECT count(*) FROM message WHERE id = ? AND conversation_id = ?", [.text(id), .text(conversationID)])
            == 1
    }
}
