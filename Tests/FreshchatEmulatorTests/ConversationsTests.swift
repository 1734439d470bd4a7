import HTTP
import Testing

@testable import FreshchatEmulator

/// Create and retrieve a conversation, list the conversation fields (docs L701–1400, L1700–1814).
@Suite struct ConversationsTests {
    /// The docs' create request body, verbatim (L1337).
    static let docsCreateBody = """
        { "status": "new", "messages": [ { "message_parts": [{ "text": { "content": "Hii! Need help in receiving the \
        refund." } }], "channel_id": "71df7c11-df1e-4365-80e3-75a434c9caf0", "message_type": "normal", "actor_type": \
        "user", "actor_id":"86a76727-f5f7-40b5-8f93-309043646b1c20230415141608" } ], "channel_id": \
        "71df7c11-df1e-4365-80e3-75a434c9caf0", "assigned_org_agent_id": "462153445185974756", "assigned_agent_id": \
        "1ad50c45-050b-4702-9300-478ddcf23c65", "assigned_group_id": "e769cd13-0cd3-4d64-81ac-32657642a24d", \
        "properties": { "priority": "Low", "cf_type": "General Query", "cf_rating": "3", "cf_supported_products": \
        ["Freshchat", "Freshdesk"] }, "users": [{ "id": "86a76727-f5f7-40b5-8f93-309043646b1c20230415141608" }] }
        """

    static func makeEmulator() throws -> TestEmulator {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        return emulator
    }

    // docs L1357: "A successful request returns 202 Accepted along with the created conversation object."
    @Test func create_Returns202_WithTheConversationObject_ForTheDocsExample() throws {
        let emulator = try Self.makeEmulator()
        let response = emulator.send(.post, "/v2/conversations", body: Self.docsCreateBody)
        #expect(response.code == 202, "\(response.text)")
        let object = response.json.objectValue ?? JSONObject()
        // docs L764: the conversation object's attributes in order, then created_time and updated_time.
        #expect(
            object.keys == [
                "conversation_id", "channel_id", "assigned_org_agent_id", "assigned_agent_id", "assigned_org_group_id",
                "assigned_group_id", "messages", "app_id", "status", "skill_id", "properties", "users", "created_time",
                "updated_time",
            ])
        #expect(object["conversation_id"] == "00000000-0000-4000-8000-000000000001")
        #expect(object["status"] == "new")
        #expect(object["assigned_org_agent_id"] == "566895102921767652")
        #expect(object["assigned_org_group_id"] == "")
        #expect(object["skill_id"] == 0)
        #expect(object["app_id"] == "4adf4aab-a061-5041-9306-78aa094cd1a1")
        #expect(
            object["properties"]
                == [
                    "priority": "Low", "cf_type": "General Query", "cf_rating": "3",
                    "cf_supported_products": ["Freshchat", "Freshdesk"],
                ])
        #expect(object["users"] == [["id": .string(Seeded.user)]])
        #expect(object["created_time"] == "2024-01-15T10:00:00.000Z")
        #expect(object["updated_time"] == "2024-01-15T10:00:00.000Z")
        let message = object["messages"]?.arrayValue?.first?.objectValue ?? JSONObject()
        // docs L764: the message object's attributes in order.
        #expect(
            message.keys == [
                "message_parts", "app_id", "actor_id", "id", "channel_id", "conversation_id", "interaction_id",
                "message_type", "actor_type", "created_time", "user_id", "restrictResponse", "botsPrivateNote",
            ])
        #expect(message["id"] == "00000000-0000-4000-8000-000000000003")
        #expect(message["conversation_id"] == object["conversation_id"])
        #expect(message["channel_id"] == .string(Seeded.channel))
        #expect(message["user_id"] == .string(Seeded.user))
        #expect(message["interaction_id"] == "000000000000002-1705312800000")
        #expect(message["restrictResponse"] == false)
        #expect(message["botsPrivateNote"] == false)
    }

    // docs L1357: 202 "indicates that the request is being processed": the conversation exists once the job has run.
    @Test func create_Completes_AfterTheAsyncDelay_WithTheIdsOfThe202() throws {
        let emulator = try Self.makeEmulator()
        let accepted = emulator.send(.post, "/v2/conversations", json: Seeded.createBody()).json
        let id = accepted["conversation_id"]?.stringValue ?? ""
        expectError(emulator.send(.get, "/v2/conversations/\(id)"), 404, "CONVERSATION_NOT_FOUND")
        expectError(emulator.send(.get, "/v2/conversations/\(id)/messages"), 404, "CONVERSATION_NOT_FOUND")
        #expect(try emulator.advance(milliseconds: 999) == 0)
        #expect(emulator.send(.get, "/v2/conversations/\(id)").code == 404)
        #expect(try emulator.advance(milliseconds: 1) == 1)
        let stored = try #require(emulator.fetchConversation(id))
        #expect(stored["conversation_id"] == accepted["conversation_id"])
        #expect(stored["created_time"] == accepted["created_time"])
        let messages = emulator.send(.get, "/v2/conversations/\(id)/messages").json["messages"]
        #expect(messages == accepted["messages"])
    }

    // The async delay is the configured one (--async-delay).
    @Test func create_Completes_AfterTheConfiguredDelay() throws {
        let emulator = try TestEmulator { $0.asyncDelay = 5 }
        try emulator.addUsers()
        let accepted = emulator.send(.post, "/v2/conversations", json: Seeded.createBody())
        let id = accepted.json["conversation_id"]?.stringValue ?? ""
        try emulator.advance(milliseconds: 4_999)
        #expect(emulator.send(.get, "/v2/conversations/\(id)").code == 404)
        try emulator.advance(milliseconds: 1)
        #expect(emulator.send(.get, "/v2/conversations/\(id)").code == 200)
    }

    // docs L764 answers "status": "new" with an agent; docs L1398 retrieves the same conversation as "assigned".
    @Test func create_StoresAssigned_WhenAnAgentIsGiven() throws {
        let emulator = try Self.makeEmulator()
        let response = emulator.send(.post, "/v2/conversations", body: Self.docsCreateBody)
        let id = response.json["conversation_id"]?.stringValue ?? ""
        try emulator.advance()
        let stored = try #require(emulator.fetchConversation(id))
        #expect(response.json["status"] == "new")
        #expect(stored["status"] == "assigned")
        #expect(stored["assigned_agent_id"] == .string(Seeded.priya))
        #expect(stored["assigned_group_id"] == .string(Seeded.billing))
    }

    // docs L1359: "By default, the conversation is created with the value of properties.priority as Low."
    @Test func create_DefaultsPriorityToLow_AndStatusToNew() throws {
        let emulator = try Self.makeEmulator()
        let response = emulator.send(.post, "/v2/conversations", json: Seeded.createBody())
        #expect(response.json["properties"] == ["priority": "Low"])
        #expect(response.json["status"] == "new")
        #expect(response.json.objectValue?.keys.contains("assigned_agent_id") == false)
        #expect(response.json.objectValue?.keys.contains("assigned_group_id") == false)
    }

    // docs L1473 + L1806: a conversation can be created resolved, if its required fields have values.
    @Test func create_IsResolved_WhenStatusIsResolved() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation(Seeded.createBody([("status", "resolved")]))
        #expect(emulator.fetchConversation(id)?["status"] == "resolved")
    }

    // ARCHITECTURE.md: everything the reports say comes from the EventLog.
    @Test func create_AppendsItsEvents_WhenTheJobRuns() throws {
        let emulator = try Self.makeEmulator()
        let body = Seeded.createBody([
            ("assigned_agent_id", .string(Seeded.priya)), ("assigned_group_id", .string(Seeded.billing)),
            ("messages", [Seeded.userMessage("one"), Seeded.agentMessage("two", from: Seeded.priya)]),
        ])
        let response = emulator.send(.post, "/v2/conversations", json: body)
        let id = response.json["conversation_id"]?.stringValue ?? ""
        #expect(try emulator.events(of: id).isEmpty)
        try emulator.advance()
        let events = try emulator.events(of: id)
        #expect(
            events.map(\.kind) == [.conversationCreated, .messageSent, .messageSent, .groupAssigned, .agentAssigned])
        #expect(events.allSatisfy { $0.time == TestEmulator.start })
        #expect(events[0].userID == Seeded.user)
        #expect(events[1].actorType == "user")
        #expect(events[2].actorID == Seeded.priya)
        #expect(events[2].data["message_type"] == "normal")
        #expect(events[3].groupID == Seeded.billing)
        #expect(events[4].agentID == Seeded.priya)
        #expect(events[4].data["from_agent_id"] == .null)
    }

    // docs L1405–1407: create, assign, resolve, reopen by a user message, list — in-process and over a real socket
    // (CONVENTIONS.md §13: the same test body runs both ways).
    @Test(arguments: TestMode.allCases)
    func lifecycle_IsTheSame_ThroughEitherClient(_ mode: TestMode) throws {
        let emulator = try Self.makeEmulator()
        let client = try emulator.client(mode)
        let body = Seeded.createBody([
            ("assigned_agent_id", .string(Seeded.priya)), ("assigned_group_id", .string(Seeded.billing)),
        ])
        let created = client.send(.post, "/v2/conversations", body: body.serialized())
        #expect(created.code == 202, "\(created.text)")
        let id = created.json["conversation_id"]?.stringValue ?? ""
        #expect(client.send(.get, "/v2/conversations/\(id)").code == 404)
        try emulator.advance()
        #expect(client.send(.get, "/v2/conversations/\(id)").json["status"] == "assigned")
        let resolved = client.send(.put, "/v2/conversations/\(id)", body: #"{"status":"resolved"}"#)
        #expect(resolved.json["status"] == "resolved", "\(resolved.text)")
        let message = client.send(
            .post, "/v2/conversations/\(id)/messages", body: Seeded.userMessage("again").serialized())
        #expect(message.code == 200, "\(message.text)")
        #expect(client.send(.get, "/v2/conversations/\(id)").json["status"] == "new")
        let messages = client.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue ?? []
        #expect(messages.map { $0["id"] } == [message.json["id"], created.json["messages"]?.arrayValue?.first?["id"]])
        #expect(client.send(.get, "/v2/conversations/fields").code == 200)
    }

    // MARK: - Retrieve

    // docs L1380: "The attributes, conversation.messages and conversation.users are not retrieved"
    @Test func retrieve_ReturnsTheConversation_WithoutMessagesAndUsers() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation()
        let response = emulator.send(.get, "/v2/conversations/\(id)")
        #expect(response.code == 200)
        #expect(
            response.json.objectValue?.keys == [
                "conversation_id", "channel_id", "app_id", "status", "skill_id", "properties", "created_time",
                "updated_time",
            ])
    }

    // docs L45: { "code":404, "status":"AGENT_NOT_FOUND", "message":"agent not found" } — the same for conversations.
    @Test func retrieve_Is404_ForAnUnknownConversation() throws {
        let emulator = try Self.makeEmulator()
        expectError(
            emulator.send(.get, "/v2/conversations/nope"), 404, "CONVERSATION_NOT_FOUND", mentioning: "conversation")
    }

    // MARK: - Fields

    // docs L1718–1720: "Only priority is retrieved as part of the response object along with the custom properties."
    @Test func fields_ListsTheConfiguredProperties() throws {
        let emulator = try Self.makeEmulator()
        let response = emulator.send(.get, "/v2/conversations/fields")
        #expect(response.code == 200)
        let fields = response.json.arrayValue ?? []
        #expect(fields.map { $0["name"] } == ["priority", "cf_type", "cf_rating", "cf_supported_products"])
        // docs L1792: the example's objects, verbatim.
        #expect(fields.first?.objectValue?.keys.last == "default_value")
        #expect(fields[1]["choices"]?.arrayValue?.count == 4)
    }

    // docs L1718: "the details of all the conversation properties' fields configured for the account, as an array".
    @Test func fields_IsAnEmptyArray_WithoutConfiguredProperties() throws {
        let emulator = try TestEmulator(seed: Seed(files: [:]))
        #expect(emulator.send(.get, "/v2/conversations/fields").text == "[]")
    }
}
