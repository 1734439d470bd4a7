import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

extension UsersTests {
    /// Delete a user (docs L661–699), `DELETE /v2/users/{user_id}`.
    @Suite struct Delete {
        // docs L679: "A successful request returns 202 Accepted along with the following response." (L690)
        @Test func delete_Returns202_WithTheDocsBody() throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID(UsersTests.milton)
            let response = emulator.send(.delete, "/v2/users/\(id)")
            #expect(response.code == 202)
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(response.text == #"{"id":"\#(id)","link":{"rel":"self","href":"/users/\#(id)","type":"GET"}}"#)
        }

        // docs L663: "The user details cannot be retrieved from the Freshchat system after this delete"; L695: the
        // link "can be used to … verify the deletion status" — so until the job runs the user is still there.
        @Test func delete_RemovesTheUser_ForEveryEndpoint_AfterTheAsyncDelay() throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID(UsersTests.milton)
            let kept = emulator.createUserID(["first_name": "Milton"])
            #expect(emulator.send(.delete, "/v2/users/\(id)").code == 202)
            #expect(emulator.user(id) != nil)
            #expect(try emulator.advance(milliseconds: 999) == 0)
            #expect(emulator.user(id) != nil)
            #expect(try emulator.advance(milliseconds: 1) == 1)
            expectError(emulator.send(.get, "/v2/users/\(id)"), 404, "USER_NOT_FOUND")
            expectError(emulator.send(.put, "/v2/users/\(id)", body: #"{"phone":"1"}"#), 404, "USER_NOT_FOUND")
            expectError(emulator.send(.get, "/v2/users/\(id)/conversations"), 404, "USER_NOT_FOUND")
            expectError(emulator.send(.delete, "/v2/users/\(id)"), 404, "USER_NOT_FOUND")
            let fetched = emulator.send(.post, "/v2/users/fetch", body: #"{"ids":["\#(id)","\#(kept)"]}"#)
            #expect(fetched.json.users() == [kept])
            #expect(emulator.listUsers("/v2/users?first_name=Milton").users() == [kept])
        }

        // docs L669: "user_idMandatory string Identifier of the user object" — an unknown one is a 404.
        @Test func delete_Returns404_ForAnUnknownUser() throws {
            let emulator = try TestEmulator()
            expectError(
                emulator.send(.delete, "/v2/users/missing"), 404, "USER_NOT_FOUND", mentioning: "user not found")
            #expect(try emulator.advance() == 0, "nothing was queued")
        }

        // Emulator decision: while the deletion is pending the user exists, so a second DELETE is accepted again;
        // the user is deleted (and the event appended) once.
        @Test func delete_IsAcceptedAgain_WhilePending() throws {
            let emulator = try TestEmulator()
            let id = emulator.createUserID(UsersTests.milton)
            let first = emulator.send(.delete, "/v2/users/\(id)")
            let second = emulator.send(.delete, "/v2/users/\(id)")
            #expect(first.code == 202 && second.code == 202)
            #expect(second.text == first.text)
            try emulator.advance()
            let events = try emulator.emulator.store.read { try $0.events(kinds: [.userDeleted]) }
            #expect(events.map(\.userID) == [id])
            #expect(events.first?.time == TestEmulator.start + 1_000)
            let failed = try emulator.emulator.store.read {
                try $0.scalarInt("SELECT count(*) FROM job WHERE status <> 'done'")
            }
            #expect(failed == 0)
        }

        // docs L663: deletion "primarily serves to meet General Data Protection Regulation (GDPR) requirements":
        // conversations that were only the user's go with their messages; in conversations shared with other users
        // the user's messages lose their content; the user's update jobs lose their values; events hold ids only.
        @Test func delete_ErasesThePersonalData_FromEveryTable() throws {
            let emulator = try TestEmulator()
            let secrets = [
                "zelda.quixote@example.org", "Zelda", "Quixote", "5550199", "zq-ref-77", "https://img.example/zq.png",
                "zq-secret-prop", "zq.updated@example.org", "5550100", "zq-org-9",
            ]
            #expect(try emulator.rowsContaining(secrets) == [])
            let id = emulator.createUserID([
                "email": "zelda.quixote@example.org", "first_name": "Zelda", "last_name": "Quixote", "phone": "5550199",
                "reference_id": "zq-ref-77", "avatar": ["url": "https://img.example/zq.png"],
                "org_contact_id": "zq-org-9",
                "properties": [["name": "note", "value": "zq-secret-prop"]],
            ])
            let bob = emulator.createUserID(["first_name": "Bob", "email": "bob@example.org"])
            #expect(emulator.send(.put, "/v2/users/\(id)", body: #"{"email":"zq.updated@example.org"}"#).code == 202)
            try emulator.advance()
            try emulator.insertConversation("c-solo", users: [id], time: TestEmulator.start)
            try emulator.insertMessage(
                "m-1", in: "c-solo", actorType: "user", actorID: id, content: "I am Zelda Quixote")
            try emulator.insertMessage("m-2", in: "c-solo", actorType: "agent", actorID: "agent-1", content: "Hi Zelda")
            try emulator.insertConversation("c-shared", users: [id, bob], time: TestEmulator.start)
            try emulator.insertMessage("m-3", in: "c-shared", actorType: "user", actorID: id, content: "call 5550199")
            try emulator.insertMessage("m-4", in: "c-shared", actorType: "user", actorID: bob, content: "I am Bob")
            // A finished job of another resource that carried the user's data (as conversation.create does).
            try emulator.emulator.store.write { db in
                let payload: JSONValue = ["users": [["id": .string(id)]], "content": "I am Zelda"]
                try db.execute(
                    """
                    INSERT INTO job (id, kind, due_time, payload, status, created_time)
                    VALUES ('j', 'x', 0, ?, 'done', 0)
                    """,
                    [.text(payload.serialized())])
            }
            #expect(emulator.send(.delete, "/v2/users/\(id)").code == 202)
            // Accepted while the deletion is pending: its values sit in the job table until the deletion runs first.
            #expect(emulator.send(.put, "/v2/users/\(id)", body: #"{"phone":"5550100"}"#).code == 202)
            #expect(try emulator.rowsContaining(secrets).count > 10, "the scan finds the data before the deletion")

            try emulator.advance()

            #expect(try emulator.rowsContaining(secrets) == [])
            let db = emulator.emulator.store
            #expect(try db.read { try $0.scalarInt("SELECT count(*) FROM conversation WHERE id = 'c-solo'") } == 0)
            #expect(
                try db.read { try $0.query("SELECT id FROM message ORDER BY seq").map { try $0.string("id") } } == [
                    "m-3", "m-4",
                ])
            #expect(
                try db.read {
                    try $0.scalarInt("SELECT count(*) FROM conversation_user WHERE user_id = ?", [.text(id)])
                }
                    == 0)
            let erased = try db.read { try $0.scalarString("SELECT doc FROM message WHERE id = 'm-3'") } ?? ""
            let doc = try JSONParser.parse(erased)
            #expect(doc["message_parts"] == [])
            #expect(doc["id"] == "m-3")
            #expect(doc["actor_id"] == .string(id))
            #expect(doc["reply_parts"] == nil && doc["meta_data"] == nil)
            let bobs = try db.read { try $0.scalarString("SELECT doc FROM message WHERE id = 'm-4'") } ?? ""
            #expect(bobs.contains("I am Bob"), "other users' messages are untouched")
            #expect(
                emulator.send(.get, "/v2/users/\(bob)/conversations").json == ["conversations": [["id": "c-shared"]]])
            #expect(try db.read { try $0.scalarInt("SELECT count(*) FROM job WHERE status <> 'done'") } == 0)
            let kinds = try db.read { try $0.events().filter { $0.userID == id }.map(\.kind) }
            #expect(kinds == [.userCreated, .userUpdated, .userDeleted])
        }

        // The content erasure keeps the attributes that identify and place the message, in their order.
        @Test func erasedMessageDoc_KeepsIdentifiers_AndDropsContent() {
            let doc = """
                {"message_parts":[{"text":{"content":"secret"}}],"reply_parts":[{"text":{"content":"x"}}],\
                "app_id":"a","actor_id":"u","org_actor_id":"o","id":"m","channel_id":"ch","conversation_id":"c",\
                "interaction_id":"i","message_type":"normal","actor_type":"user","created_time":"t","user_id":"u",\
                "meta_data":{"k":"secret"},"in_reply_to":{"message_id":"m0"},"error_message":"secret",\
                "restrictResponse":false,"botsPrivateNote":false,"custom":"secret"}
                """
            #expect(
                Database.erasedMessageDoc(doc)
                    == #"{"message_parts":[],"app_id":"a","actor_id":"u","org_actor_id":"o","id":"m","#
                    + #""channel_id":"ch","conversation_id":"c","interaction_id":"i","message_type":"normal","#
                    + #""actor_type":"user","#
                    + #""created_time":"t","user_id":"u","in_reply_to":{"message_id":"m0"},"restrictResponse":false,"#
                    + #""botsPrivateNote":false}"#)
            #expect(Database.erasedMessageDoc(#"{"id":"m"}"#) == #"{"id":"m","message_parts":[]}"#)
            #expect(Database.erasedMessageDoc("not json") == #"{"message_parts":[]}"#)
        }
    }
}
