import HTTP
import Testing

@testable import FreshchatEmulator

extension UsersTests {
    /// Update user information (docs L576–616) and Retrieve all conversations for a user (docs L618–659).
    @Suite struct Update {
        static let changes: JSONValue = [
            "email": "milton.new@mail.com", "first_name": "Milt", "last_name": "Dough", "phone": "1234567890",
        ]

        // docs L616: "A successful request returns 202 Accepted. You can use the Retrieve user information API to
        // retrieve and view the updated values." The change lands when the async delay (1 s) has passed.
        @Test func update_Returns202_AndApplies_AfterTheAsyncDelay() throws {
            let emulator = try TestEmulator()
            let before = emulator.createUser(UsersTests.milton)
            let id = before["id"]?.stringValue ?? ""
            let response = emulator.send(.put, "/v2/users/\(id)", body: Self.changes.serialized())
            #expect(response.code == 202)
            // docs L38: { "code":202, "status":"ACCEPTED", "message":"Agent deletion request accepted" }
            #expect(response.json == ["code": 202, "status": "ACCEPTED", "message": "User update request accepted"])
            #expect(emulator.user(id) == before)
            #expect(try emulator.advance(milliseconds: 999) == 0)
            #expect(emulator.user(id) == before)
            #expect(try emulator.advance(milliseconds: 1) == 1)
            let after = emulator.user(id)
            #expect(after?["email"] == "milton.new@mail.com")
            #expect(after?["first_name"] == "Milt")
            #expect(after?["last_name"] == "Dough")
            #expect(after?["phone"] == "1234567890")
            #expect(after?["updated_time"] == "2024-01-15T10:00:01.000Z")
            #expect(after?["created_time"] == before["created_time"])
            #expect(after?.objectValue?.keys == before.objectValue?.keys)
        }

        // docs L578: "If an attribute value is null or not passed as part of the request payload, the attribute’s
        // existing value is retained."
        @Test func update_KeepsValues_ThatAreNullOrAbsent() throws {
            let emulator = try TestEmulator()
            let before = emulator.createUser(UsersTests.milton)
            let id = before["id"]?.stringValue ?? ""
            #expect(emulator.send(.put, "/v2/users/\(id)", body: #"{"email":null,"phone":"42"}"#).code == 202)
            try emulator.advance()
            let after = emulator.user(id)
            #expect(after?["phone"] == "42")
            for key in ["email", "first_name", "last_name"] { #expect(after?[key] == before[key], "\(key)") }
        }

        // docs L579: "Only the values of the attributes email, first_name, last_name, and phone can be updated using
        // this API." — the sample request (L612) also sends avatar, org_contact_id, restore_id, properties,
        // reference_id and social_profiles; they change nothing, whatever their type.
        @Test func update_IgnoresEveryOtherAttribute() throws {
            let emulator = try TestEmulator()
            let before = emulator.createUser(UsersTests.milton)
            let id = before["id"]?.stringValue ?? ""
            let sample: JSONValue = [
                "email": "milton.doe@mail.com", "avatar": ["url": "https://web.freshchat.com/img/other.png"],
                "phone": "1234567890", "org_contact_id": "abcd12345", "restore_id": " ",
                "properties": [["name": "orderId", "value": "#9999"]], "reference_id": "other@doe",
                "first_name": "Milton",
                "last_name": "Doe", "social_profiles": [["type": "facebook", "id": "milton.doe"]], "login_status": true,
                "id": "other", "created_time": 5,
            ]
            #expect(emulator.send(.put, "/v2/users/\(id)", body: sample.serialized()).code == 202)
            #expect(emulator.send(.put, "/v2/users/\(id)", body: #"{"avatar":5,"properties":"x"}"#).code == 202)
            try emulator.advance()
            guard case .object(var expected) = before else { return }
            expected["phone"] = "1234567890"
            expected["updated_time"] = "2024-01-15T10:00:01.000Z"
            #expect(emulator.user(id) == .object(expected))
        }

        // docs L563–566: the four attributes are strings; a wrong type is refused before anything is queued.
        @Test(arguments: ["email", "first_name", "last_name", "phone"])
        func update_Rejects_NonStringAttribute(field: String) throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID(UsersTests.milton)
            for value: JSONValue in [1, false, ["x"], ["k": "v"]] {
                expectError(
                    emulator.send(.put, "/v2/users/\(id)", body: JSONValue.object([field: value]).serialized()), 400,
                    "BAD_REQUEST", mentioning: "\(field) must be a string")
            }
            #expect(try emulator.advance() == 0)
        }

        // docs L578: "The request body parameter should be a valid JSON object of the specified format."
        @Test(arguments: ["", "[]", "nope"])
        func update_Rejects_BodyThatIsNotAJSONObject(body: String) throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID()
            expectError(emulator.send(.put, "/v2/users/\(id)", body: body), 400, "BAD_REQUEST", mentioning: "body")
        }

        // docs L578: "Identifies a user object by the user_id passed in the request" — checked at request time.
        @Test func update_Returns404_ForAnUnknownUser() throws {
            let emulator = try TestEmulator()
            expectError(
                emulator.send(.put, "/v2/users/missing", body: Self.changes.serialized()), 404, "USER_NOT_FOUND",
                mentioning: "user not found")
            #expect(try emulator.advance() == 0, "nothing was queued")
        }

        // ARCHITECTURE.md: events record what happened, when it happened — the update when the job applies it.
        @Test func update_AppendsUserUpdatedEvent_WhenApplied() throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID(UsersTests.milton)
            #expect(emulator.send(.put, "/v2/users/\(id)", body: Self.changes.serialized()).code == 202)
            let kinds = { try emulator.emulator.store.read { try $0.events(kinds: [.userUpdated]) } }
            #expect(try kinds().isEmpty)
            try emulator.advance()
            let events = try kinds()
            #expect(events.map(\.userID) == [id])
            #expect(events.first?.time == TestEmulator.start + 1_000)
            #expect(events.first?.data == JSONObject())
        }

        // Two updates apply in the order they were accepted.
        @Test func updates_ApplyInOrder() throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID(UsersTests.milton)
            #expect(emulator.send(.put, "/v2/users/\(id)", body: #"{"email":"first@x.com","phone":"1"}"#).code == 202)
            emulator.clock.advance(by: 10)
            #expect(emulator.send(.put, "/v2/users/\(id)", body: #"{"email":"second@x.com"}"#).code == 202)
            try emulator.advance(milliseconds: 2_000)
            #expect(emulator.user(id)?["email"] == "second@x.com")
            #expect(emulator.user(id)?["phone"] == "1")
            #expect(emulator.user(id)?["updated_time"] == "2024-01-15T10:00:02.010Z")
        }

        // MARK: - Retrieve all conversations for a user

        // docs L636: "A successful request returns 200 OK along with the retrieved conversation ids." (L655)
        @Test func conversations_ListsTheUsersConversations_OldestFirst() throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID(UsersTests.milton)
            let other = emulator.createUserID()
            try emulator.insertConversation("c-late", users: [id], time: TestEmulator.start + 20)
            try emulator.insertConversation("c-early", users: [id, other], time: TestEmulator.start + 10)
            try emulator.insertConversation("c-other", users: [other], time: TestEmulator.start + 5)
            try emulator.insertConversation("c-latest", users: [other, id], time: TestEmulator.start + 30)
            let response = emulator.send(.get, "/v2/users/\(id)/conversations")
            #expect(response.code == 200)
            #expect(response.json == ["conversations": [["id": "c-early"], ["id": "c-late"], ["id": "c-latest"]]])
            #expect(
                emulator.send(.get, "/v2/users/\(other)/conversations").json
                    == ["conversations": [["id": "c-other"], ["id": "c-early"], ["id": "c-latest"]]])
        }

        @Test func conversations_IsEmpty_ForAUserWithoutConversations() throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID()
            let response = emulator.send(.get, "/v2/users/\(id)/conversations")
            #expect(response.code == 200)
            #expect(response.text == #"{"conversations":[]}"#)
        }

        // docs L620: "Identifies a user by the user_id passed in the request" — an unknown user is a 404.
        @Test func conversations_Returns404_ForAnUnknownUser() throws {
            let emulator = try TestEmulator()
            expectError(emulator.send(.get, "/v2/users/missing/conversations"), 404, "USER_NOT_FOUND")
        }
    }
}
