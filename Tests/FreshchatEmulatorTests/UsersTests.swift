import HTTP
import Testing

@testable import FreshchatEmulator

/// The Users section (docs L205–699): create, retrieve and fetch. Listing, update and delete are the
/// nested suites `List`, `Update` and `Delete`.
@Suite struct UsersTests {
    /// The create request of docs L556.
    static let milton: JSONValue = [
        "avatar": ["url": "https://web.freshchat.com/img/johndoe.png"], "email": "milton.doe@mail.com",
        "first_name": "Milton", "last_name": "Doe", "phone": "235689714",
        "properties": [["name": "orderId", "value": "#1242"]], "reference_id": "milton@doe",
    ]

    // MARK: - Create a user

    // docs L574: "A successful request returns 201 Created along with the created user object. The object
    // contains the id, created_at, updated_at, and restore_id attributes."
    @Test func create_Returns201_WithTheUserObject_InTheDocsOrder() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.post, "/v2/users", body: Self.milton.serialized())
        #expect(response.code == 201)
        #expect(response.headers["Content-Type"] == "application/json")
        let user = response.json
        // docs L248: the user object's attribute order (org_contact_id is absent: it was not sent).
        #expect(
            user.objectValue?.keys == [
                "id", "created_time", "updated_time", "avatar", "email", "first_name", "last_name", "login_status",
                "phone", "properties", "reference_id", "restore_id",
            ])
        #expect(isUUID(user["id"]?.stringValue))
        #expect(isUUID(user["restore_id"]?.stringValue))
        #expect(user["restore_id"] != user["id"])
        #expect(user["created_time"] == "2024-01-15T10:00:00.000Z")
        #expect(user["updated_time"] == "2024-01-15T10:00:00.000Z")
        #expect(user["avatar"] == ["url": "https://web.freshchat.com/img/johndoe.png"])
        #expect(user["email"] == "milton.doe@mail.com")
        #expect(user["first_name"] == "Milton")
        #expect(user["last_name"] == "Doe")
        // docs L248: "login_status": false
        #expect(user["login_status"] == false)
        #expect(user["phone"] == "235689714")
        #expect(user["properties"] == [["name": "orderId", "value": "#1242"]])
        #expect(user["reference_id"] == "milton@doe")
    }

    // docs L574: "In further API calls, the id that is returned can be used to … retrieve further information."
    @Test func create_Persists_TheSameObjectRetrieveReturns() throws {
        let emulator = try TestEmulator()
        let created = emulator.createUser(Self.milton)
        let response = emulator.send(.get, "/v2/users/\(created["id"]?.stringValue ?? "")")
        #expect(response.code == 200)
        #expect(response.json == created)
        #expect(response.json.objectValue?.keys == created.objectValue?.keys)
    }

    // docs L485: a user without restore_id omits it; docs L410: "avatar": {} for a user without one.
    @Test func create_OmitsAbsentStrings_AndReturnsEmptyAvatarAndProperties() throws {
        let emulator = try TestEmulator()
        for body: JSONValue in [[:], ["email": .null, "first_name": .null, "avatar": .null, "properties": .null]] {
            let user = emulator.createUser(body)
            #expect(
                user.objectValue?.keys == [
                    "id", "created_time", "updated_time", "avatar", "login_status", "properties", "restore_id",
                ])
            #expect(user["avatar"] == [:])
            #expect(user["properties"] == [])
        }
        #expect(emulator.createUser(["avatar": [:]])["avatar"] == [:])
    }

    // docs L263: "org_contact_id string Organization-level identifier of the user."
    @Test func create_KeepsOrgContactID_WhenSent() throws {
        let emulator = try TestEmulator()
        let user = emulator.createUser(["org_contact_id": "abcd12345", "email": "a@x.com"])
        #expect(user["org_contact_id"] == "abcd12345")
        #expect(user.objectValue?.keys.firstIndex(of: "org_contact_id") == 6)
    }

    // docs L252, L261, L270: id, login_status and restore_id are the system's; other members are not in the
    // create table (L558–571) and are ignored.
    @Test func create_IgnoresSystemAndUnknownAttributes() throws {
        let emulator = try TestEmulator()
        let user = emulator.createUser([
            "id": "mine", "created_time": "2000-01-01T00:00:00.000Z", "login_status": true, "restore_id": "r",
            "social_profiles": [["type": "facebook", "id": "x"]], "avatar": ["url": "u", "size": 5], "extra": 1,
        ])
        #expect(user["id"] != "mine")
        #expect(user["created_time"] == "2024-01-15T10:00:00.000Z")
        #expect(user["login_status"] == false)
        #expect(user["restore_id"] != "r")
        #expect(user["avatar"] == ["url": "u"])
        #expect(user["social_profiles"] == nil)
        #expect(user["extra"] == nil)
    }

    // docs L563–571: email, first_name, last_name, phone and reference_id are strings.
    @Test(arguments: ["email", "first_name", "last_name", "phone", "reference_id", "org_contact_id"])
    func create_Rejects_NonStringAttribute(field: String) throws {
        let emulator = try TestEmulator()
        for value: JSONValue in [5, true, ["a"], ["k": "v"]] {
            let response = emulator.send(.post, "/v2/users", body: JSONValue.object([field: value]).serialized())
            expectError(response, 400, "BAD_REQUEST", mentioning: "\(field) must be a string")
        }
        #expect(try emulator.emulator.store.read { try $0.scalarInt("SELECT count(*) FROM user") } == 0)
    }

    // docs L560–562: "avatar object … url (string): Link from which the image is fetched."
    @Test func create_Rejects_NonObjectAvatar() throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.send(.post, "/v2/users", body: #"{"avatar":"https://x/y.png"}"#), 400, "BAD_REQUEST",
            mentioning: "avatar must be an object")
    }

    // docs L562: "url (string)"
    @Test func create_Rejects_NonStringAvatarURL() throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.send(.post, "/v2/users", body: #"{"avatar":{"url":42}}"#), 400, "BAD_REQUEST",
            mentioning: "avatar.url must be a string")
    }

    // docs L567–570: "properties array of objects … name (string): Name of the custom property. value (string)".
    @Test(arguments: [
        (#"{"properties":{"name":"a","value":"b"}}"#, "properties must be an array"),
        (#"{"properties":[{"name":"a","value":"b"},"x"]}"#, "properties[1] must be an object"),
        (#"{"properties":[{"value":"b"}]}"#, "properties[0].name is mandatory"),
        (#"{"properties":[{"name":null,"value":"b"}]}"#, "properties[0].name is mandatory"),
        (#"{"properties":[{"name":"","value":"b"}]}"#, "properties[0].name must not be empty"),
        (#"{"properties":[{"name":7,"value":"b"}]}"#, "properties[0].name must be a string"),
        (
            #"{"properties":[{"name":"a","value":"b"},{"name":"siteId","value":213123}]}"#,
            "properties[1].value must be a string"
        ),
    ])
    func create_Rejects_MalformedProperties(body: String, message: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, "/v2/users", body: body), 400, "BAD_REQUEST", mentioning: message)
    }

    // docs L265: properties keep their order; a property without a value is kept by name.
    @Test func create_KeepsProperties_InOrder() throws {
        let emulator = try TestEmulator()
        let properties: JSONValue = [
            ["name": "fc_user_timezone", "value": "Asia/Calcutta"], ["name": "siteId", "value": "213123"],
            ["name": "flag"],
        ]
        let user = emulator.createUser(["properties": properties])
        #expect(user["properties"] == properties)
        #expect(emulator.user(user["id"]?.stringValue ?? "")?["properties"] == properties)
    }

    // docs L510: "The request body parameter should be a valid JSON object of the specified format."
    @Test(arguments: ["", "not json", "[]", "\"user\"", "{\"email\":"])
    func create_Rejects_BodyThatIsNotAJSONObject(body: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, "/v2/users", body: body), 400, "BAD_REQUEST", mentioning: "body")
    }

    // ARCHITECTURE.md: "Everything the reports and metrics say comes from the EventLog"; events hold ids only.
    @Test func create_AppendsUserCreatedEvent_WithIdsOnly() throws {
        let emulator = try TestEmulator()
        let id = emulator.createUserID(Self.milton)
        let events = try emulator.emulator.store.read { try $0.events() }
        #expect(events.map(\.kind) == [.userCreated])
        #expect(events.first?.userID == id)
        #expect(events.first?.time == TestEmulator.start)
        #expect(events.first?.data == JSONObject())
    }

    // MARK: - Retrieve user information

    // docs L46: { "code":404, "status":"AGENT_NOT_FOUND", "message":"agent not found" } — the user's 404.
    @Test func retrieve_Returns404_ForAnUnknownUser() throws {
        let emulator = try TestEmulator()
        emulator.createUser(Self.milton)
        let response = emulator.send(.get, "/v2/users/2deb2a22-703e-4f1d-8527-7bd123c84fd4")
        expectError(response, 404, "USER_NOT_FOUND", mentioning: "user not found")
    }

    // MARK: - List a subset of users

    // docs L415: "Identifies users by the user.ids specified in the request body and retrieves the users’
    // details, as an array of user objects."
    @Test func fetch_ReturnsTheUsersThatExist_InTheOrderAsked_EachOnce() throws {
        let emulator = try TestEmulator()
        let a = emulator.createUserID(["first_name": "A"])
        let b = emulator.createUserID(["first_name": "B"])
        let c = emulator.createUserID(["first_name": "C"])
        let body: JSONValue = ["ids": [.string(c), "unknown", .string(a), .string(c)]]
        let response = emulator.send(.post, "/v2/users/fetch", body: body.serialized())
        #expect(response.code == 200)
        #expect(response.json.objectValue?.keys == ["users"])
        #expect(response.json.users() == [c, a])
        #expect(response.json["users"]?.arrayValue?.first == emulator.user(c))
        #expect(!response.json.users().contains(b))
    }

    @Test func fetch_ReturnsNoUsers_ForAnEmptyList() throws {
        let emulator = try TestEmulator()
        emulator.createUser()
        let response = emulator.send(.post, "/v2/users/fetch", body: #"{"ids":[]}"#)
        #expect(response.code == 200)
        #expect(response.json == ["users": []])
    }

    // docs L447: "ids array of strings Identifiers of the user objects that must be retrieved."
    @Test(arguments: [
        (#"{}"#, "ids is mandatory"), (#"{"ids":null}"#, "ids is mandatory"),
        (#"{"ids":"a"}"#, "ids must be an array"), (#"{"ids":["a",7]}"#, "ids[1] must be a string"),
        (#"{"ids":[{"id":"a"}]}"#, "ids[0] must be a string"),
    ])
    func fetch_Rejects_MalformedIDs(body: String, message: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, "/v2/users/fetch", body: body), 400, "BAD_REQUEST", mentioning: message)
    }

    // docs L417: "A maximum of 100 user’s details can be retrieved using this API."
    @Test func fetch_Accepts100IDs_AndRejects101() throws {
        let emulator = try TestEmulator()
        let id = emulator.createUserID()
        let ids = [id] + (1..<100).map { "missing-\($0)" }
        let hundred = emulator.send(
            .post, "/v2/users/fetch", body: JSONValue.object(["ids": .array(ids.map { .string($0) })]).serialized())
        #expect(hundred.code == 200)
        #expect(hundred.json.users() == [id])
        let body = JSONValue.object(["ids": .array((ids + ["one-more"]).map { .string($0) })]).serialized()
        expectError(
            emulator.send(.post, "/v2/users/fetch", body: body), 400, "BAD_REQUEST",
            mentioning: "ids must hold at most 100 ids, not 101")
    }

    @Test func fetch_Rejects_BodyThatIsNotAJSONObject() throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, "/v2/users/fetch", body: #"["a"]"#), 400, "BAD_REQUEST")
        expectError(emulator.send(.post, "/v2/users/fetch"), 400, "BAD_REQUEST", mentioning: "body")
    }
}
