import Foundation
import Testing

/// The Users-conversations issue's story, told to the real binary over real sockets: create user → create
/// conversation → agent replies with quick replies → user answers → assign → resolve → user writes again (reopen)
/// → list messages across pages.
@Suite
struct StoryTests {
    /// Seeded ids (seed/agents.json, seed/groups.json, seed/channels.json).
    static let agent = "1ad50c45-050b-4702-9300-478ddcf23c65"
    static let group = "e769cd13-0cd3-4d64-81ac-32657642a24d"
    static let channel = "71df7c11-df1e-4365-80e3-75a434c9caf0"

    struct API {
        let emulator: RunningEmulator

        func call(_ method: String, _ target: String, _ body: String? = nil) throws -> (Int, [String: Any]) {
            var headers = ["Authorization: Bearer story"]
            if let body { headers += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"] }
            let response = try emulator.request(RawRequest.make(method, target, headers: headers, body: body ?? ""))
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            return (response.status, json)
        }

        /// Polls `GET target` until it answers `status` (202 flows finish on the scheduler's next tick).
        func eventually(_ target: String, is status: Int) throws -> [String: Any] {
            let deadline = monotonicSeconds() + 5
            while true {
                let (code, json) = try call("GET", target)
                if code == status || monotonicSeconds() > deadline { return json }
                pause(0.02)
            }
        }
    }

    // docs L1259–1700: the conversation lifecycle; L1401–1486: the update rules; L1487: the messages list.
    @Test func story_UserAndAgentConverse_ResolveAndReopen_AcrossPages() throws {
        let emulator = try RunningEmulator(["--async-delay", "0"])
        let api = API(emulator: emulator)

        // Create a user (docs L508: 201 with the user object).
        let (userStatus, user) = try api.call(
            "POST", "/v2/users", #"{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"}"#)
        #expect(userStatus == 201)
        let userID = try #require(user["id"] as? String)

        // Create a conversation (docs L1259: 202), visible once its job ran.
        let create = """
            {"channel_id":"\(Self.channel)","users":[{"id":"\(userID)"}],
             "messages":[{"message_parts":[{"text":{"content":"Hi, my refund is late"}}],
                          "actor_type":"user","actor_id":"\(userID)"}]}
            """
        let (createStatus, created) = try api.call("POST", "/v2/conversations", create)
        #expect(createStatus == 202)
        let id = try #require(created["conversation_id"] as? String)
        let stored = try api.eventually("/v2/conversations/\(id)", is: 200)
        #expect(stored["status"] as? String == "new")

        // The agent replies with quick replies (docs L1090: reply_parts collection of quick_reply_button).
        let reply = """
            {"message_parts":[{"text":{"content":"Which order?"}}],
             "reply_parts":[{"collection":{"sub_parts":[{"quick_reply_button":{"label":"Order 1"}},
                                                        {"quick_reply_button":{"label":"Order 2"}}]}}],
             "actor_type":"agent","actor_id":"\(Self.agent)"}
            """
        let (replyStatus, replied) = try api.call("POST", "/v2/conversations/\(id)/messages", reply)
        #expect(replyStatus == 200)
        #expect((replied["reply_parts"] as? [Any])?.count == 1)

        // The user answers with the chosen label.
        let answer = """
            {"message_parts":[{"text":{"content":"Order 2"}}],"actor_type":"user","actor_id":"\(userID)",
             "in_reply_to":{"message_id":"\(replied["id"] as? String ?? "")"}}
            """
        #expect(try api.call("POST", "/v2/conversations/\(id)/messages", answer).0 == 200)

        // Assign to the agent in their group, then resolve (docs L1463–1479).
        let assign = #"{"status":"assigned","assigned_group_id":"\#(Self.group)","assigned_agent_id":"\#(Self.agent)"}"#
        let (assignStatus, assigned) = try api.call("PUT", "/v2/conversations/\(id)", assign)
        #expect(assignStatus == 200)
        #expect(assigned["status"] as? String == "assigned")
        let (_, resolved) = try api.call("PUT", "/v2/conversations/\(id)", #"{"status":"resolved"}"#)
        #expect(resolved["status"] as? String == "resolved")

        // The user writes again: the conversation reopens (new interaction, agent unassigned).
        let again =
            #"{"message_parts":[{"text":{"content":"Still late"}}],"actor_type":"user","actor_id":"\#(userID)"}"#
        let (_, reopenMessage) = try api.call("POST", "/v2/conversations/\(id)/messages", again)
        let (_, reopened) = try api.call("GET", "/v2/conversations/\(id)")
        #expect(reopened["status"] as? String == "new")
        #expect(reopened["assigned_agent_id"] == nil)
        #expect(
            reopenMessage["interaction_id"] as? String != (created["messages"] as? [[String: Any]])?.first?[
                "interaction_id"] as? String)

        // List messages two per page, newest first, following `link` to the end (docs L1644).
        var target: String? = "/v2/conversations/\(id)/messages?items_per_page=2"
        var contents: [String] = []
        var pages = 0
        while let next = target, pages < 10 {
            let (status, page) = try api.call("GET", next)
            #expect(status == 200)
            for message in page["messages"] as? [[String: Any]] ?? [] {
                let parts = message["message_parts"] as? [[String: Any]]
                contents.append((parts?.first?["text"] as? [String: Any])?["content"] as? String ?? "?")
            }
            target = (page["link"] as? [String: Any])?["href"] as? String
            pages += 1
        }
        #expect(pages == 2)
        #expect(contents == ["Still late", "Order 2", "Which order?", "Hi, my refund is late"])

        // The user's conversations (docs L618).
        let (_, list) = try api.call("GET", "/v2/users/\(userID)/conversations")
        #expect((list["conversations"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
        #expect(emulator.terminate() == .exited(0))
    }
}

/// Issue "Users, conversations and messages", 202 flows: "Jobs are stored, so work accepted before a restart still
/// completes after it."
@Suite
struct DurableJobTests {
    @Test func acceptedWork_Completes_AfterARestart() throws {
        let directory = try TempDirectory()
        let database = directory.file("jobs.sqlite3")
        let first = try RunningEmulator(["--async-delay", "3600"], database: database)
        let api = StoryTests.API(emulator: first)
        let (status, user) = try api.call("POST", "/v2/users", #"{"first_name":"Before"}"#)
        #expect(status == 201)
        let userID = try #require(user["id"] as? String)
        // docs L576: PUT → 202; applied by a job an hour of Clock time later.
        #expect(try api.call("PUT", "/v2/users/\(userID)", #"{"first_name":"After"}"#).0 == 202)
        #expect(try api.call("GET", "/v2/users/\(userID)").1["first_name"] as? String == "Before")
        #expect(first.killHard() != .stillRunning)

        // The job is still pending in the store; a restart with a short delay does not move its due time, so it
        // is still waiting …
        let second = try RunningEmulator(["--async-delay", "0"], database: database)
        let again = StoryTests.API(emulator: second)
        #expect(try again.call("GET", "/v2/users/\(userID)").1["first_name"] as? String == "Before")
        // … and a new request's job (due at once) runs, while the old one keeps its place in the queue.
        #expect(try again.call("PUT", "/v2/users/\(userID)", #"{"last_name":"Later"}"#).0 == 202)
        let deadline = monotonicSeconds() + 5
        var last: [String: Any] = [:]
        while monotonicSeconds() < deadline {
            last = try again.call("GET", "/v2/users/\(userID)").1
            if last["last_name"] as? String == "Later" { break }
            pause(0.02)
        }
        #expect(last["last_name"] as? String == "Later")
        #expect(last["first_name"] as? String == "Before")
        #expect(second.terminate() == .exited(0))
    }

    @Test func pendingWork_RunsAfterARestart_WhenItFallsDue() throws {
        let directory = try TempDirectory()
        let database = directory.file("jobs.sqlite3")
        let first = try RunningEmulator(["--async-delay", "1"], database: database)
        let api = StoryTests.API(emulator: first)
        let (_, user) = try api.call("POST", "/v2/users", #"{"first_name":"Before"}"#)
        let userID = try #require(user["id"] as? String)
        #expect(try api.call("DELETE", "/v2/users/\(userID)").0 == 202)
        #expect(first.killHard() != .stillRunning)
        let second = try RunningEmulator(database: database)
        let json = try StoryTests.API(emulator: second).eventually("/v2/users/\(userID)", is: 404)
        #expect(json["status"] as? String == "USER_NOT_FOUND")
        #expect(second.terminate() == .exited(0))
    }
}
