import HTTP
import Testing

@testable import FreshchatEmulator

/// The Agents section (docs L1816–2366): create and retrieve. Listing, update, statuses and delete are the nested
/// suites `List`, `Update`, `Status` and `Delete`.
@Suite struct AgentsTests {
    /// docs L1874–1927: the attributes of the agent object, in the table's order.
    static let attributes = [
        "id", "created_time", "agent_capacity", "agent_status", "availability_status", "avatar", "biography", "email",
        "first_name", "freshid_group_ids", "freshid_uuid", "groups", "is_deactivated", "is_deleted", "last_name",
        "license_type", "locale", "login_status", "org_contact_id", "phone", "role_id", "role_name", "routing_type",
        "scope", "skill_id", "social_profiles", "timezone",
    ]

    // MARK: - Create an agent

    // docs L2137: "A successful request returns 201 Created along with the created agent object." The object has every
    // attribute of the table (L1874–1927), each with its documented JSON type.
    @Test func create_Returns201_WithEveryAttribute_InTheTableOrder() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.post, "/v2/agents", body: Seeded.alice.serialized())
        #expect(response.code == 201, "\(response.text)")
        #expect(response.headers["Content-Type"] == "application/json")
        let agent = response.json
        #expect(agent.objectValue?.keys == Self.attributes)
        // docs L1874/L1875: generated from the emulator's ids and clock.
        #expect(agent["id"] == "00000000-0000-4000-8000-000000000001")
        #expect(agent["created_time"] == "2024-01-15T10:00:00.000Z")
        #expect(agent["agent_capacity"]?.intValue == 0)
        #expect(agent["agent_status"] == ["name": "Active on Intelli Assign"])
        #expect(agent["avatar"] == ["url": "https://web.freshchat.com/img/johndoe.png"])
        #expect(agent["biography"] == "Hi, I am your Technical Support Engineer.")
        #expect(agent["email"] == "alice.adrian@email.com")
        #expect(agent["first_name"] == "Alice")
        #expect(agent["freshid_group_ids"] == [])
        #expect(agent["groups"] == [.string(Seeded.billing)])
        #expect(agent["last_name"] == "Adian")
        #expect(agent["license_type"] == "FULLTIME")
        #expect(agent["locale"] == "en-us")
        #expect(agent["org_contact_id"] == "138763287863827323")
        #expect(agent["phone"] == "123456789")
        #expect(agent["role_id"] == "AGENT")
        #expect(agent["role_name"] == "Agent")
        #expect(agent["routing_type"] == "INTELLIASSIGN")
        #expect(agent["scope"] == "Group")
        #expect(agent["skill_id"] == "44bb89c8-0aa3-4f83-a07c-d75e909f253d")
        #expect(agent["social_profiles"] == [["type": "facebook", "id": "alice.adrian"]])
        #expect(agent["timezone"] == "Asia/Kolkata")
    }

    // docs L1884: availability_status "Default value: AVAILABLE"; L1894–1902: is_deactivated, is_deleted and
    // login_status are booleans; an agent without a role has scope None (L1919: "Agent has not been assigned any
    // role."). Strings not given are "" (as L1870's "freshid_uuid": ""), the avatar {} (as L2042).
    @Test func create_AppliesTheDocumentedDefaults_WhenOnlyEmailIsGiven() throws {
        let emulator = try TestEmulator()
        let agent = emulator.createAgent(["email": "bare@example.com"])
        #expect(agent.objectValue?.keys == Self.attributes)
        #expect(agent["availability_status"] == "AVAILABLE")
        #expect(agent["agent_status"] == ["name": "Active on Intelli Assign"])
        #expect(agent["is_deactivated"] == false)
        #expect(agent["is_deleted"] == false)
        #expect(agent["login_status"] == false)
        #expect(agent["avatar"] == [:])
        #expect(agent["groups"] == [] && agent["social_profiles"] == [] && agent["freshid_group_ids"] == [])
        #expect(agent["role_id"] == "" && agent["role_name"] == "")
        #expect(agent["scope"] == "None")
        for key in ["biography", "first_name", "freshid_uuid", "last_name", "license_type", "locale", "org_contact_id"]
        {
            #expect(agent[key] == "", "\(key)")
        }
        for key in ["phone", "skill_id", "timezone"] { #expect(agent[key] == "", "\(key)") }
    }

    // docs L2137: "In further API calls, the id that is returned can be used to … retrieve information."
    @Test func create_Persists_TheSameObjectRetrieveReturns() throws {
        let emulator = try TestEmulator()
        let created = emulator.createAgent(Seeded.alice)
        let retrieved = emulator.agent(created["id"]?.stringValue ?? "")
        #expect(retrieved == created)
        #expect(retrieved?.objectValue?.keys == Self.attributes)
    }

    // docs L1906: role_name is the "Meaningful identifier of the agent’s role" — it follows role_id, whatever name
    // the request sends; scope follows the role (L1914: "scope values depend on the role associated with the agent").
    @Test(arguments: [
        ("AGENT", "Agent", "Group"), ("ADMIN", "Admin", "Global"), ("ACCOUNT_ADMIN", "Account Admin", "Global"),
        (Seeded.internalAgentRole, "Internal agent", "Group"),
    ])
    func create_TakesRoleNameAndScope_FromTheRole(roleID: String, name: String, scope: String) throws {
        let emulator = try TestEmulator()
        let agent = emulator.createAgent(["email": "r@example.com", "role_id": .string(roleID), "role_name": "Admin"])
        #expect(agent["role_id"] == .string(roleID))
        #expect(agent["role_name"] == .string(name))
        #expect(agent["scope"] == .string(scope))
    }

    // docs L1883: "Possible values: AVAILABLE, UNAVAILABLE"; an agent created UNAVAILABLE is inactive on its routing.
    @Test func create_Unavailable_IsInactiveOnIntelliAssign() throws {
        let emulator = try TestEmulator()
        let agent = emulator.createAgent(["email": "u@example.com", "availability_status": "UNAVAILABLE"])
        #expect(agent["availability_status"] == "UNAVAILABLE")
        #expect(agent["agent_status"] == ["name": "Inactive on Intelli Assign"])
    }

    // docs L2114–2134 lists what a client sets; the system's attributes (L1874–1903) are ignored when sent.
    @Test func create_IgnoresTheSystemsAttributes() throws {
        let emulator = try TestEmulator()
        let agent = emulator.createAgent([
            "email": "sys@example.com", "id": "mine", "created_time": "2020-01-01T00:00:00.000Z", "is_deleted": true,
            "is_deactivated": true, "login_status": true, "agent_capacity": 9, "scope": "Global",
            "agent_status": ["id": .string(Seeded.brb), "name": "BRB"], "freshid_uuid": "x", "routing_type": "OCR",
        ])
        #expect(agent["id"] == "00000000-0000-4000-8000-000000000001")
        #expect(agent["created_time"] == "2024-01-15T10:00:00.000Z")
        #expect(agent["is_deleted"] == false && agent["is_deactivated"] == false && agent["login_status"] == false)
        #expect(agent["agent_capacity"]?.intValue == 0)
        #expect(agent["scope"] == "None" && agent["freshid_uuid"] == "" && agent["routing_type"] == "INTELLIASSIGN")
        #expect(agent["agent_status"] == ["name": "Active on Intelli Assign"])
    }

    // docs L2120: "emailMandatory string Email address of the agent."
    @Test(arguments: [
        (#"{}"#, "email is mandatory"), (#"{"email":null}"#, "email is mandatory"),
        (#"{"email":7}"#, "email must be a string, not number"),
        (#"{"email":""}"#, "email must be an email address"), (#"{"email":"alice"}"#, "email must be an email address"),
        (#"{"email":"a@b@c"}"#, "email must be an email address"),
        (#"{"email":"al ice@x.com"}"#, "email must be an email address"),
        (#"{"email":"@x.com"}"#, "email must be an email address"),
        (#"{"email":"a@"}"#, "email must be an email address"),
    ])
    func create_IsRejected_WhenEmailIsMissingOrInvalid(body: String, message: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, "/v2/agents", body: body), 400, "BAD_REQUEST", mentioning: message)
        #expect(try emulator.agentRowCounts().agents == 6, "nothing stored")
    }

    // Emulator decision: an agent's email is unique among agents, ignoring case (the `agent.email` column is
    // COLLATE NOCASE); 400 because the docs list no 409 (L14–22).
    @Test(arguments: ["priya.raman@example.com", "PRIYA.RAMAN@example.com", "Priya.Raman@Example.Com"])
    func create_IsRejected_WhenEmailIsTaken_IgnoringCase(email: String) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.post, "/v2/agents", body: #"{"email":"\#(email)"}"#)
        expectError(response, 400, "BAD_REQUEST", mentioning: "email: an agent with email \(email) already exists")
        #expect(try emulator.agentRowCounts().agents == 6)
    }

    // The email stays unique for agents created through the API too, and a near miss is another email.
    @Test func create_IsRejected_WhenEmailRepeatsACreatedAgent() throws {
        let emulator = try TestEmulator()
        emulator.createAgent(["email": "Alice@Example.com"])
        expectError(
            emulator.send(.post, "/v2/agents", body: #"{"email":"alice@example.COM"}"#), 400, "BAD_REQUEST",
            mentioning: "email")
        emulator.createAgent(["email": "alice@example.co"])
    }

    // docs L2126: "role_id string System-generated identifier of the role assigned to the agent." — a role that
    // exists (L1907's "Super user" has no documented id and is not seeded).
    @Test(arguments: ["SUPER_USER", "agent", "", "8bee5c99"])
    func create_IsRejected_WhenRoleIsMissing(roleID: String) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.post, "/v2/agents", body: #"{"email":"r@x.com","role_id":"\#(roleID)"}"#)
        expectError(response, 400, "BAD_REQUEST", mentioning: "role_id: no role with id '\(roleID)'")
        #expect(try emulator.agentRowCounts().agents == 6)
    }

    // docs L2122: "groups array of strings Identifiers of the groups to which the agent belongs" — each must exist;
    // the one missing among existing ones is named by its index, and nothing is stored.
    @Test func create_IsRejected_WhenExactlyOneGroupIsMissing() throws {
        let emulator = try TestEmulator()
        let body: JSONValue = [
            "email": "g@x.com",
            "groups": [.string(Seeded.billing), "a9a02944-cadd-454f-91a4-2165f37a2737", .string(Seeded.sales)],
        ]
        expectError(
            emulator.send(.post, "/v2/agents", body: body.serialized()), 400, "BAD_REQUEST",
            mentioning: "groups[1]: no group with id a9a02944-cadd-454f-91a4-2165f37a2737")
        #expect(try emulator.agentRowCounts() == (6, 7))
        let fine = emulator.createAgent([
            "email": "g@x.com", "groups": [.string(Seeded.billing), .string(Seeded.sales)],
        ])
        #expect(fine["groups"] == [.string(Seeded.billing), .string(Seeded.sales)])
        #expect(try emulator.agentRowCounts() == (7, 9))
    }

    // Emulator decision: a group listed twice is refused, naming both places (as conversation users, docs L794).
    @Test func create_IsRejected_WhenAGroupRepeats() throws {
        let emulator = try TestEmulator()
        let body: JSONValue = [
            "email": "g@x.com", "groups": [.string(Seeded.sales), .string(Seeded.billing), .string(Seeded.sales)],
        ]
        expectError(
            emulator.send(.post, "/v2/agents", body: body.serialized()), 400, "BAD_REQUEST",
            mentioning: "groups[2] repeats groups[0]")
    }

    // docs L2132–2133: social_profiles "type (string): Name of the social media platform. Possible values: facebook,
    // twitter, skype, linkedin" — the value, exactly; the error names the member by its dotted path.
    @Test(arguments: ["Facebook", "instagram", "", "linked_in"])
    func create_IsRejected_WhenASocialProfileTypeIsUnknown(type: String) throws {
        let emulator = try TestEmulator()
        let body: JSONValue = [
            "email": "s@x.com",
            "social_profiles": [["type": "twitter", "id": "ok"], ["type": .string(type), "id": "x"]],
        ]
        expectError(
            emulator.send(.post, "/v2/agents", body: body.serialized()), 400, "BAD_REQUEST",
            mentioning: "social_profiles[1].type must be one of facebook, twitter, skype, linkedin, not '\(type)'")
    }

    // docs L2129–2134: every social media platform of the list is accepted.
    @Test(arguments: Agent.socialProfileTypes)
    func create_Accepts_EachSocialProfileType(type: String) throws {
        let emulator = try TestEmulator()
        let agent = emulator.createAgent([
            "email": "s@x.com", "social_profiles": [["id": "handle", "type": .string(type)]],
        ])
        #expect(agent["social_profiles"] == [["type": .string(type), "id": "handle"]])
    }

    // docs L2114–2134: each attribute has its data type; a member of another type is a 400 naming it by its path.
    @Test(arguments: [
        (#"{"first_name":1}"#, "first_name must be a string, not number"),
        (#"{"last_name":true}"#, "last_name must be a string, not boolean"),
        (#"{"biography":[]}"#, "biography must be a string, not array"),
        (#"{"locale":{}}"#, "locale must be a string, not object"),
        (#"{"phone":123456789}"#, "phone must be a string, not number"),
        (#"{"role_id":1}"#, "role_id must be a string, not number"),
        (#"{"role_name":1}"#, "role_name must be a string, not number"),
        (#"{"skill_id":0}"#, "skill_id must be a string, not number"),
        (#"{"timezone":5.5}"#, "timezone must be a string, not number"),
        (#"{"license_type":1}"#, "license_type must be a string, not number"),
        (#"{"org_contact_id":138763287863827323}"#, "org_contact_id must be a string, not number"),
        (#"{"avatar":"https://x/y.png"}"#, "avatar must be an object, not string"),
        (#"{"avatar":{"url":1}}"#, "avatar.url must be a string, not number"),
        (#"{"groups":"e769cd13"}"#, "groups must be an array, not string"),
        (#"{"groups":[null]}"#, "groups[0] must be a string, not null"),
        (#"{"social_profiles":{}}"#, "social_profiles must be an array, not object"),
        (#"{"social_profiles":["facebook"]}"#, "social_profiles[0] must be an object, not string"),
        (#"{"social_profiles":[{"id":"x"}]}"#, "social_profiles[0].type is mandatory"),
        (#"{"social_profiles":[{"type":"skype"}]}"#, "social_profiles[0].id is mandatory"),
        (#"{"social_profiles":[{"type":"skype","id":7}]}"#, "social_profiles[0].id must be a string, not number"),
        (#"{"availability_status":"available"}"#, "availability_status must be AVAILABLE or UNAVAILABLE"),
        (#"{"availability_status":true}"#, "availability_status must be a string, not boolean"),
    ])
    func create_IsRejected_WhenAMemberHasTheWrongType(member: String, message: String) throws {
        let emulator = try TestEmulator()
        let body = #"{"email":"t@x.com","# + member.dropFirst()
        expectError(emulator.send(.post, "/v2/agents", body: body), 400, "BAD_REQUEST", mentioning: message)
        #expect(try emulator.agentRowCounts().agents == 6)
    }

    // A body that is not a JSON object names the problem.
    @Test(arguments: ["", "[]", "{", #""email""#])
    func create_IsRejected_WhenTheBodyIsNotAnObject(body: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, "/v2/agents", body: body), 400, "BAD_REQUEST", mentioning: "body")
    }

    // MARK: - Retrieve agent information

    // docs L2157: "A successful request returns 200 OK along with the retrieved agent object." — the seeded agent of
    // the docs' object example (L1870) as the seed holds it.
    @Test func retrieve_ReturnsTheSeededAgent_AsSeeded() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/agents/\(Seeded.sofia)")
        #expect(response.code == 200)
        #expect(response.json == (try Seeded.seededAgent(Seeded.sofia)))
        #expect(response.json.objectValue?.keys == Self.attributes)
        // docs L2336: a custom status has its id.
        #expect(
            emulator.agent(Seeded.marcus)?["agent_status"] == [
                "id": .string(Seeded.inAMeeting), "name": "In a meeting",
            ])
    }

    // docs L46: { "code":404, "status":"AGENT_NOT_FOUND", "message":"agent not found" }
    @Test(arguments: ["nope", "1AB37A05-7B3E-42EE-BCBE-283FD093408C", "1ab37a05-7b3e-42ee-bcbe-283fd093408"])
    func retrieve_Returns404_InTheDocsShape(id: String) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/agents/\(id)")
        #expect(response.code == 404)
        #expect(response.text == #"{"code":404,"status":"AGENT_NOT_FOUND","message":"agent not found"}"#)
    }
}
