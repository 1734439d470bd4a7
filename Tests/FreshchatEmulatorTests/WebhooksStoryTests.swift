import HTTP
import Testing

@testable import FreshchatEmulator

/// The four events told as one story, each body checked for its shape and signature (issue "Webhooks").
@Suite struct WebhooksStoryTests {
    // Issue "Webhooks": "a story covers all four events in order"; "every assignment, resolution and reopen,
    // whatever caused it, emits its event, in the order the changes happened".
    @Test func story_EmitsTheFourEvents_InTheOrderTheChangesHappened() throws {
        let h = try WebhooksHarness()
        let key = try h.publicKey()
        try h.base.addUsers()
        let id = try h.base.startConversation()
        #expect(h.base.sendMessage(id, Seeded.agentMessage("How can I help?", from: Seeded.priya)).code == 200)
        h.base.update(id, ["assigned_group_id": .string(Seeded.billing), "assigned_agent_id": .string(Seeded.priya)])
        h.base.update(id, ["status": "resolved"])
        #expect(h.base.sendMessage(id, Seeded.userMessage("It is still late")).code == 200)
        let received = h.flush()
        #expect(
            received.map { $0.json["action"]?.stringValue ?? "" } == [
                "message_create", "message_create", "conversation_assignment", "conversation_assignment",
                "conversation_resolution", "conversation_reopen", "conversation_assignment", "message_create",
            ])
        for webhook in received {
            expectSigned(webhook, by: key)
            #expect(webhook.retryCount == 0)
            #expect(webhook.path == "/hooks/freshchat")
            #expect(webhook.json.objectValue?.keys == ["actor", "action", "action_time", "data"])
            #expect(webhook.json["actor"]?.objectValue?.keys == ["actor_type", "actor_id"])
        }
        guard received.count == 8 else { return }

        // message_create: the message as the API returns it, with message_source; the actor is the author.
        let first = received[0]
        #expect(first.json["actor"] == ["actor_type": "user", "actor_id": .string(Seeded.user)])
        #expect(first.json["action_time"] == .string(Timestamp.format(TestEmulator.start)))
        let message = try #require(webhookData(first))
        #expect(message["conversation_id"] == .string(id))
        #expect(message["message_parts"] == [["text": ["content": "Hii! Need help in receiving the refund."]]])
        #expect(message["message_source"] == "api")
        for key in [
            "message_parts", "app_id", "actor_id", "id", "channel_id", "conversation_id", "interaction_id",
            "message_type", "actor_type", "created_time", "user_id", "message_source", "restrictResponse",
            "botsPrivateNote",
        ] {
            #expect(message[key] != nil, "data.message.\(key)")
        }
        let stored = h.base.send(.get, "/v2/conversations/\(id)/messages?sort_order=asc").json["messages"]?.arrayValue?
            .first
        var withoutSource = message.objectValue ?? JSONObject()
        withoutSource["message_source"] = nil
        #expect(JSONValue.object(withoutSource) == stored, "the message as GET …/messages returns it")
        #expect(received[1].json["actor"] == ["actor_type": "agent", "actor_id": .string(Seeded.priya)])

        // conversation_assignment ×2: the group, then the agent, by the API (system).
        let group = try #require(webhookData(received[2]))
        #expect(group["assignor"] == "system" && group["to_group_id"] == .string(Seeded.billing))
        #expect(group["from_group_id"] == "" && group["to_agent_id"] == .string(Seeded.priya))
        let agent = try #require(webhookData(received[3]))
        #expect(
            agent.objectValue?.keys == [
                "assignor", "assignor_id", "to_agent_id", "to_group_id", "from_agent_id", "from_group_id",
                "conversation",
                "interaction_id",
            ])
        #expect(agent["to_agent_id"] == .string(Seeded.priya) && agent["from_agent_id"] == "")
        #expect(agent["to_group_id"] == .string(Seeded.billing) && agent["from_group_id"] == .string(Seeded.billing))
        #expect(received[3].json["actor"]?["actor_type"] == "system")
        let conversation = try #require(agent["conversation"])
        #expect(
            conversation.objectValue?.keys == [
                "conversation_id", "app_id", "status", "channel_id", "skill_id", "sla_policy_id", "sla_breached",
                "assigned_agent_id", "assigned_org_agent_id", "assigned_group_id",
            ])
        #expect(conversation["status"] == "assigned" && conversation["conversation_id"] == .string(id))
        #expect(conversation["sla_breached"] == false && conversation["skill_id"] == 0)

        // conversation_resolution: resolver, conversation and the user.
        let resolve = try #require(webhookData(received[4]))
        #expect(resolve["resolver"] == "system")
        #expect(resolve["conversation"]?["status"] == "resolved")
        #expect(resolve["user"]?["id"] == .string(Seeded.user))
        let interaction = try #require(resolve["interaction_id"]?.stringValue)

        // The user writes again: reopened by the user in a new interaction, the agent unassigned, then the message.
        let reopen = try #require(webhookData(received[5]))
        #expect(received[5].json["actor"] == ["actor_type": "user", "actor_id": .string(Seeded.user)])
        #expect(reopen["reopener"] == "user" && reopen["reopener_id"] == .string(Seeded.user))
        #expect(reopen["conversation"]?["status"] == "new")
        #expect(reopen["interaction_id"] != .string(interaction))
        let unassign = try #require(webhookData(received[6]))
        #expect(unassign["to_agent_id"] == "" && unassign["from_agent_id"] == .string(Seeded.priya))
        #expect(webhookData(received[7])?["interaction_id"] == reopen["interaction_id"])
    }

    // Issue "Webhooks": PUT {"events": [...]} narrows what a URL receives.
    @Test func subscription_ReceivesOnlyItsEvents() throws {
        let h = try WebhooksHarness(events: ["conversation_resolution"])
        try h.base.addUsers()
        let id = try h.base.startConversation()
        h.base.update(id, ["status": "resolved"])
        let received = h.flush()
        #expect(received.map { $0.json["action"] } == ["conversation_resolution"])
        #expect(h.control(.get, "/_emulator/webhooks").json["events"] == ["conversation_resolution"])
    }

    // Issue "Webhooks": a CSAT that reopens emits conversation_reopen, by the rating's user.
    @Test func csatReopen_EmitsConversationReopen_ByTheUser() throws {
        let h = try WebhooksHarness(events: ["conversation_reopen"])
        try h.base.addUsers()
        let id = try h.base.startConversation()
        h.base.update(id, ["status": "resolved"])
        let rated = h.base.send(
            .post, "/v2/csat/\(id)", json: ["issue_resolved": false, "reopen_conversation": true])
        #expect(rated.code == 201, "\(rated.text)")
        let received = h.flush()
        #expect(received.count == 1)
        #expect(webhookData(received[0])?["reopener"] == "user")
        #expect(webhookData(received[0])?["reopener_id"] == .string(Seeded.user))
    }

    // Issue "Webhooks": an agent's deletion unassigns their conversations, each with conversation_assignment.
    @Test func agentDeletion_EmitsAnUnassignment_BySystem() throws {
        let h = try WebhooksHarness(events: ["conversation_assignment"])
        try h.base.addUsers()
        let id = try h.base.startConversation()
        h.base.update(id, ["assigned_agent_id": .string(Seeded.sofia)])
        #expect(h.base.send(.delete, "/v2/agents/\(Seeded.sofia)").code == 202)
        try h.base.advance()
        let received = h.flush()
        #expect(received.count == 2)
        guard received.count == 2 else { return }
        let data = try #require(webhookData(received[1]))
        #expect(data["assignor"] == "system")
        #expect(data["from_agent_id"] == .string(Seeded.sofia) && data["to_agent_id"] == "")
        #expect(data["conversation"]?["assigned_agent_id"] == nil)
    }

    // A conversation with two users: the reopener is the user who wrote, not the first user.
    @Test func userMessageReopen_NamesTheUserWhoWrote() throws {
        let h = try WebhooksHarness(events: ["conversation_reopen"])
        try h.base.addUsers()
        let id = try h.base.startConversation(
            Seeded.createBody([("users", [["id": .string(Seeded.user)], ["id": .string(Seeded.otherUser)]])]))
        h.base.update(id, ["status": "resolved"])
        #expect(h.base.sendMessage(id, Seeded.userMessage("me too", from: Seeded.otherUser)).code == 200)
        let received = h.flush()
        #expect(received.count == 1)
        #expect(received.first?.json["actor"]?["actor_id"] == .string(Seeded.otherUser))
        #expect(webhookData(received[0])?["reopener_id"] == .string(Seeded.otherUser))
    }
}
