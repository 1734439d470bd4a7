import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The messages and agents pages write the stored documents as they are (issue #12): byte for byte the page that
/// reading each document into its model and writing the model back gives, and every way a document gets into the
/// store (API, seed, fixtures, GDPR erasure, state import, a store of an older emulator) keeps that true.
@Suite struct StoredDocPagesTests {
    // MARK: - Messages

    /// The messages page built through the model, as `GET …/messages` did before it served stored documents: each
    /// `doc` parsed into a `Message` and written back, with the `link` of docs L1644 when a page follows.
    static func messagesPageThroughTheModel(
        _ emulator: TestEmulator, _ id: String, perPage: Int, page: Int = 1, ascending: Bool = false,
        fromTime: String? = nil
    ) throws -> String {
        let messages = try emulator.emulator.store.read { db in
            try db.messages(
                conversationID: id, from: fromTime.flatMap(Timestamp.parse), ascending: ascending,
                limit: perPage + 1, offset: (page - 1) * perPage)
        }
        var body = JSONObject()
        body["messages"] = .array(messages.prefix(perPage).map(\.json))
        if messages.count > perPage {
            var href = "/v2/conversations/\(PercentDecoding.encodeQueryComponent(id))/messages?1=1"
            href += "&page=\(page + 1)&items_per_page=\(perPage)"
            if let fromTime { href += "&from_time=" + PercentDecoding.encodeQueryComponent(fromTime) }
            if ascending { href += "&sort_order=asc" }
            body["link"] = ["rel": "self", "href": .string(href)]
        }
        return JSONValue.object(body).serialized()
    }

    /// Text that needs every kind of escape and non-ASCII bytes: quotes, backslash, newline, tab, other control
    /// characters, DEL, accents, CJK, an emoji, a line separator, and a slash.
    static let awkwardText = "Grüße \"quoted\" back\\slash\nline\ttab \u{01}\u{1F}\u{7F} 日本語 🎉 \u{2028} a/b"

    /// A conversation of the docs' user and a second user holding messages with every optional member: reply parts
    /// (the docs' examples), meta_data with numbers of every form, in_reply_to, user_id, both flags, private,
    /// system and bot messages, awkward text; then one from the second user, erased by deleting that user (GDPR).
    static func richConversation() throws -> (TestEmulator, String) {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        let id = try emulator.startConversation(
            Seeded.createBody([
                ("messages", [Seeded.userMessage(awkwardText)]),
                ("users", [["id": .string(Seeded.user)], ["id": .string(Seeded.otherUser)]]),
            ]))
        let first = emulator.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue?.first?["id"]
        #expect(first?.stringValue != nil)
        var sent: [JSONValue] = MessagePartExamplesTests.docsExamples.map(\.message)
        var rich = Seeded.agentMessage(awkwardText).objectValue ?? JSONObject()
        rich["message_type"] = "private"
        rich["user_id"] = .string(Seeded.otherUser)
        rich["meta_data"] = [
            "half": .double(1.5), "whole": .double(1000), "big": .integer(12_345_678_901_234),
            "tiny": .double(1e-7), "huge": .double(1.5e300), "negative": .double(-0.25), "zero": .double(-0.0),
            "nested": ["list": [true, false, .null, "ü\"\\"]], awkwardText: "key",
        ]
        rich["in_reply_to"] = ["message_id": first ?? .null]
        rich["restrictResponse"] = true
        rich["botsPrivateNote"] = true
        sent.append(.object(rich))
        sent.append(["message_parts": [["text": ["content": "bot"]]], "actor_type": "bot", "actor_id": "bot-1"])
        sent.append([
            "message_parts": [["text": ["content": "system"]]], "actor_type": "system", "message_type": "system",
        ])
        sent.append(Seeded.userMessage("I am the other user", from: Seeded.otherUser))
        for message in sent {
            emulator.clock.advance(by: 1)
            let response = emulator.sendMessage(id, message)
            #expect(response.code == 200, "\(response.text)")
        }
        // The last message is the other user's: deleting them erases its content in place.
        #expect(emulator.send(.delete, "/v2/users/\(Seeded.otherUser)").code == 202)
        try emulator.advance()
        return (emulator, id)
    }

    /// How many messages `richConversation` holds: the first, the docs' examples, the rich one, bot, system, erased.
    static let messageCount = MessagePartExamplesTests.docsExamples.count + 5

    /// Every page shape: one page of everything, small pages with links, oldest first, from_time.
    static func messagePages(_ id: String, count: Int) -> [(
        target: String, perPage: Int, page: Int, asc: Bool, from: String?
    )] {
        var pages: [(String, Int, Int, Bool, String?)] = [
            ("/v2/conversations/\(id)/messages?items_per_page=50", 50, 1, false, nil),
            ("/v2/conversations/\(id)/messages", 20, 1, false, nil),
        ]
        for page in 1...(count / 3 + 2) {
            pages.append(("/v2/conversations/\(id)/messages?items_per_page=3&page=\(page)", 3, page, false, nil))
            pages.append(
                ("/v2/conversations/\(id)/messages?items_per_page=3&page=\(page)&sort_order=asc", 3, page, true, nil))
        }
        let from = Timestamp.format(TestEmulator.start + 1_003)
        pages.append(("/v2/conversations/\(id)/messages?items_per_page=2&from_time=\(from)", 2, 1, false, from))
        return pages
    }

    @Test func messagesPage_IsByteIdentical_ToThePageThroughTheModel_ForEveryOptionalMember() throws {
        let (emulator, id) = try Self.richConversation()
        let docs = try emulator.emulator.store.read { db in
            try db.query("SELECT doc FROM message WHERE conversation_id = ?", [.text(id)]).map { try $0.string("doc") }
        }
        #expect(docs.count == Self.messageCount)
        // The conversation really holds what the page must carry through.
        let all = docs.joined()
        for member in ["reply_parts", "meta_data", "in_reply_to", "user_id", "org_actor_id", "日本語 🎉", "\\\"quoted\\\""]
        {
            #expect(all.contains(member), "\(member)")
        }
        #expect(docs.contains { $0.hasPrefix(#"{"message_parts":[],"#) }, "a message erased by the GDPR deletion")
        for (target, perPage, page, asc, from) in Self.messagePages(id, count: docs.count) {
            let response = emulator.send(.get, target)
            #expect(response.code == 200, "\(target): \(response.text)")
            let expected = try Self.messagesPageThroughTheModel(
                emulator, id, perPage: perPage, page: page, ascending: asc, fromTime: from)
            #expect(response.text == expected, "\(target)")
            #expect(response.response.body == Array(expected.utf8), "\(target)")
        }
    }

    // Fixtures (POST /_emulator/fixtures) store messages as the API does.
    @Test func messagesPage_IsByteIdentical_ForFixtureConversations() throws {
        let emulator = try TestEmulator()
        let host = EmulatorHost(emulator: emulator.emulator)
        let body: JSONValue = [
            "users": [["id": "u-1", "first_name": "Ü"]],
            "conversations": [
                "conversations": [
                    [
                        "conversation_id": "c-1", "channel_id": .string(Seeded.channel), "users": [["id": "u-1"]],
                        "messages": [
                            Seeded.userMessage(Self.awkwardText, from: "u-1"),
                            [
                                "id": "m-2", "message_parts": [["text": ["content": "Hi"]]], "actor_type": "agent",
                                "actor_id": .string(Seeded.priya), "created_time": "2024-01-15T10:00:05.000Z",
                                "meta_data": ["n": .double(2.5)],
                            ],
                        ],
                    ]
                ]
            ],
        ]
        let request = Request(
            method: .post, target: "/_emulator/fixtures",
            headers: HTTPHeaders([("Host", "localhost"), ("Authorization", "Bearer test-token")]),
            body: Array(body.serialized().utf8))
        let added = TestResponse(host.respond(to: request))
        #expect(added.code == 201, "\(added.text)")
        for (target, perPage, page, asc, from) in Self.messagePages("c-1", count: 2) {
            let response = emulator.send(.get, target)
            #expect(response.code == 200, "\(target): \(response.text)")
            let expected = try Self.messagesPageThroughTheModel(
                emulator, "c-1", perPage: perPage, page: page, ascending: asc, fromTime: from)
            #expect(response.text == expected, "\(target)")
        }
    }

    /// Sends a request through `host` (the control plane and the API) with the test token.
    private static func send(_ host: EmulatorHost, _ method: HTTPMethod, _ target: String, _ body: String)
        -> TestResponse
    {
        let request = Request(
            method: method, target: target,
            headers: HTTPHeaders([("Host", "localhost"), ("Authorization", "Bearer test-token")]),
            body: Array(body.utf8))
        return TestResponse(host.respond(to: request))
    }

    // A state document may spell a message object any way; the import rewrites it as the API answers it.
    @Test func stateImport_RewritesMessageDocs_AsAnswered_AndRefusesOneThatIsNotAMessage() throws {
        let (emulator, id) = try Self.richConversation()
        let host = EmulatorHost(emulator: emulator.emulator)
        let target = "/v2/conversations/\(id)/messages?items_per_page=50"
        let before = emulator.send(.get, target).text
        var document = Self.send(host, .get, "/_emulator/state", "").json.objectValue ?? JSONObject()
        var tables = document["tables"]?.objectValue ?? JSONObject()
        let rows = tables["message"]?.arrayValue ?? []
        #expect(rows.count == Self.messageCount)
        // Members reversed, an unknown member added, and white space around: the same message spelled differently.
        let respelled = rows.map { row -> JSONValue in
            var row = row.objectValue ?? JSONObject()
            let doc = (try? JSONParser.parse(row["doc"]?.stringValue ?? ""))?.objectValue ?? JSONObject()
            let reversed = JSONValue.object(JSONObject(doc.pairs.reversed() + [("unknown", "x")]))
            row["doc"] = .string(" " + reversed.serialized() + "\n")
            return .object(row)
        }
        #expect(respelled != rows)
        tables["message"] = .array(respelled)
        document["tables"] = .object(tables)
        let imported = Self.send(host, .put, "/_emulator/state", JSONValue.object(document).serialized())
        #expect(imported.code == 200, "\(imported.text)")
        #expect(emulator.send(.get, target).text == before)

        var broken = respelled
        guard !broken.isEmpty else { return }
        var row = broken[0].objectValue ?? JSONObject()
        row["doc"] = "[]"
        broken[0] = .object(row)
        tables["message"] = .array(broken)
        document["tables"] = .object(tables)
        expectError(
            Self.send(host, .put, "/_emulator/state", JSONValue.object(document).serialized()), 400, "BAD_REQUEST",
            mentioning: "tables.message")
        #expect(emulator.send(.get, target).text == before, "a refused import changes nothing")
    }

    // MARK: - Agents

    /// The agents page built through the model, as `GET /v2/agents` did before it served stored documents: the same
    /// agents (ids in the page's order), each read from its `doc` into an `Agent` and written back, in the envelope of
    /// `Pagination.response`.
    static func agentsPageThroughTheModel(_ emulator: TestEmulator, query: String, page: JSONValue) throws -> String {
        let pagination = try Pagination(QueryParameters(parsing: Substring(query)), rules: AgentsAPI.listRules)
        let ids = (page["agents"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        let agents = try emulator.emulator.store.read { db in try ids.compactMap { try db.agent(id: $0) } }
        #expect(agents.count == ids.count)
        let total = Int(page["pagination"]?["total_items"]?.intValue ?? -1)
        return pagination.response(
            key: "agents", items: agents.map(\.json), total: total, path: "/v2/agents", rel: "agent"
        )
        .serialized()
    }

    static let agentQueries = [
        "", "items_per_page=50", "items_per_page=2&page=2", "sort_by=first_name&sort_order=desc&items_per_page=3",
        "sort_by=created_time&page=3&items_per_page=1", "is_deactivated=true", "availability_status=UNAVAILABLE",
        "groups=\(Seeded.support)&sort_by=last_name", "items_per_page=5&page=99", "extra=%C3%BC%20x&items_per_page=2",
    ]

    @Test func agentsPage_IsByteIdentical_ToThePageThroughTheModel_OverTheSeedAndFixtureAgents() throws {
        let emulator = try TestEmulator()
        // Fixture agents in the shortest form the seed accepts, one with awkward text; and one made by the API.
        let host = EmulatorHost(emulator: emulator.emulator)
        let fixtures: JSONValue = [
            "agents": [
                ["id": "a-min", "email": "min@example.com"],
                [
                    "id": "a-odd", "email": "odd@example.com", "first_name": .string(Self.awkwardText),
                    "agent_capacity": .double(3), "unknown": "dropped", "role_id": "AGENT",
                ],
            ]
        ]
        let request = Request(
            method: .post, target: "/_emulator/fixtures",
            headers: HTTPHeaders([("Host", "localhost"), ("Authorization", "Bearer test-token")]),
            body: Array(fixtures.serialized().utf8))
        let added = TestResponse(host.respond(to: request))
        #expect(added.code == 201, "\(added.text)")
        let created = emulator.send(
            .post, "/v2/agents", body: #"{"email":"new@example.com","first_name":"Nú","groups":["\#(Seeded.sales)"]}"#)
        #expect(created.code == 201 || created.code == 200, "\(created.text)")
        for query in Self.agentQueries {
            let response = emulator.send(.get, "/v2/agents?" + query)
            #expect(response.code == 200, "\(query): \(response.text)")
            let expected = try Self.agentsPageThroughTheModel(emulator, query: query, page: response.json)
            #expect(response.text == expected, "\(query)")
        }
        let everything = emulator.send(.get, "/v2/agents?items_per_page=100").json["agents"]?.arrayValue ?? []
        let count = try emulator.emulator.store.read { try $0.scalarInt("SELECT count(*) FROM agent") }
        #expect(everything.count == count)
        // The shortest fixture agent is answered with every documented attribute (docs L1874–1927).
        #expect(
            everything.first { $0["id"] == "a-min" }?.objectValue?.keys
                == Agent(id: "a", createdTime: 0, email: "e").json.objectValue?.keys)
    }

    // A store written by an older emulator holds agents.json items as written; opening it rewrites them as answered.
    @Test func openingAStore_RewritesAgentDocs_AsTheModelAnswersThem() throws {
        let path = "/tmp/freshchat-agents-open-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let raw = #"{ "email": "raw@example.com", "id": "a-raw", "first_name": "Raw", "extra": [1, 2.50] }"#
        let expected: String
        do {
            let store = try Store(path: path)
            try store.write { db in
                try db.execute(
                    """
                    INSERT INTO agent (id, email, first_name, last_name, created_time, is_deactivated,
                        availability_status, role_id, doc) VALUES ('a-raw', 'raw@example.com', 'Raw', NULL, 0, 0,
                        'AVAILABLE', NULL, ?)
                    """,
                    [.text(raw)])
            }
            expected = try store.read { db in try #require(try db.agent(id: "a-raw")).json.serialized() }
            #expect(try store.read { try $0.nonCanonicalAgentDocs().map(\.id) } == ["a-raw"])
            store.close()
        }
        let reopened = try Store(path: path)
        defer { reopened.close() }
        let doc = try reopened.read { try $0.scalarString("SELECT doc FROM agent WHERE id = 'a-raw'") }
        #expect(doc == expected)
        #expect(doc != raw)
        #expect(try reopened.read { try $0.nonCanonicalAgentDocs().isEmpty })
    }

    // A state document may spell an agent object any way; the import rewrites it as the API answers it.
    @Test func stateImport_RewritesAgentDocs_AsAnswered() throws {
        let emulator = try TestEmulator()
        let host = EmulatorHost(emulator: emulator.emulator)
        let before = emulator.send(.get, "/v2/agents?items_per_page=100").text
        var document = Self.send(host, .get, "/_emulator/state", "").json.objectValue ?? JSONObject()
        var tables = document["tables"]?.objectValue ?? JSONObject()
        let rows = tables["agent"]?.arrayValue ?? []
        #expect(!rows.isEmpty)
        let respelled = rows.map { row -> JSONValue in
            var row = row.objectValue ?? JSONObject()
            let doc = (try? JSONParser.parse(row["doc"]?.stringValue ?? ""))?.objectValue ?? JSONObject()
            row["doc"] = .string(JSONValue.object(JSONObject(doc.pairs.reversed())).serialized())
            return .object(row)
        }
        #expect(respelled != rows)
        tables["agent"] = .array(respelled)
        document["tables"] = .object(tables)
        let imported = Self.send(host, .put, "/_emulator/state", JSONValue.object(document).serialized())
        #expect(imported.code == 200, "\(imported.text)")
        #expect(emulator.send(.get, "/v2/agents?items_per_page=100").text == before)
        #expect(try emulator.emulator.store.read { try $0.nonCanonicalAgentDocs().isEmpty })
    }
}
