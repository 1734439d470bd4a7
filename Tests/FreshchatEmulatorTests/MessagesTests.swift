import HTTP
import Testing

@testable import FreshchatEmulator

/// Send a message to a conversation (docs L1647–1698).
@Suite struct MessagesTests {
    static func makeEmulator() throws -> TestEmulator {
        let emulator = try TestEmulator()
        try emulator.addUsers(orgContactID: "org-user")
        return emulator
    }

    /// The docs' send request (L1660–1692), with single quotes made JSON.
    static let docsSendBody = """
        { "message_parts": [ { "text": { "content": "Do you Agree??" } } ], "reply_parts": [ { "collection": { \
        "sub_parts": [ { "quick_reply_button": { "label": "Yes" } }, { "quick_reply_button": { "label": "No" } } ] } } \
        ], "message_type": "normal", "actor_type": "agent", "user_id": "186a0a5c-7d30-4cb3-9a55-9d6534cbbf26", \
        "actor_id": "1de5d130-1c62-48cf-8349-1b39c60d0c28" }
        """

    // docs L1698: "A successful request returns 200 OK along with the created message object."
    @Test func send_Returns200_WithTheCreatedMessage_ForTheDocsExample() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation(
            Seeded.createBody([("users", [["id": .string(Seeded.user)], ["id": .string(Seeded.otherUser)]])]))
        try emulator.advance(milliseconds: 2_500)
        let response = emulator.send(.post, "/v2/conversations/\(id)/messages", body: Self.docsSendBody)
        #expect(response.code == 200, "\(response.text)")
        let message = response.json.objectValue ?? JSONObject()
        // docs L1644: the message object's attributes in order.
        #expect(
            message.keys == [
                "message_parts", "reply_parts", "app_id", "actor_id", "org_actor_id", "id", "channel_id",
                "conversation_id", "interaction_id", "message_type", "actor_type", "created_time", "user_id",
                "restrictResponse", "botsPrivateNote",
            ])
        #expect(message["org_actor_id"] == "462153445185974756")
        #expect(message["user_id"] == .string(Seeded.otherUser))
        #expect(message["created_time"] == "2024-01-15T10:00:03.500Z")
        #expect(message["conversation_id"] == .string(id))
        let sent = try JSONParser.parse(Self.docsSendBody)
        #expect(message["message_parts"] == sent["message_parts"])
        #expect(message["reply_parts"] == sent["reply_parts"])
        #expect(emulator.fetchConversation(id)?["updated_time"] == "2024-01-15T10:00:03.500Z")
        let event = try emulator.events(of: id).last
        #expect(event?.kind == .messageSent)
        #expect(event?.actorType == "agent")
        #expect(event?.actorID == Seeded.marcus)
        #expect(event?.messageID == message["id"]?.stringValue)
        #expect(event?.data["message_type"] == "normal")
    }

    // docs L839: "If a user sends the message, the value of this attribute is a valid user.id."
    @Test func send_UserMessage_CarriesTheUserAndItsOrgId() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation()
        let message = emulator.sendMessage(id, Seeded.userMessage("still there?")).json
        #expect(message["user_id"] == .string(Seeded.user))
        #expect(message["actor_id"] == .string(Seeded.user))
        #expect(message["org_actor_id"] == "org-user")
    }

    // docs L841: "If a Freshchat bot sends the message, the attribute will not have a valid value."; L853: "Default
    // value: normal".
    @Test func send_BotMessage_NeedsNoActorId_AndDefaultsToNormal() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation()
        let response = emulator.sendMessage(
            id, ["message_parts": [["text": ["content": "bot here"]]], "actor_type": "bot", "botsPrivateNote": true])
        #expect(response.code == 200, "\(response.text)")
        #expect(response.json.objectValue?.keys.contains("actor_id") == false)
        #expect(response.json["message_type"] == "normal")
        #expect(response.json["botsPrivateNote"] == true)
        #expect(response.json["user_id"] == .string(Seeded.user))
    }

    // docs L1475 + L847: a user writing to a resolved conversation reopens it — status new, agent unassigned, a new
    // interaction; docs L855–857: meta_data "isReopen: true".
    @Test func send_UserMessage_ReopensAResolvedConversation() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .resolved)
        let before = try emulator.emulator.store.read { try $0.conversation(id: id) }
        let message = emulator.sendMessage(id, Seeded.userMessage("it broke again")).json
        let after = try #require(try emulator.emulator.store.read { try $0.conversation(id: id) })
        #expect(after.status == .new)
        #expect(after.assignedAgentID == nil)
        #expect(after.interactionID != before?.interactionID)
        #expect(message["interaction_id"] == .string(after.interactionID))
        #expect(message["meta_data"] == ["isReopen": true])
        let events = try emulator.events(of: id).suffix(3)
        #expect(events.map(\.kind) == [.conversationReopened, .agentUnassigned, .messageSent])
        #expect(events.first?.data["cause"] == "USER_MESSAGE")
    }

    // docs L1475 reopens by the API; only a user writing reopens a conversation, agents and system messages do not.
    @Test func send_AgentMessage_LeavesAResolvedConversationResolved() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .resolved)
        #expect(emulator.sendMessage(id, Seeded.agentMessage(from: Seeded.priya)).code == 200)
        #expect(emulator.fetchConversation(id)?["status"] == "resolved")
        #expect(
            emulator.sendMessage(id, ["message_parts": [["text": ["content": "x"]]], "actor_type": "system"]).code
                == 200)
        #expect(emulator.fetchConversation(id)?["status"] == "resolved")
    }

    // docs L858–860: in_reply_to "message_id (string): Auto-generated identifier of the message that triggered a
    // reply/response."
    @Test func send_InReplyTo_MustNameAMessageOfTheConversation() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation()
        let question = emulator.sendMessage(id, Self.quickReplies).json["id"] ?? .null
        guard case .object(var answer) = Seeded.userMessage("Yes") else { return }
        answer["in_reply_to"] = ["message_id": question]
        let reply = emulator.sendMessage(id, .object(answer))
        #expect(reply.code == 200, "\(reply.text)")
        #expect(reply.json["in_reply_to"] == ["message_id": question])
        answer["in_reply_to"] = ["message_id": "nope"]
        expectError(emulator.sendMessage(id, .object(answer)), 400, "BAD_REQUEST", mentioning: "in_reply_to.message_id")
    }

    static let quickReplies: JSONValue = [
        "message_parts": [["text": ["content": "Agree?"]]],
        "reply_parts": [["collection": ["sub_parts": [["quick_reply_button": ["label": "Yes"]]]]]],
        "actor_type": "agent", "actor_id": .string(Seeded.marcus),
    ]

    /// One invalid message body and what the 400 must name.
    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var body: JSONValue
        var mentioning: String
        var testDescription: String { name }
    }

    static let text: JSONValue = [["text": ["content": "hi"]]]

    static let invalid: [Invalid] = [
        // docs L834: actor_type "Mandatory attribute in the request body parameter"
        Invalid(name: "actor_type missing", body: ["message_parts": text], mentioning: "actor_type is mandatory"),
        Invalid(
            name: "actor_type unknown", body: ["message_parts": text, "actor_type": "customer"],
            mentioning: "actor_type must be one of user, agent, bot, system"),
        // docs L838: actor_id "Mandatory … if the value of message.actor_type is user or agent."
        Invalid(
            name: "user without actor_id", body: ["message_parts": text, "actor_type": "user"],
            mentioning: "actor_id is mandatory when actor_type is user"),
        Invalid(
            name: "agent without actor_id", body: ["message_parts": text, "actor_type": "agent", "actor_id": " "],
            mentioning: "actor_id is mandatory when actor_type is agent"),
        Invalid(
            name: "unknown user", body: ["message_parts": text, "actor_type": "user", "actor_id": "ghost"],
            mentioning: "actor_id: no user with id ghost"),
        Invalid(
            name: "user not in the conversation",
            body: ["message_parts": text, "actor_type": "user", "actor_id": .string(Seeded.otherUser)],
            mentioning: "actor_id: user \(Seeded.otherUser) is not a user of this conversation"),
        Invalid(
            name: "unknown agent", body: ["message_parts": text, "actor_type": "agent", "actor_id": "ghost"],
            mentioning: "actor_id: no agent with id ghost"),
        Invalid(
            name: "deactivated agent",
            body: ["message_parts": text, "actor_type": "agent", "actor_id": .string(Seeded.lena)],
            mentioning: "actor_id: agent \(Seeded.lena) is deactivated"),
        Invalid(
            name: "user_id not in the conversation",
            body: ["message_parts": text, "actor_type": "bot", "user_id": .string(Seeded.otherUser)],
            mentioning: "user_id: \(Seeded.otherUser) is not a user of this conversation"),
        // docs L848–853: message_type "Possible values: normal … private … system"
        Invalid(
            name: "message_type unknown", body: ["message_parts": text, "actor_type": "bot", "message_type": "public"],
            mentioning: "message_type must be one of normal, private, system"),
        Invalid(name: "message_parts missing", body: ["actor_type": "bot"], mentioning: "message_parts is mandatory"),
        Invalid(
            name: "message_parts empty", body: ["message_parts": [], "actor_type": "bot"],
            mentioning: "message_parts must hold at least one message part"),
        // docs L832: reply_parts "VALID ONLY WHEN MESSAGE_PARTS IS PRESENT"
        Invalid(
            name: "reply_parts without message_parts",
            body: [
                "reply_parts": [["collection": ["sub_parts": [["quick_reply_button": ["label": "Yes"]]]]]],
                "actor_type": "bot",
            ],
            mentioning: "reply_parts is valid only when message_parts is present"),
        // docs L1530: "the reply_parts attribute is present only for agent-sent or bot-sent messages"
        Invalid(
            name: "reply_parts from a user",
            body: [
                "message_parts": text, "actor_type": "user", "actor_id": .string(Seeded.user),
                "reply_parts": [["collection": ["sub_parts": [["quick_reply_button": ["label": "Yes"]]]]]],
            ],
            mentioning: "reply_parts is present only for agent-sent or bot-sent messages"),
        Invalid(
            name: "restrictResponse not a boolean",
            body: ["message_parts": text, "actor_type": "bot", "restrictResponse": "no"],
            mentioning: "restrictResponse must be a boolean"),
    ]

    // docs L28–52: a failed request answers {"code", "status", "message"}; nothing is stored.
    @Test(arguments: invalid)
    func send_IsRejected(_ invalid: Invalid) throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation()
        let events = try emulator.events(of: id).count
        expectError(emulator.sendMessage(id, invalid.body), 400, "BAD_REQUEST", mentioning: invalid.mentioning)
        #expect(emulator.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue?.count == 1)
        #expect(try emulator.events(of: id).count == events)
    }

    // docs L1649: "Identifies a conversation by the conversation_id passed in the request"; docs L45: the 404 shape.
    @Test func send_Is404_ForAnUnknownConversation() throws {
        let emulator = try Self.makeEmulator()
        expectError(emulator.sendMessage("nope", Seeded.userMessage()), 404, "CONVERSATION_NOT_FOUND")
    }
}
