import HTTP
import Testing

@testable import FreshchatEmulator

/// Helpers that read like the API for the CSAT tests: users, conversations and their resolution, all through the
/// public endpoints.
extension Seeded {
    /// A create body for `user`: one message from them on the Support channel, the given members added.
    static func createBody(for user: String, otherUsers: [String] = [], _ members: [(String, JSONValue)] = [])
        -> JSONValue
    {
        createBody(
            [
                ("messages", [userMessage(from: user)]),
                ("users", .array(([user] + otherUsers).map { ["id": .string($0)] })),
            ] + members)
    }
}

extension TestEmulator {
    /// A conversation of a user created with `POST /v2/users`, created with `POST /v2/conversations` (its job run),
    /// assigned to `agent` (if any) in `group`, and open.
    func openConversationAndUser(
        agent: String? = Seeded.priya, group: String? = Seeded.billing, otherUsers: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (id: String, user: String) {
        let user = createUserID(["first_name": "Ada", "email": "ada@example.com"], sourceLocation: sourceLocation)
        var members: [(String, JSONValue)] = []
        if let agent { members.append(("assigned_agent_id", .string(agent))) }
        if let group { members.append(("assigned_group_id", .string(group))) }
        let id = try startConversation(
            Seeded.createBody(for: user, otherUsers: otherUsers, members), sourceLocation: sourceLocation)
        return (id, user)
    }

    /// The id of an open conversation (see `openConversationAndUser`).
    func openConversation(agent: String? = Seeded.priya, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        try openConversationAndUser(agent: agent, sourceLocation: sourceLocation).id
    }

    /// An open conversation (see `openConversationAndUser`), then resolved with `PUT /v2/conversations/{id}`.
    func resolvedConversationAndUser(
        agent: String? = Seeded.priya, group: String? = Seeded.billing, otherUsers: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (id: String, user: String) {
        let (id, user) = try openConversationAndUser(
            agent: agent, group: group, otherUsers: otherUsers, sourceLocation: sourceLocation)
        update(id, ["status": "resolved"], sourceLocation: sourceLocation)
        return (id, user)
    }

    /// The id of a resolved conversation (see `resolvedConversationAndUser`).
    func resolvedConversation(
        agent: String? = Seeded.priya, group: String? = Seeded.billing,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try resolvedConversationAndUser(agent: agent, group: group, sourceLocation: sourceLocation).id
    }

    /// `POST /v2/csat/{id}` with `body`.
    func postCSAT(_ id: String, _ body: JSONValue) -> TestResponse {
        send(.post, "/v2/csat/\(id)", json: body)
    }

    /// The conversation's current interaction (the API shows it only on messages).
    func interactionID(of id: String) throws -> String {
        try #require(try emulator.store.read { db in try db.conversation(id: id) }?.interactionID)
    }

    /// How many CSAT ratings the store holds.
    func ratingCount() throws -> Int {
        try emulator.store.read { db in try db.scalarInt("SELECT count(*) FROM csat") ?? 0 }
    }
}
