import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

extension AgentsTests {
    /// Delete an agent (docs L2339–2366), `DELETE /v2/agents/{agent_id}`.
    @Suite struct Delete {
        static let notFound = #"{"code":404,"status":"AGENT_NOT_FOUND","message":"agent not found"}"#

        static func makeEmulator(configure: (inout Config) -> Void = { _ in }) throws -> TestEmulator {
            let emulator = try TestEmulator(configure: configure)
            try emulator.addUsers()
            return emulator
        }

        // docs L2353: the DELETE example; L2357: "A successful request returns 202 Accepted along with the corresponding
        // response message." L2365 (and L38): { "code": 202, "status": "ACCEPTED", "message": "Agent deletion request
        // accepted" }
        @Test func delete_Returns202_WithTheDocsBody() throws {
            let emulator = try Self.makeEmulator()
            let response = emulator.send(.delete, "/v2/agents/\(Seeded.kenji)")
            #expect(response.code == 202)
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(response.text == #"{"code":202,"status":"ACCEPTED","message":"Agent deletion request accepted"}"#)
        }

        // docs L2347: "agent_idMandatory string Identifier of the agent object" — an unknown one is a 404 (L46).
        @Test func delete_Returns404_ForAnUnknownAgent() throws {
            let emulator = try Self.makeEmulator()
            let response = emulator.send(.delete, "/v2/agents/nope")
            #expect(response.code == 404)
            #expect(response.text == Self.notFound)
            #expect(try emulator.advance() == 0, "nothing was queued")
        }

        // docs L2341: "permanently deletes the agent’s record from the Freshchat system. The agent details cannot be
        // retrieved from the Freshchat system after this delete" — once the `agent.delete` job has run after the async
        // delay. Until then the agent is there.
        @Test func delete_RemovesTheAgent_ForEveryEndpoint_AfterTheAsyncDelay() throws {
            let emulator = try Self.makeEmulator()
            let before = emulator.agent(Seeded.priya)
            #expect(emulator.send(.delete, "/v2/agents/\(Seeded.priya)").code == 202)
            #expect(emulator.agent(Seeded.priya) == before)
            #expect(try emulator.advance(milliseconds: 999) == 0)
            #expect(emulator.agent(Seeded.priya) == before)
            #expect(try emulator.advance(milliseconds: 1) == 1)

            #expect(emulator.send(.get, "/v2/agents/\(Seeded.priya)").text == Self.notFound)
            #expect(
                emulator.send(.put, "/v2/agents/\(Seeded.priya)", body: #"{"first_name":"P"}"#).text == Self.notFound)
            #expect(emulator.setStatus(Seeded.priya, statusID: Seeded.brb, name: "BRB").text == Self.notFound)
            #expect(emulator.send(.delete, "/v2/agents/\(Seeded.priya)").text == Self.notFound)
            #expect(
                emulator.listAgents("/v2/agents").agents("first_name") == [
                    "Daniel", "Kenji", "Lena", "Marcus", "Sofia",
                ])
            #expect(emulator.listAgents("/v2/agents?groups=\(Seeded.billing)").agents() == [])
            #expect(try emulator.agentRowCounts() == (5, 5), "the agent's group memberships went with it")
            // Conversations no longer accept the agent (docs L1465: assigned_agent_id must be an agent).
            let conversation = try emulator.conversation(in: .new)
            expectError(
                emulator.send(
                    .put, "/v2/conversations/\(conversation)", json: ["assigned_agent_id": .string(Seeded.priya)]),
                400, "BAD_REQUEST", mentioning: "assigned_agent_id: no agent with id \(Seeded.priya)")
            expectError(
                emulator.send(
                    .post, "/v2/conversations", json: Seeded.createBody([("assigned_agent_id", .string(Seeded.priya))])),
                400, "BAD_REQUEST", mentioning: "assigned_agent_id: no agent with id")
            expectError(
                emulator.sendMessage(conversation, Seeded.agentMessage(from: Seeded.priya)), 400, "BAD_REQUEST",
                mentioning: "no agent with id \(Seeded.priya)")
        }

        // The deletion waits for the configured async delay (`--async-delay`), not a fixed one.
        @Test func delete_WaitsForTheConfiguredAsyncDelay() throws {
            let emulator = try Self.makeEmulator { $0.asyncDelay = 5 }
            #expect(emulator.send(.delete, "/v2/agents/\(Seeded.kenji)").code == 202)
            #expect(try emulator.advance(milliseconds: 4_999) == 0)
            #expect(emulator.agent(Seeded.kenji) != nil)
            #expect(try emulator.advance(milliseconds: 1) == 1)
            #expect(emulator.agent(Seeded.kenji) == nil)
        }

        // Emulator decision: conversations assigned to a deleted agent are unassigned when the deletion runs —
        // assigned_agent_id cleared as by an empty assigned_agent_id (docs L1481: "To unassign a conversation from the
        // assigned agent … specify an empty value"), an assigned conversation back to new, a resolved one still resolved,
        // updated_time moved — each with an agent_unassigned event (data.cause AGENT_DELETED).
        // Other agents' conversations are untouched.
        @Test func delete_UnassignsTheAgentsConversations_WithTheirEvents() throws {
            let emulator = try Self.makeEmulator()
            let assigned = try emulator.conversation(in: .assigned)
            let resolved = try emulator.conversation(in: .resolved)
            let others = try emulator.startConversation(
                Seeded.createBody([("assigned_agent_id", .string(Seeded.marcus))]))
            let othersBefore = emulator.fetchConversation(others)
            let eventsBefore = try emulator.events(of: assigned).count
            #expect(emulator.fetchConversation(assigned)?["assigned_agent_id"] == .string(Seeded.priya))
            #expect(emulator.send(.delete, "/v2/agents/\(Seeded.priya)").code == 202)
            try emulator.advance(milliseconds: 500)
            #expect(emulator.fetchConversation(assigned)?["status"] == "assigned", "not before the job runs")
            try emulator.advance(milliseconds: 500)
            let deletedAt = Timestamp.format(emulator.clock.now)

            let first = emulator.fetchConversation(assigned)
            #expect(first?["status"] == "new")
            #expect(first?["assigned_agent_id"] == nil && first?["assigned_org_agent_id"] == nil)
            #expect(first?["assigned_group_id"] == .string(Seeded.billing))
            #expect(first?["updated_time"] == .string(deletedAt))
            let second = emulator.fetchConversation(resolved)
            #expect(second?["status"] == "resolved")
            #expect(second?["assigned_agent_id"] == nil)
            #expect(second?["updated_time"] == .string(deletedAt))
            #expect(emulator.fetchConversation(others) == othersBefore)

            for id in [assigned, resolved] {
                let events = try emulator.events(of: id)
                let last = events.last
                #expect(last?.kind == .agentUnassigned)
                #expect(last?.agentID == Seeded.priya)
                #expect(last?.groupID == Seeded.billing)
                #expect(last?.data["cause"] == "AGENT_DELETED")
                #expect(last.map { Timestamp.format($0.time) } == deletedAt)
                #expect(events.filter { $0.kind == .agentUnassigned }.count == 1)
            }
            #expect(try emulator.events(of: assigned).count == eventsBefore + 1)
            #expect(try emulator.events(of: others).allSatisfy { $0.kind != .agentUnassigned })
            // The unassigned conversation can be assigned again (Sofia is in Support, docs L1479).
            let reassigned = emulator.update(
                assigned, ["assigned_agent_id": .string(Seeded.sofia), "assigned_group_id": .string(Seeded.support)])
            #expect(reassigned["status"] == "assigned")
        }

        // The messages the agent sent stay, with their actor.
        @Test func delete_KeepsTheMessagesTheAgentSent() throws {
            let emulator = try Self.makeEmulator()
            let id = try emulator.conversation(in: .assigned)
            let sent = emulator.sendMessage(id, Seeded.agentMessage("On it.", from: Seeded.priya))
            #expect(sent.code == 200, "\(sent.text)")
            #expect(emulator.send(.delete, "/v2/agents/\(Seeded.priya)").code == 202)
            try emulator.advance()
            let messages = emulator.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue ?? []
            let kept = messages.first { $0["id"] == sent.json["id"] }
            #expect(kept?["actor_id"] == .string(Seeded.priya))
            #expect(kept?["message_parts"] == [["text": ["content": "On it."]]])
        }

        // Emulator decision: while the deletion is pending the agent exists, so a second DELETE is accepted again; the
        // agent is deleted (and its conversations unassigned) once, and every job completes.
        @Test func delete_IsAcceptedAgain_WhilePending() throws {
            let emulator = try Self.makeEmulator()
            let conversation = try emulator.conversation(in: .assigned)
            let first = emulator.send(.delete, "/v2/agents/\(Seeded.priya)")
            let second = emulator.send(.delete, "/v2/agents/\(Seeded.priya)")
            #expect(first.code == 202 && second.text == first.text)
            #expect(try emulator.advance() == 2)
            #expect(try emulator.events(of: conversation).filter { $0.kind == .agentUnassigned }.count == 1)
            let unfinished = try emulator.emulator.store.read {
                try $0.scalarInt("SELECT count(*) FROM job WHERE status <> 'done'")
            }
            #expect(unfinished == 0)
        }

        // Once deleted, the email is free for a new agent (uniqueness is among existing agents).
        @Test func delete_FreesTheEmail() throws {
            let emulator = try Self.makeEmulator()
            expectError(
                emulator.send(.post, "/v2/agents", body: #"{"email":"priya.raman@example.com"}"#), 400, "BAD_REQUEST")
            #expect(emulator.send(.delete, "/v2/agents/\(Seeded.priya)").code == 202)
            try emulator.advance()
            let agent = emulator.createAgent(["email": "priya.raman@example.com"])
            #expect(agent["id"] != .string(Seeded.priya))
        }
    }
}
