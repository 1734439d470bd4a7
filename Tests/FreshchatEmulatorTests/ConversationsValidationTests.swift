import HTTP
import Testing

@testable import FreshchatEmulator

/// Every way `POST /v2/conversations` (docs L1259–1359) refuses a body: 400 naming the field, nothing stored.
@Suite struct ConversationsValidationTests {
    /// One invalid body: the members changed from a valid create body, and what the message must name.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var changes: [(String, JSONValue)]
        var removing: [String] = []
        var mentioning: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // docs L1343: "channel_idMandatory"
        Case(name: "channel_id missing", changes: [], removing: ["channel_id"], mentioning: "channel_id is mandatory"),
        Case(name: "channel_id empty", changes: [("channel_id", "")], mentioning: "channel_id is mandatory"),
        Case(name: "channel_id unknown", changes: [("channel_id", "nope")], mentioning: "channel_id: no channel"),
        Case(name: "channel_id not a string", changes: [("channel_id", 5)], mentioning: "channel_id must be a string"),
        // docs L1348: "messagesMandatory array of message objects"
        Case(name: "messages missing", changes: [], removing: ["messages"], mentioning: "messages is mandatory"),
        Case(name: "messages empty", changes: [("messages", [])], mentioning: "messages must hold at least one"),
        Case(
            name: "messages not objects", changes: [("messages", ["hi"])], mentioning: "messages[0] must be a message"),
        // docs L834–836: actor_type mandatory, "Possible values: user, agent, bot, system"
        Case(
            name: "actor_type invalid",
            changes: [("messages", [["message_parts": [["text": ["content": "x"]]], "actor_type": "robot"]])],
            mentioning: "messages[0].actor_type must be one of user, agent, bot, system"),
        Case(
            name: "message part invalid",
            changes: [
                (
                    "messages",
                    [["message_parts": [["text": [:]]], "actor_type": "user", "actor_id": .string(Seeded.user)]]
                )
            ],
            mentioning: "messages[0].message_parts[0].text.content is mandatory"),
        // docs L839: "If a user sends the message, the value of this attribute is a valid user.id."
        Case(
            name: "user message from a user not in users",
            changes: [("messages", [Seeded.userMessage(from: Seeded.otherUser)])],
            mentioning: "messages[0].actor_id: user \(Seeded.otherUser) is not a user of this conversation"),
        Case(
            name: "agent message from an unknown agent", changes: [("messages", [Seeded.agentMessage(from: "nope")])],
            mentioning: "messages[0].actor_id: no agent with id nope"),
        Case(
            name: "in_reply_to in a new conversation",
            changes: [
                (
                    "messages",
                    [
                        [
                            "message_parts": [["text": ["content": "x"]]], "actor_type": "bot",
                            "in_reply_to": ["message_id": "m"],
                        ]
                    ]
                )
            ],
            mentioning: "messages[0].in_reply_to"),
        // docs L794: users "Mandatory attribute in the request body parameter"
        Case(name: "users missing", changes: [], removing: ["users"], mentioning: "users is mandatory"),
        Case(name: "users empty", changes: [("users", [])], mentioning: "users must hold at least one user"),
        Case(name: "users[0] not an object", changes: [("users", ["x"])], mentioning: "users[0] must be an object"),
        Case(name: "users[0].id missing", changes: [("users", [[:]])], mentioning: "users[0].id is mandatory"),
        Case(
            name: "users[1].id unknown", changes: [("users", [["id": .string(Seeded.user)], ["id": "ghost"]])],
            mentioning: "users[1].id: no user with id ghost"),
        Case(
            name: "users repeated", changes: [("users", [["id": .string(Seeded.user)], ["id": .string(Seeded.user)]])],
            mentioning: "users[1].id repeats users[0].id"),
        // docs L771: "The value of assigned_agent_id is a valid agent.id"
        Case(
            name: "agent unknown", changes: [("assigned_agent_id", "nope")],
            mentioning: "assigned_agent_id: no agent with id nope"),
        Case(
            name: "agent deactivated", changes: [("assigned_agent_id", .string(Seeded.lena))],
            mentioning: "assigned_agent_id: agent \(Seeded.lena) is deactivated"),
        // docs L774: "The value of assigned_group_id is a valid group.id"
        Case(
            name: "group unknown", changes: [("assigned_group_id", "nope")],
            mentioning: "assigned_group_id: no group with id nope"),
        // docs L1466: "Ensure that the agent … belongs to the group to which the conversation is assigned."
        Case(
            name: "agent outside the group",
            changes: [("assigned_agent_id", .string(Seeded.marcus)), ("assigned_group_id", .string(Seeded.billing))],
            mentioning: "assigned_agent_id: agent \(Seeded.marcus) does not belong to group \(Seeded.billing)"),
        // docs L1342: status "Possible values: new, assigned, resolved, reopened"
        Case(name: "status unknown", changes: [("status", "open")], mentioning: "status must be one of"),
        Case(name: "status reopened", changes: [("status", "reopened")], mentioning: "status: only a resolved"),
        Case(
            name: "status assigned alone", changes: [("status", "assigned")],
            mentioning: "assigned_agent_id is mandatory"),
        // docs L791: "The valid values of the properties.priority attribute are Low, Medium, High, and Urgent."
        Case(
            name: "priority unknown", changes: [("properties", ["priority": "Critical"])],
            mentioning: "properties.priority must be one of Low, Medium, High, Urgent"),
        Case(
            name: "priority lower case", changes: [("properties", ["priority": "low"])],
            mentioning: "properties.priority must be one of"),
        Case(name: "priority null", changes: [("properties", ["priority": .null])], mentioning: "properties.priority"),
        Case(
            name: "properties not an object", changes: [("properties", [])], mentioning: "properties must be an object"),
        // docs L789: "The custom conversation properties are identified by the prefix cf_"; they must be configured.
        Case(
            name: "unknown custom property", changes: [("properties", ["cf_colour": "red"])],
            mentioning: "properties.cf_colour is not a conversation property"),
        Case(
            name: "DROPDOWN value not a choice", changes: [("properties", ["cf_type": "Complaint"])],
            mentioning: "properties.cf_type must be one of General Query, Technical Query"),
        Case(
            name: "NUMBER value not a number", changes: [("properties", ["cf_rating": "five"])],
            mentioning: "properties.cf_rating must be a whole number"),
        Case(
            name: "NUMBER value a fraction", changes: [("properties", ["cf_rating": .double(4.5)])],
            mentioning: "properties.cf_rating must be a whole number"),
        Case(
            name: "MULTI_SELECT_DROPDOWN not an array",
            changes: [("properties", ["cf_supported_products": "Freshchat"])],
            mentioning: "properties.cf_supported_products must be an array"),
        Case(
            name: "MULTI_SELECT_DROPDOWN value not a choice",
            changes: [("properties", ["cf_supported_products": ["Freshchat", "Freshping"]])],
            mentioning: "properties.cf_supported_products[1] must be one of"),
    ]

    // docs L28–52: a failed request answers {"code", "status", "message"}; the message names the field.
    @Test(arguments: cases)
    func create_IsRejected(_ invalid: Case) throws {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        guard case .object(var body) = Seeded.createBody(invalid.changes) else { return }
        for key in invalid.removing { body[key] = nil }
        let response = emulator.send(.post, "/v2/conversations", json: .object(body))
        expectError(response, 400, "BAD_REQUEST", mentioning: invalid.mentioning)
        // Nothing was accepted: no job, so nothing appears later.
        #expect(try emulator.advance() == 0)
        #expect(try emulator.emulator.store.read { try $0.scalarInt("SELECT count(*) FROM job") } == 0)
    }

    // docs L1806: required "Specifies whether it is mandatory for the field to have a valid value to resolve a
    // conversation."
    @Test func create_IsRejected_WhenResolvedWithARequiredFieldEmpty() throws {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        try emulator.requireField("cf_type")
        let response = emulator.send(.post, "/v2/conversations", json: Seeded.createBody([("status", "resolved")]))
        expectError(response, 400, "BAD_REQUEST", mentioning: "properties.cf_type must have a value")
        let filled = Seeded.createBody([("status", "resolved"), ("properties", ["cf_type": "Feedback"])])
        #expect(emulator.send(.post, "/v2/conversations", json: filled).code == 202)
    }

    // docs L1261: "The request body parameter should be a valid JSON object of the specified format."
    @Test(arguments: ["", "[1]", "not json", "null"])
    func create_IsRejected_WhenTheBodyIsNotAnObject(_ body: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, "/v2/conversations", body: body), 400, "BAD_REQUEST", mentioning: "body")
    }

    // The docs' values of each property type (L764, L1337): NUMBER as string or number, MULTI_SELECT as an array.
    @Test func create_AcceptsEveryDocumentedPropertyForm() throws {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        for properties: JSONValue in [
            ["cf_rating": "5"], ["cf_rating": 5], ["cf_rating": "-2"], ["cf_supported_products": []],
            ["priority": "Urgent", "cf_type": "Feedback", "cf_supported_products": ["Freshservice"]],
        ] {
            let response = emulator.send(
                .post, "/v2/conversations", json: Seeded.createBody([("properties", properties)]))
            #expect(response.code == 202, "\(properties.serialized()): \(response.text)")
        }
    }
}
