import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// Seeded ids the Conversations tests use (seed/README.md: the doc examples' ids are reused).
enum Seeded {
    /// Channel "Support" (docs L764).
    static let channel = "71df7c11-df1e-4365-80e3-75a434c9caf0"
    /// Agent Priya: groups Billing and Support; org id 566895102921767652 (docs L1398).
    static let priya = "1ad50c45-050b-4702-9300-478ddcf23c65"
    /// Agent Marcus: group Sales; the actor of the docs' message examples (L1022–1253).
    static let marcus = "1de5d130-1c62-48cf-8349-1b39c60d0c28"
    /// Agent Sofia: groups Support and Sales.
    static let sofia = "1ab37a05-7b3e-42ee-bcbe-283fd093408c"
    /// Agent Lena: deactivated.
    static let lena = "d37b9c8f-ec59-4c72-9b1d-c06edcb36de1"
    /// Group Billing (docs L764).
    static let billing = "e769cd13-0cd3-4d64-81ac-32657642a24d"
    /// Group Sales.
    static let sales = "d56d224e-1a7c-4520-8134-074143f8d958"
    /// Group Support.
    static let support = "1cb699d5-12c1-4cac-acbd-d95c8f75e497"
    /// The user of the docs' create example (L1337).
    static let user = "86a76727-f5f7-40b5-8f93-309043646b1c20230415141608"
    /// A second user.
    static let otherUser = "186a0a5c-7d30-4cb3-9a55-9d6534cbbf26"

    /// A user message with one text part.
    static func userMessage(_ content: String = "Hii! Need help in receiving the refund.", from user: String = user)
        -> JSONValue
    {
        [
            "message_parts": [["text": ["content": .string(content)]]], "channel_id": .string(channel),
            "message_type": "normal", "actor_type": "user", "actor_id": .string(user),
        ]
    }

    /// An agent message with one text part.
    static func agentMessage(_ content: String = "Happy to help.", from agent: String = marcus) -> JSONValue {
        ["message_parts": [["text": ["content": .string(content)]]], "actor_type": "agent", "actor_id": .string(agent)]
    }

    /// A create body: channel, one user message, users; the given members added or replaced.
    static func createBody(_ members: [(String, JSONValue)] = []) -> JSONValue {
        var object: JSONObject = [
            "messages": [userMessage()], "channel_id": .string(channel), "users": [["id": .string(user)]],
        ]
        for (key, value) in members { object[key] = value }
        return .object(object)
    }
}

extension TestEmulator {
    /// Inserts users straight into the store (the Users API is a colleague's), the docs' user by default.
    func addUsers(_ ids: [String] = [Seeded.user, Seeded.otherUser], orgContactID: String? = nil) throws {
        try emulator.store.write { db in
            for id in ids {
                try db.execute(
                    "INSERT INTO user (id, created_time, updated_time, org_contact_id) VALUES (?, ?, ?, ?)",
                    [.text(id), .integer(Self.start), .integer(Self.start), SQLiteValue(orgContactID)])
            }
        }
    }

    /// Sends `body` as JSON.
    func send(_ method: HTTPMethod, _ target: String, json body: JSONValue) -> TestResponse {
        send(method, target, body: body.serialized())
    }

    /// `POST /v2/conversations` with `body`, then runs the creation job; records an issue unless 202.
    /// - Returns: the conversation id.
    @discardableResult
    func startConversation(
        _ body: JSONValue = Seeded.createBody(), sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let response = send(.post, "/v2/conversations", json: body)
        #expect(response.code == 202, "\(response.text)", sourceLocation: sourceLocation)
        try advance()
        return response.json["conversation_id"]?.stringValue ?? ""
    }

    /// A conversation in `status` (created with the docs' user and, for assigned/resolved, agent Priya in Billing).
    func conversation(in status: ConversationStatus, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let assigned = status == .assigned || status == .resolved
        let id = try startConversation(
            Seeded.createBody(
                assigned
                    ? [("assigned_agent_id", .string(Seeded.priya)), ("assigned_group_id", .string(Seeded.billing))]
                    : []),
            sourceLocation: sourceLocation)
        if status == .resolved { update(id, ["status": "resolved"], sourceLocation: sourceLocation) }
        if status == .reopened {
            try emulator.store.write { db in
                try db.execute("UPDATE conversation SET status = 'reopened' WHERE id = ?", [.text(id)])
            }
        }
        return id
    }

    /// `GET /v2/conversations/{id}`: the conversation object, or nil unless 200.
    func fetchConversation(_ id: String) -> JSONValue? {
        let response = send(.get, "/v2/conversations/\(id)")
        // Not `code == 200 ? json : nil`: JSONValue is ExpressibleByNilLiteral, so that nil would be `.null`.
        guard response.code == 200 else { return nil }
        return response.json
    }

    /// `PUT /v2/conversations/{id}` with `body`; records an issue unless 200.
    @discardableResult
    func update(_ id: String, _ body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(.put, "/v2/conversations/\(id)", json: body)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// `POST /v2/conversations/{id}/messages` with `body`.
    func sendMessage(_ id: String, _ body: JSONValue) -> TestResponse {
        send(.post, "/v2/conversations/\(id)/messages", json: body)
    }

    /// The EventLog entries of conversation `id`.
    func events(of id: String) throws -> [Event] {
        try emulator.store.read { db in try db.events(conversationID: id) }
    }

    /// Marks conversation field `name` required (the seed marks none).
    func requireField(_ name: String) throws {
        try emulator.store.write { db in
            try db.execute(
                "UPDATE conversation_property SET doc = json_set(doc, '$.required', json('true')) WHERE name = ?",
                [.text(name)])
        }
    }
}
