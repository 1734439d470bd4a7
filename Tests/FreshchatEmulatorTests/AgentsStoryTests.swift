import HTTP
import Testing

@testable import FreshchatEmulator

/// An agent's life through the public API, end to end: in-process and over a real socket (CONVENTIONS.md §13: the same
/// test body runs both ways).
@Suite struct AgentsStoryTests {
    // docs L2045 (create an agent in a group), L1401/L1479 (assign a conversation of that group to them), L2279 (a
    // custom status), L1473 (resolve), L2675 (CSAT that reopens), L2339 (delete): once the deletion has run, the
    // conversation is no longer theirs.
    @Test(arguments: TestMode.allCases)
    func story_AgentIsCreatedAssignedAwayAndDeleted_ConversationEndsUnassigned(mode: TestMode) throws {
        let emulator = try TestEmulator()
        let client = try emulator.client(mode)

        // A customer and an agent in Billing.
        let user = client.send(.post, "/v2/users", body: #"{"email":"carla@example.com","first_name":"Carla"}"#)
        #expect(user.code == 201, "\(user.text)")
        let userID = user.json["id"]?.stringValue ?? ""
        let agent = client.createAgent([
            "email": "nora.berg@example.com", "first_name": "Nora", "role_id": "AGENT",
            "groups": [.string(Seeded.billing)],
        ])
        let agentID = agent["id"]?.stringValue ?? ""
        #expect(agent["availability_status"] == "AVAILABLE")
        #expect(client.listAgents("/v2/agents?groups=\(Seeded.billing)").agents("id") == [agentID, Seeded.priya])

        // The customer's conversation, in Billing; its creation is a 202 job.
        let body: JSONValue = [
            "channel_id": .string(Seeded.channel), "assigned_group_id": .string(Seeded.billing),
            "users": [["id": .string(userID)]],
            "messages": [
                [
                    "message_parts": [["text": ["content": "My invoice is wrong."]]], "actor_type": "user",
                    "actor_id": .string(userID), "message_type": "normal",
                ]
            ],
        ]
        let created = client.send(.post, "/v2/conversations", body: body.serialized())
        #expect(created.code == 202, "\(created.text)")
        let conversationID = created.json["conversation_id"]?.stringValue ?? ""
        try emulator.advance()
        #expect(client.send(.get, "/v2/conversations/\(conversationID)").json["status"] == "new")

        // Assigned to Nora, who then steps into a meeting and resolves it.
        let assigned = client.send(
            .put, "/v2/conversations/\(conversationID)", body: #"{"assigned_agent_id":"\#(agentID)"}"#)
        #expect(assigned.json["status"] == "assigned", "\(assigned.text)")
        #expect(assigned.json["assigned_agent_id"] == .string(agentID))
        let away = client.setStatus(agentID, statusID: Seeded.inAMeeting, name: "In a meeting")
        #expect(away.json["availability_status"] == "UNAVAILABLE", "\(away.text)")
        #expect(client.agent(agentID)?["agent_status"] == ["id": .string(Seeded.inAMeeting), "name": "In a meeting"])
        let resolved = client.send(.put, "/v2/conversations/\(conversationID)", body: #"{"status":"resolved"}"#)
        #expect(resolved.json["status"] == "resolved", "\(resolved.text)")

        // The customer is unhappy: a CSAT that reopens it (docs L2719), and Nora takes it again.
        let csat = client.send(
            .post, "/v2/csat/\(conversationID)", body: #"{"issue_resolved":false,"reopen_conversation":true}"#)
        #expect(csat.code == 201, "\(csat.text)")
        let reopened = client.send(.get, "/v2/conversations/\(conversationID)").json
        #expect(reopened["status"] == "new")
        #expect(reopened["assigned_agent_id"] == nil)
        let again = client.send(
            .put, "/v2/conversations/\(conversationID)", body: #"{"assigned_agent_id":"\#(agentID)"}"#)
        #expect(again.json["status"] == "assigned", "\(again.text)")

        // Nora leaves: accepted now, done after the async delay.
        let deleted = client.send(.delete, "/v2/agents/\(agentID)")
        #expect(deleted.code == 202)
        #expect(client.agent(agentID) != nil)
        #expect(client.send(.get, "/v2/conversations/\(conversationID)").json["assigned_agent_id"] == .string(agentID))
        try emulator.advance()

        expectError(client.send(.get, "/v2/agents/\(agentID)"), 404, "AGENT_NOT_FOUND", mentioning: "agent not found")
        let conversation = client.send(.get, "/v2/conversations/\(conversationID)").json
        #expect(conversation["assigned_agent_id"] == nil)
        #expect(conversation["status"] == "new")
        #expect(conversation["assigned_group_id"] == .string(Seeded.billing))
        #expect(client.listAgents("/v2/agents?groups=\(Seeded.billing)").agents("id") == [Seeded.priya])

        // What the reports will read: assigned, status changed, resolved, rated and reopened (unassigned), assigned
        // again, unassigned by the deletion.
        let kinds = try emulator.emulator.store.read { db in
            try db.events().filter { $0.agentID == agentID }.map(\.kind)
        }
        #expect(kinds.prefix(3) == [.agentAssigned, .agentStatusChanged, .conversationResolved])
        #expect(kinds.contains(.csatSubmitted))
        #expect(kinds.suffix(2) == [.agentAssigned, .agentUnassigned])
        #expect(kinds.filter { $0 == .agentUnassigned }.count == 2)
    }
}
