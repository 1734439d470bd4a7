import SQLite

/// SQL for messages: the documented message object is kept in `doc`, next to the columns that are filtered, sorted
/// and referenced.
extension Database {
    /// Inserts a message; messages of the same millisecond keep their insertion order (`seq`).
    /// - Returns: the stored document: the message object as the API answers it.
    @discardableResult
    func insertMessage(_ message: Message) throws -> String {
        let doc = message.json.serialized()
        try execute(
            """
            INSERT INTO message (id, conversation_id, created_time, actor_type, actor_id, message_type, interaction_id,
                doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(message.id), .text(message.conversationID), .integer(message.createdTime),
                .text(message.actorType.rawValue), SQLiteValue(message.actorID), .text(message.messageType.rawValue),
                .text(message.interactionID), .text(doc),
            ])
        return doc
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

    /// Appends one page of a conversation's messages created at or after `from` (epoch ms), newest first unless
    /// `ascending`, to `out`: the stored documents as they are, separated by commas. A `doc` is the message object
    /// exactly as the API answers it (`Message.json`, compact): `insertMessage` writes it so, erasing a user keeps that
    /// shape (`erasedMessageDoc`), a state import rewrites every doc so (`canonicalizeMessageDocs`); so the page
    /// costs no parse and no model.
    /// - Parameters:
    ///   - limit: the most documents to append.
    ///   - offset: rows to skip.
    /// - Returns: whether more messages follow the page.
    func appendMessageDocs(
        conversationID: String, from: Int64?, ascending: Bool, limit: Int, offset: Int, to out: inout [UInt8]
    ) throws -> Bool {
        let order = ascending ? "created_time ASC, seq ASC" : "created_time DESC, seq DESC"
        // One row more than the page says whether another page follows.
        let statement = try cachedStatement(
            """
            SELECT doc FROM message WHERE conversation_id = ? AND created_time >= ?
            ORDER BY \(order) LIMIT ? OFFSET ?
            """)
        defer { statement.reset() }
        try statement.bind([
            .text(conversationID), .integer(from ?? Int64.min), .integer(Int64(limit) + 1), .integer(Int64(offset)),
        ])
        var count = 0
        while try statement.step() {
            if count == limit { return true }
            if count > 0 { out.append(UInt8(ascii: ",")) }
            statement.appendBytes(at: 0, to: &out)
            count += 1
        }
        return false
    }

    /// Rewrites every message `doc` that is not exactly `Message.json` of itself (a state import may bring any
    /// spelling of the object) into that form, so `appendMessageDocs` may serve docs as they are.
    /// - Throws: `StateError` naming the message whose doc is not a message object.
    func canonicalizeMessageDocs() throws {
        for row in try query("SELECT seq, id, doc FROM message ORDER BY seq") {
            let id = try row.string("id")
            guard case .text(let doc)? = row["doc"] else {
                throw StateError("tables.message: the doc of message \(id) must be a string")
            }
            let canonical: String
            do {
                canonical = try Message(json: JSONParser.parse(doc)).json.serialized()
            } catch let error as APIError {
                throw StateError("tables.message: the doc of message \(id) is not a message object: \(error.message)")
            } catch {
                throw StateError("tables.message: the doc of message \(id) is not JSON: \(error)")
            }
            if !canonical.utf8.elementsEqual(doc.utf8) {
                try execute(
                    "UPDATE message SET doc = ? WHERE seq = ?", [.text(canonical), .integer(try row.int64("seq"))])
            }
        }
    }

    /// Whether message `id` belongs to conversation `conversationID`.
    func messageExists(id: String, conversationID: String) throws -> Bool {
        try scalarInt(
            "SELECT count(*) FROM message WHERE id = ? AND conversation_id = ?", [.text(id), .text(conversationID)])
            == 1
    }
}
