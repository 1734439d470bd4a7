import HTTP
import SQLite
import Synchronization
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// One Server-Sent Event as received.
struct SSEvent: Equatable, CustomStringConvertible {
    var id: Int64?
    var name: String
    var data: String

    var json: JSONValue { (try? JSONParser.parse(data)) ?? .null }
    var description: String { "\(id.map(String.init) ?? "-") \(name) \(data)" }

    /// The events in an event-stream text (WHATWG HTML §9.2.6, the subset the emulator sends); comments and the
    /// `retry` field are skipped, an incomplete last event is left out.
    static func parse(_ text: String) -> [SSEvent] {
        var events: [SSEvent] = []
        for block in text.components(separatedBy: "\n\n").dropLast() {
            var event = SSEvent(id: nil, name: "message", data: "")
            var hasData = false
            for line in block.split(separator: "\n") where !line.hasPrefix(":") {
                if line.hasPrefix("id: ") { event.id = Int64(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") {
                    event.data = String(line.dropFirst(6))
                    hasData = true
                }
            }
            if hasData { events.append(event) }
        }
        return events
    }
}

/// A value behind a lock, shareable with escaping closures (a `Mutex` itself cannot be captured).
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { value in
            var copy = value
            defer { value = copy }
            return body(&copy)
        }
    }
}

/// The change feed and `GET /_emulator/events` (issue #11), in process: the stream's producer is run on a detached
/// `ResponseStream` that collects what it writes.
@Suite struct EventsTests {
    struct Harness {
        let base: TestEmulator
        let host: EmulatorHost
        var feed: ChangeFeed { base.emulator.store.feed }

        init() throws {
            base = try TestEmulator()
            host = EmulatorHost(emulator: base.emulator)
            try base.addUsers()
        }

        func send(_ method: HTTPMethod, _ target: String, headers: [(String, String)] = []) -> TestResponse {
            let fields: [(String, String)] = [("Host", "localhost"), ("Authorization", "Bearer test-token")] + headers
            return TestResponse(host.respond(to: Request(method: method, target: target, headers: HTTPHeaders(fields))))
        }

        /// Opens `GET /_emulator/events<query>` and starts its producer on a collecting stream.
        func open(_ query: String = "", headers: [(String, String)] = []) throws -> Listener {
            let response = send(.get, "/_emulator/events" + query, headers: headers)
            #expect(response.code == 200, "\(response.text)")
            let producer = try #require(response.response.stream)
            return Listener(producer)
        }
    }

    /// What a stream's producer wrote.
    final class Listener: Sendable {
        let stream: ResponseStream
        private let received = LockedBox<[UInt8]>([])

        init(_ producer: ResponseStream.Producer) {
            let received = self.received
            stream = ResponseStream(sink: { bytes in received.withLock { $0.append(contentsOf: bytes) } })
            producer(stream)
        }

        var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }
        var events: [SSEvent] { SSEvent.parse(text) }
    }

    // MARK: - The feed

    @Test func feed_ReplaysWhatIsKept_AndResetsWhatIsNot() {
        let feed = ChangeFeed(capacity: 3)
        feed.publish((1...5).map { ChangeFeed.Draft(name: "n", data: "{\"i\":\($0)}") })
        #expect(feed.events.map(\.id) == [3, 4, 5])
        let got = LockedBox<[Int64]>([])
        let (token, start) = feed.subscribe(after: 2) { event in got.withLock { $0.append(event.id) } }
        #expect(start == .resumed)
        feed.publish([ChangeFeed.Draft(name: "n", data: "{}")])
        #expect(got.withLock { $0 } == [3, 4, 5, 6])
        feed.unsubscribe(token)
        feed.publish([ChangeFeed.Draft(name: "n", data: "{}")])
        #expect(got.withLock { $0 } == [3, 4, 5, 6])
        #expect(feed.subscriberCount == 0)
        for tooOld in [Int64(0), 2, 3] {
            let names = LockedBox<[String]>([])
            let (t, s) = feed.subscribe(after: tooOld) { event in
                names.withLock { $0.append("\(event.id) \(event.name)") }
            }
            feed.unsubscribe(t)
            #expect(s == (tooOld < 4 ? .reset : .resumed), "after \(tooOld)")
            #expect(names.withLock { $0 } == (tooOld < 4 ? ["7 reset"] : ["5 n", "6 n", "7 n"]))
        }
        let future = feed.subscribe(after: 99) { _ in }
        #expect(future.start == .reset)
        // A replay larger than the limit is a reset too (the client would be dropped for it).
        let frames = feed.events.filter { $0.id > 4 }.reduce(0) { $0 + $1.frame.utf8.count }
        #expect(feed.subscribe(after: 4, replayLimit: frames) { _ in }.start == .resumed)
        #expect(feed.subscribe(after: 4, replayLimit: frames - 1) { _ in }.start == .reset)
    }

    // MARK: - What the store publishes

    @Test func conversationAndMessages_ArePublished_AsTheAPIReturnsThem() throws {
        let h = try Harness()
        let before = h.feed.lastID
        let id = try h.base.startConversation()
        let events = h.feed.events.filter { $0.id > before }
        #expect(events.map(\.name) == ["conversation.created", "message.created"], "\(events)")
        let conversation = try #require(h.base.fetchConversation(id))
        #expect(try JSONParser.parse(events[0].data) == conversation)
        #expect(events[0].conversationID == id)
        let listed = h.base.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue ?? []
        #expect(listed.count == 1)
        #expect(try JSONParser.parse(events[1].data) == listed.first)
        #expect(try JSONParser.parse(events[1].data)["conversation_id"]?.stringValue == id)

        let mark = h.feed.lastID
        let updated = h.base.update(id, ["status": "resolved"])
        let after = h.feed.events.filter { $0.id > mark }
        #expect(after.map(\.name) == ["conversation.updated"])
        #expect(try JSONParser.parse(after[0].data) == updated)
        #expect(after[0].data.contains("\"status\":\"resolved\""))
    }

    // POST …/messages hands the feed what it wrote (Store.prepareEvent) instead of reading it back: the events must
    // still be the conversation and the message as the API returns them, assigned or reopened.
    @Test(arguments: [ConversationStatus.assigned, .resolved])
    func sentMessage_IsPublished_WithItsConversation_AsTheAPIReturnsThem(status: ConversationStatus) throws {
        let h = try Harness()
        let id = try h.base.conversation(in: status)
        let mark = h.feed.lastID
        let sent = h.base.sendMessage(id, Seeded.userMessage("Still there?"))
        #expect(sent.code == 200, "\(sent.text)")
        let events = h.feed.events.filter { $0.id > mark }
        #expect(events.map(\.name) == ["conversation.updated", "message.created"], "\(events)")
        let conversation = try #require(h.base.fetchConversation(id))
        #expect(try JSONParser.parse(events[0].data) == conversation)
        // A user's message reopens a resolved conversation: new status, no agent (docs L1475).
        #expect(conversation["status"]?.stringValue == (status == .resolved ? "new" : "assigned"))
        #expect((conversation["assigned_agent_id"]?.stringValue == nil) == (status == .resolved))
        #expect(try JSONParser.parse(events[1].data) == sent.json)
        let listed = h.base.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue ?? []
        #expect(try JSONParser.parse(events[1].data) == listed.first)
        #expect(events.allSatisfy { $0.conversationID == id })
    }

    // PUT /v2/conversations/{id} hands the feed the object it answers: an assignment publishes the conversation with
    // its new agent, as GET returns it.
    @Test func assignment_IsPublished_AsTheAPIReturnsIt() throws {
        let h = try Harness()
        let id = try h.base.conversation(in: .new)
        let mark = h.feed.lastID
        let updated = h.base.update(
            id, ["assigned_agent_id": .string(Seeded.priya), "assigned_group_id": .string(Seeded.billing)])
        let events = h.feed.events.filter { $0.id > mark }
        #expect(events.map(\.name) == ["conversation.updated"])
        #expect(try JSONParser.parse(events[0].data) == updated)
        #expect(try JSONParser.parse(events[0].data) == h.base.fetchConversation(id))
        #expect(updated["assigned_agent_id"]?.stringValue == Seeded.priya)
        // An update that changes nothing publishes nothing.
        let unchanged = h.feed.lastID
        h.base.update(id, ["assigned_agent_id": .string(Seeded.priya)])
        #expect(h.feed.lastID == unchanged)
    }

    // Data handed over for a row is dropped when the transaction changes that row again; the row is read back.
    @Test func preparedEventData_IsDropped_WhenTheRowChangesAgain() throws {
        let h = try Harness()
        let store = h.base.emulator.store
        let created = h.base.send(.post, "/v2/users", json: ["email": "ada@example.com", "first_name": "Ada"])
        let id = try #require(created.json["id"]?.stringValue)
        let mark = h.feed.lastID
        try store.write { db in
            try db.execute("UPDATE user SET first_name = 'Grace' WHERE id = ?", [.text(id)])
            let rowID = try #require(try db.scalarInt("SELECT rowid FROM user WHERE id = ?", [.text(id)]))
            store.prepareEvent(table: "user", rowID: Int64(rowID), data: "{\"prepared\":true}")
            try db.execute("UPDATE user SET first_name = 'Lin' WHERE id = ?", [.text(id)])
        }
        let events = h.feed.events.filter { $0.id > mark }
        #expect(events.map(\.name) == ["user.updated"])
        #expect(try JSONParser.parse(events[0].data) == h.base.send(.get, "/v2/users/\(id)").json)
        #expect(events[0].data.contains("\"first_name\":\"Lin\""))
        // Handed over after the last change, it is what is published.
        let next = h.feed.lastID
        try store.write { db in
            try db.execute("UPDATE user SET first_name = 'Mae' WHERE id = ?", [.text(id)])
            let rowID = try #require(try db.scalarInt("SELECT rowid FROM user WHERE id = ?", [.text(id)]))
            store.prepareEvent(table: "user", rowID: Int64(rowID), data: "{\"prepared\":true}")
        }
        #expect(h.feed.events.filter { $0.id > next }.map(\.data) == ["{\"prepared\":true}"])
    }

    @Test func users_ArePublished_AsTheAPIReturnsThem() throws {
        let h = try Harness()
        let mark = h.feed.lastID
        let created = h.base.send(.post, "/v2/users", json: ["email": "ada@example.com", "first_name": "Ada"])
        #expect(created.code == 201, "\(created.text)")
        let id = try #require(created.json["id"]?.stringValue)
        #expect(h.base.send(.put, "/v2/users/\(id)", json: ["first_name": "Grace"]).code == 202)
        try h.base.advance()
        let events = h.feed.events.filter { $0.id > mark }
        #expect(events.map(\.name) == ["user.created", "user.updated"])
        #expect(try JSONParser.parse(events[0].data) == created.json)
        #expect(try JSONParser.parse(events[1].data) == h.base.send(.get, "/v2/users/\(id)").json)
        #expect(events[1].data.contains("\"first_name\":\"Grace\""))
        #expect(events.allSatisfy { $0.conversationID == nil })
    }

    @Test func rolledBackWrites_PublishNothing() throws {
        let h = try Harness()
        let before = h.feed.lastID
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try h.base.emulator.store.write { db in
                try db.execute(
                    "INSERT INTO user (id, created_time, updated_time) VALUES ('ghost', 0, 0)")
                throw Abort()
            }
        }
        let rejected = h.base.send(.post, "/v2/conversations", json: Seeded.createBody([("channel_id", "nope")]))
        #expect(rejected.code == 400)
        #expect(h.feed.lastID == before)
        // The next commit publishes only its own change.
        try h.base.emulator.store.write { db in
            try db.execute("INSERT INTO user (id, created_time, updated_time) VALUES ('real', 0, 0)")
        }
        #expect(h.feed.events.filter { $0.id > before }.map(\.name) == ["user.created"])
        #expect(try JSONParser.parse(h.feed.events.last?.data ?? "")["id"]?.stringValue == "real")
    }

    @Test func resetAndStateImport_PublishOneReset() throws {
        let h = try Harness()
        var mark = h.feed.lastID
        #expect(h.send(.post, "/_emulator/reset").code == 200)
        #expect(h.feed.events.filter { $0.id > mark }.map(\.name) == ["reset"])
        mark = h.feed.lastID
        let state = h.send(.get, "/_emulator/state").text
        let put = TestResponse(
            h.host.respond(
                to: Request(
                    method: .put, target: "/_emulator/state", headers: ["Content-Type": "application/json"],
                    body: Array(state.utf8))))
        #expect(put.code == 200, "\(put.text)")
        #expect(h.feed.events.filter { $0.id > mark }.map(\.name) == ["reset"])
    }

    // MARK: - GET /_emulator/events

    @Test func stream_StartsWithRetry_ThenCarriesEveryChangeLive() throws {
        let h = try Harness()
        let response = h.send(.get, "/_emulator/events")
        #expect(response.headers["Content-Type"] == "text/event-stream")
        #expect(response.headers["Cache-Control"] == "no-cache")
        let listener = try h.open()
        #expect(listener.text == "retry: 2000\n\n")
        let id = try h.base.startConversation()
        let events = listener.events
        #expect(events.map(\.name) == ["conversation.created", "message.created"])
        #expect(events.map(\.id) == [h.feed.lastID - 1, h.feed.lastID])
        #expect(events[0].json == h.base.fetchConversation(id))
        #expect(listener.text.hasSuffix("id: \(h.feed.lastID)\nevent: message.created\ndata: \(events[1].data)\n\n"))
        #expect(h.feed.subscriberCount == 1)
        listener.stream.cancel()
        #expect(h.feed.subscriberCount == 0)
    }

    @Test func lastEventID_ReplaysExactlyTheMissedEvents() throws {
        let h = try Harness()
        let first = try h.open()
        try h.base.startConversation()
        let seen = try #require(first.events.last?.id)
        first.stream.cancel()
        let missed = try h.base.startConversation()
        let expected = h.feed.events.filter { $0.id > seen }.map { SSEvent(id: $0.id, name: $0.name, data: $0.data) }
        #expect(expected.count == 2)
        let header = try h.open(headers: [("Last-Event-ID", "\(seen)")])
        #expect(header.events == expected)
        #expect(header.events.first?.json["conversation_id"]?.stringValue == missed)
        let query = try h.open("?last_event_id=\(seen)")
        #expect(query.events == expected)
        // Live events follow the replay.
        try h.base.startConversation()
        #expect(header.events.count == 4)
        #expect(header.events.map(\.id) == query.events.map(\.id))
    }

    @Test func lastEventID_TooOldOrFromAnotherRun_GetsAReset() throws {
        let h = try Harness()
        try h.base.startConversation()
        let listener = try h.open(headers: [("Last-Event-ID", "\(h.feed.lastID + 100)")])
        #expect(listener.events == [SSEvent(id: h.feed.lastID, name: "reset", data: "{}")])
        let feed = ChangeFeed(capacity: 1)
        feed.publish([.init(name: "a", data: "{}"), .init(name: "b", data: "{}")])
        #expect(feed.subscribe(after: 0) { _ in }.start == .reset)
    }

    @Test func conversationFilter_KeepsOnlyThatConversation() throws {
        let h = try Harness()
        let one = try h.base.startConversation()
        let listener = try h.open("?conversation_id=\(one)")
        try h.base.startConversation()
        #expect(listener.events.isEmpty)
        h.base.update(one, ["status": "resolved"])
        #expect(listener.events.map(\.name) == ["conversation.updated"])
        #expect(listener.events.first?.json["conversation_id"]?.stringValue == one)
    }

    @Test func heartbeat_CommentsKeepComing_UntilTheStreamEnds() throws {
        let h = try Harness()
        let router = Router()
        EventsAPI(host: h.host, heartbeatSeconds: 0.1).register(on: router)
        let response = router.respond(
            to: Request(method: .get, target: "/_emulator/events", headers: ["Host": "h"]))
        let listener = Listener(try #require(response.stream))
        var beats = 0
        for _ in 0..<300 where beats < 2 {
            usleep(10_000)
            beats = listener.text.components(separatedBy: ":\n\n").count - 1
        }
        #expect(beats >= 2, "\(listener.text.debugDescription)")
        #expect(listener.text.hasPrefix("retry: 2000\n\n:\n\n"))
        listener.stream.cancel()
        let after = listener.text
        usleep(300_000)
        #expect(listener.text == after)
        #expect(h.feed.subscriberCount == 0)
    }

    @Test func badLastEventID_Is400() throws {
        let h = try Harness()
        expectError(h.send(.get, "/_emulator/events?last_event_id=x"), 400, "BAD_REQUEST", mentioning: "last_event_id")
        expectError(
            h.send(.get, "/_emulator/events", headers: [("Last-Event-ID", "-1")]), 400, "BAD_REQUEST",
            mentioning: "Last-Event-ID")
    }

    @Test func adminToken_GuardsTheStream() throws {
        let base = try TestEmulator(configure: { $0.adminToken = "secret" })
        let host = EmulatorHost(emulator: base.emulator)
        let denied = host.respond(to: Request(method: .get, target: "/_emulator/events", headers: ["Host": "h"]))
        #expect(denied.status.code == 401)
        #expect(denied.stream == nil)
        let allowed = host.respond(
            to: Request(
                method: .get, target: "/_emulator/events", headers: ["Host": "h", "Authorization": "Bearer secret"]))
        #expect(allowed.status.code == 200)
        #expect(allowed.stream != nil)
        // EventSource cannot send headers: the stream (only) also takes the token as ?admin_token=.
        let query = host.respond(
            to: Request(method: .get, target: "/_emulator/events?admin_token=secret", headers: ["Host": "h"]))
        #expect(query.status.code == 200)
        #expect(query.stream != nil)
        let wrong = host.respond(
            to: Request(method: .get, target: "/_emulator/events?admin_token=guess", headers: ["Host": "h"]))
        #expect(wrong.status.code == 401)
        let elsewhere = host.respond(
            to: Request(method: .get, target: "/_emulator/state?admin_token=secret", headers: ["Host": "h"]))
        #expect(elsewhere.status.code == 401)
    }

    @Test func webhookDeliveries_ArePublished() throws {
        let h = try WebhooksHarness()
        let feed = h.base.emulator.store.feed
        try h.base.addUsers()
        let mark = feed.lastID
        let id = try h.base.startConversation()
        h.flush()
        let deliveries = feed.events.filter { $0.id > mark && $0.name == "delivery.updated" }
        let listed = h.deliveries()
        #expect(!listed.isEmpty)
        let latest = try #require(deliveries.last)
        let data = try JSONParser.parse(latest.data)
        #expect(data["conversation_id"]?.stringValue == id)
        #expect(data["status"]?.stringValue == "delivered")
        #expect(data["attempts"] == .integer(1))
        #expect(data["last_status_code"] == .integer(200))
        let match = try #require(listed.first { $0["id"] == data["id"] })
        for key in ["id", "event", "conversation_id", "status", "attempts", "last_status_code"] {
            #expect(data[key] == match[key], "\(key)")
        }
        #expect(data.objectValue?.keys.count == 6)
    }
}
