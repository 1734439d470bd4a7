import SQLite
import Testing

@testable import FreshchatEmulator

/// Helpers that read like the Users API, and fixtures for the rows the Users section reads but does not write
/// (conversations and messages, docs L618–660).
extension TestEmulator {
    /// `POST /v2/users` with `body`; records an issue unless the answer is 201.
    /// - Returns: the created user object.
    @discardableResult
    func createUser(_ body: JSONValue = [:], sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(.post, "/v2/users", body: body.serialized())
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// The id of a user created with `body`.
    func createUserID(_ body: JSONValue = [:], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        createUser(body, sourceLocation: sourceLocation)["id"]?.stringValue ?? ""
    }

    /// `GET /v2/users/{id}`: the user object, or nil unless 200.
    func user(_ id: String) -> JSONValue? {
        let response = send(.get, "/v2/users/\(id)")
        return response.code == 200 ? response.json : nil
    }

    /// `GET target` on the list endpoint; records an issue unless 200.
    func listUsers(_ target: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(.get, target)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// Inserts a conversation of `users` created at `time`, on the first seeded channel.
    func insertConversation(_ id: String, users: [String], time: Int64) throws {
        try emulator.store.write { db in
            let channel = try db.scalarString("SELECT id FROM channel ORDER BY position LIMIT 1") ?? ""
            try db.execute(
                """
                INSERT INTO conversation (id, channel_id, app_id, status, interaction_id, created_time, updated_time)
                VALUES (?, ?, 'app', 'new', ?, ?, ?)
                """,
                [.text(id), .text(channel), .text("i-\(id)"), .integer(time), .integer(time)])
            for (position, user) in users.enumerated() {
                try db.execute(
                    "INSERT INTO conversation_user (conversation_id, user_id, position) VALUES (?, ?, ?)",
                    [.text(id), .text(user), .integer(Int64(position))])
            }
        }
    }

    /// Inserts a normal message in `conversation` sent by `actorType`/`actorID`, as the message object
    /// (docs L799–873) with `content` in its text part, `reply_parts` and `meta_data`.
    func insertMessage(
        _ id: String, in conversation: String, actorType: String, actorID: String, content: String
    ) throws {
        let doc: JSONValue = [
            "message_parts": [["text": ["content": .string(content)]]],
            "reply_parts": [["collection": ["sub_parts": [["quick_reply_button": ["label": .string(content)]]]]]],
            "app_id": "app", "actor_id": .string(actorID), "id": .string(id), "conversation_id": .string(conversation),
            "interaction_id": .string("i-\(conversation)"), "message_type": "normal", "actor_type": .string(actorType),
            "created_time": "2024-01-15T10:00:00.000Z", "meta_data": ["note": .string(content)],
        ]
        try emulator.store.write { db in
            try db.execute(
                """
                INSERT INTO message (id, conversation_id, created_time, actor_type, actor_id, message_type,
                    interaction_id, doc) VALUES (?, ?, ?, ?, ?, 'normal', ?, ?)
                """,
                [
                    .text(id), .text(conversation), .integer(TestEmulator.start), .text(actorType), .text(actorID),
                    .text("i-\(conversation)"), .text(doc.serialized()),
                ])
        }
    }

    /// Every `table.column` of the store holding text that contains one of `secrets`.
    func rowsContaining(_ secrets: [String]) throws -> [String] {
        try emulator.store.read { db in
            let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").map {
                try $0.string("name")
            }
            var hits: [String] = []
            for table in tables {
                for row in try db.query("SELECT * FROM \"\(table)\"") {
                    for (index, value) in row.values.enumerated() {
                        guard case .text(let text) = value else { continue }
                        for secret in secrets where text.contains(secret) {
                            hits.append("\(table).\(row.columnNames[index]) holds '\(secret)'")
                        }
                    }
                }
            }
            return hits
        }
    }
}

extension JSONValue {
    /// The `users` of a list or fetch response, by `key` (default `id`).
    func users(_ key: String = "id") -> [String] {
        (self["users"]?.arrayValue ?? []).map { $0[key]?.stringValue ?? "?" }
    }
}

/// Whether `text` is a lowercase UUID (8-4-4-4-12 hex digits).
func isUUID(_ text: String?) -> Bool {
    guard let text else { return false }
    let groups = text.split(separator: "-", omittingEmptySubsequences: false)
    return groups.map(\.count) == [8, 4, 4, 4, 12]
        && groups.allSatisfy { $0.allSatisfy { "0123456789abcdef".contains($0) } }
}
