import HTTP
import Testing

@testable import FreshchatEmulator

/// `POST /_emulator/fixtures`: adds what the public API cannot create, in the shapes of seed/, and preloads users and
/// conversations; one transaction, errors naming the item and field.
@Suite struct FixturesTests {
    typealias Harness = ControlPlaneTests.Harness

    static let channel = "71df7c11-df1e-4365-80e3-75a434c9caf0"
    static let agent = "1ad50c45-050b-4702-9300-478ddcf23c65"
    static let group = "e769cd13-0cd3-4d64-81ac-32657642a24d"

    @discardableResult
    private func add(_ h: Harness, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = h.send(.post, "/_emulator/fixtures", body: body)
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
        return response.json["added"] ?? .null
    }

    @Test func fixtures_AddGroupsRolesAgentsAndChannels_SeenThroughTheAPI() throws {
        let h = try Harness()
        let added = add(
            h,
            """
            {"groups": {"groups": [{"id": "g-night", "name": "Night shift", "description": "After hours",
                                    "routing_type": "DISABLED", "routing_logic": "ROUND_ROBIN"}]},
             "roles": [{"id": "r-lead", "name": "Team lead", "is_custom_role": true, "description": "Leads"}],
             "agents": [{"id": "a-owl", "email": "owl@example.com", "first_name": "Night", "last_name": "Owl",
                         "role_id": "r-lead", "groups": ["g-night"], "availability_status": "AVAILABLE"}],
             "channels": [{"id": "ch-fr", "name": "Assistance", "enabled": true, "public": true, "tags": [],
                           "locale": "fr", "icon": {}}]}
            """)
        #expect(added["groups"] == ["g-night"])
        #expect(added["agents"] == ["a-owl"])
        let agent = h.send(.get, "/v2/agents/a-owl")
        #expect(agent.code == 200, "\(agent.text)")
        #expect(agent.json["email"] == "owl@example.com")
        #expect(agent.json["created_time"] == "2024-01-15T10:00:00.000Z", "created now when not given")
        let groups = h.send(.get, "/v2/groups?items_per_page=100").json["groups"]?.arrayValue ?? []
        #expect(groups.last?["id"] == "g-night", "configured order continues after the seeded groups")
        #expect(h.send(.get, "/v2/agents?groups=g-night").json["agents"]?.arrayValue?.count == 1)
        let french = h.send(.get, "/v2/channels?locale=fr").json["channels"]?.arrayValue ?? []
        #expect(french.map { $0["id"] } == ["ch-fr"])
        let roles = h.send(.get, "/v2/roles?items_per_page=100").json["roles"]?.arrayValue ?? []
        #expect(roles.last?["id"] == "r-lead")
    }

    @Test func fixtures_AddStatusesFieldsTemplatesAndBusinessHours() throws {
        let h = try Harness()
        let added = add(
            h,
            """
            {"groups": [{"id": "g-closed", "name": "Closed"}],
             "agent_statuses": {"states": [{"name": "Training"}]},
             "conversation_properties": [{"id": "p-tier", "name": "cf_tier", "label": "Tier", "type": "TEXT",
                                          "custom": true, "editable": true, "position": 200, "required": false}],
             "whatsapp_templates": {"business_phone_numbers": [{"phone_number": "+15550001111"}],
                                    "templates": [{"template_name": "reminder", "namespace": "ns_1",
                                                   "language_code": "en", "status": "APPROVED",
                                                   "header": null, "body": {"text": "Hi", "params_count": 0},
                                                   "button": null}]},
             "business_hours": [{"group_id": "g-closed", "timezone": "UTC", "working_hours": []}]}
            """)
        let statusID = try #require(added["agent_statuses"]?.arrayValue?.first?.stringValue)
        let states = h.send(.get, "/v2/agents/status").json["states"]?.arrayValue ?? []
        #expect(states.last?["id"] == .string(statusID))
        #expect(states.last?["name"] == "Training")
        let fields = h.send(.get, "/v2/conversations/fields").json.arrayValue ?? []
        #expect(fields.contains { $0["name"] == "cf_tier" })
        #expect(added["whatsapp_templates"] == ["reminder/en"])
        #expect(added["whatsapp_templates.business_phone_numbers"] == ["+15550001111"])
        #expect(added["business_hours"] == ["g-closed"])
        let within = h.send(.get, "/v2/business-hours/within-bh?group_id=g-closed")
        #expect(within.json["with_in_business_hours"] == false, "\(within.text)")
        let count = try h.base.emulator.store.read { db in
            try db.scalarInt("SELECT count(*) FROM whatsapp_template WHERE template_name = 'reminder'")
        }
        #expect(count == 1)
    }

    @Test func badBatch_ChangesNothing_AndNamesTheItemAndField() throws {
        let h = try Harness()
        let body = """
            {"groups": [{"id": "g-new", "name": "New"}],
             "agents": [{"id": "a-1", "email": "one@example.com"}, {"id": "a-2", "first_name": "No email"}]}
            """
        expectError(h.send(.post, "/_emulator/fixtures", body: body), 400, "BAD_REQUEST", mentioning: "agents[1].email")
        #expect(h.send(.get, "/v2/agents/a-1").code == 404)
        let groups = h.send(.get, "/v2/groups?items_per_page=100").json["groups"]?.arrayValue ?? []
        #expect(!groups.contains { $0["id"] == "g-new" })
    }

    @Test(arguments: [
        (#"{"agents": [{"email": "x@example.com", "groups": ["nope"]}]}"#, "agents[0].groups[0]"),
        (#"{"agents": [{"email": "x@example.com", "role_id": "nope"}]}"#, "agents[0].role_id"),
        (#"{"agents": [{"id": "1ad50c45-050b-4702-9300-478ddcf23c65", "email": "x@example.com"}]}"#, "agents[0]"),
        (#"{"agent_statuses": [{"id": "s"}]}"#, "agent_statuses.states[0].name"),
        (#"{"business_hours": [{"group_id": "nope", "working_hours": []}]}"#, "business_hours[0].group_id"),
        (#"{"groups": [7]}"#, "groups[0]"), (#"{"groups": {"teams": []}}"#, "groups.teams"),
        (#"{"agentz": []}"#, "agentz"), (#"{}"#, "at least one"), (#"{"users": 3}"#, "users"),
    ])
    func fixtures_AreRejected_NamingTheItem(body: String, mentioning: String) throws {
        let h = try Harness()
        expectError(h.send(.post, "/_emulator/fixtures", body: body), 400, "BAD_REQUEST", mentioning: mentioning)
    }

    @Test func fixtures_PreloadUsersAndConversationsWithMessages() throws {
        let h = try Harness()
        let added = add(
            h,
            """
            {"users": [{"id": "u-ada", "email": "ada@example.com", "first_name": "Ada",
                        "created_time": "2024-01-10T09:00:00.000Z"},
                       {"first_name": "Generated"}],
             "conversations": {"conversations": [
                {"conversation_id": "c-1", "channel_id": "\(Self.channel)", "status": "resolved",
                 "assigned_group_id": "\(Self.group)", "assigned_agent_id": "\(Self.agent)",
                 "users": [{"id": "u-ada"}], "created_time": "2024-01-10T09:05:00.000Z",
                 "messages": [
                    {"message_parts": [{"text": {"content": "Hello"}}], "actor_type": "user", "actor_id": "u-ada"},
                    {"id": "m-2", "message_parts": [{"text": {"content": "Hi Ada"}}], "actor_type": "agent",
                     "actor_id": "\(Self.agent)", "created_time": "2024-01-10T09:06:00.000Z"}]}]}}
            """)
        #expect(added["users"]?.arrayValue?.count == 2)
        #expect(added["conversations"] == ["c-1"])
        let user = h.send(.get, "/v2/users/u-ada").json
        #expect(user["created_time"] == "2024-01-10T09:00:00.000Z")
        #expect(user["restore_id"] != nil)
        let conversation = h.send(.get, "/v2/conversations/c-1")
        #expect(conversation.code == 200, "\(conversation.text)")
        #expect(conversation.json["status"] == "resolved")
        #expect(conversation.json["assigned_agent_id"] == .string(Self.agent))
        #expect(conversation.json["properties"] == ["priority": "Low"])
        #expect(conversation.json["updated_time"] == "2024-01-10T09:06:00.000Z", "the last message's time")
        let messages = h.send(.get, "/v2/conversations/c-1/messages").json["messages"]?.arrayValue ?? []
        #expect(messages.map { $0["created_time"] } == ["2024-01-10T09:06:00.000Z", "2024-01-10T09:05:00.000Z"])
        #expect(messages.first?["id"] == "m-2")
        #expect(h.send(.get, "/v2/users/u-ada/conversations").json["conversations"] == [["id": "c-1"]])
        let kinds = try h.base.emulator.store.read { db in try db.events(conversationID: "c-1").map(\.kind) }
        #expect(
            kinds == [
                .conversationCreated, .messageSent, .messageSent, .groupAssigned, .agentAssigned, .conversationResolved,
            ])
    }

    @Test(arguments: [
        (
            #"{"users": [{"id": "u1"}], "conversations": [{"channel_id": "CH", "users": [{"id": "u2"}], "messages": [M]}]}"#,
            "conversations[0].users[0].id"
        ),
        (
            #"{"conversations": [{"channel_id": "nope", "users": [{"id": "u"}], "messages": [M]}]}"#,
            "conversations[0].channel_id"
        ),
        (
            #"{"users": [{"id": "u"}], "conversations": [{"channel_id": "CH", "users": [{"id": "u"}], "messages": []}]}"#,
            "conversations[0].messages"
        ),
        (#"{"users": [{"email": 5}]}"#, "users[0].email"),
        (#"{"users": [{"id": "u", "created_time": "yesterday"}]}"#, "users[0].created_time"),
    ])
    func conversationFixtures_AreRejected_NamingTheItem_AndAddNothing(template: String, mentioning: String) throws {
        let h = try Harness()
        let message = #"{"message_parts": [{"text": {"content": "x"}}], "actor_type": "system"}"#
        let body = template.replacing("CH", with: Self.channel).replacing("[M]", with: "[\(message)]")
        expectError(h.send(.post, "/_emulator/fixtures", body: body), 400, "BAD_REQUEST", mentioning: mentioning)
        #expect(h.send(.get, "/v2/users/u1").code == 404)
        #expect(h.send(.get, "/v2/users/u").code == 404)
    }
}
