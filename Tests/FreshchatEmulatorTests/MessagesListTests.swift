import HTTP
import Testing

@testable import FreshchatEmulator

/// List messages in a conversation (docs L1487–1644): newest first, from_time, page, items_per_page, the link.
@Suite struct MessagesListTests {
    /// A conversation whose first message is at the start time, then `count` agent messages "m1"… one ms apart.
    static func conversation(withMessages count: Int) throws -> (TestEmulator, String) {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        let id = try emulator.startConversation(Seeded.createBody([("messages", [Seeded.userMessage("m0")])]))
        for n in stride(from: 1, through: count, by: 1) {
            emulator.clock.advance(by: 1)
            let response = emulator.sendMessage(id, Seeded.agentMessage("m\(n)"))
            #expect(response.code == 200, "\(response.text)")
        }
        return (emulator, id)
    }

    static func contents(_ page: JSONValue) -> [String] {
        (page["messages"]?.arrayValue ?? []).map {
            $0["message_parts"]?.arrayValue?.first?["text"]?["content"]?.stringValue ?? "?"
        }
    }

    /// Follows `link.href` from `target` until a page has no link; returns every page.
    static func allPages(_ emulator: TestEmulator, from target: String) -> [JSONValue] {
        var pages: [JSONValue] = []
        var next: String? = target
        while let target = next, pages.count < 20 {
            let response = emulator.send(.get, target)
            #expect(response.code == 200, "\(target): \(response.text)")
            pages.append(response.json)
            next = response.json["link"]?["href"]?.stringValue
        }
        return pages
    }

    // docs L1512: items_per_page "Default value: 20"; L1644: the example lists the newest message first and links
    // the next page as {"rel": "self", "href": "/v2/conversations/…/messages?1=1&page=2&items_per_page=50&…"}.
    @Test func list_ReturnsNewestFirst_20PerPage_WithALinkToTheNextPage() throws {
        let (emulator, id) = try Self.conversation(withMessages: 24)
        let response = emulator.send(.get, "/v2/conversations/\(id)/messages")
        #expect(response.code == 200)
        #expect(response.json.objectValue?.keys == ["messages", "link"])
        #expect(Self.contents(response.json) == (5...24).reversed().map { "m\($0)" })
        #expect(
            response.json["link"]
                == ["rel": "self", "href": .string("/v2/conversations/\(id)/messages?1=1&page=2&items_per_page=20")])
        let last = emulator.send(.get, "/v2/conversations/\(id)/messages?page=2")
        #expect(Self.contents(last.json) == ["m4", "m3", "m2", "m1", "m0"])
        #expect(last.json.objectValue?.keys == ["messages"])
    }

    // docs L1505: page "The page number starting from which the response data is to be retrieved."
    @Test func list_FollowingTheLinks_VisitsEveryMessageOnce_NewestFirst() throws {
        let (emulator, id) = try Self.conversation(withMessages: 11)
        let pages = Self.allPages(emulator, from: "/v2/conversations/\(id)/messages?items_per_page=3")
        #expect(pages.count == 4)
        #expect(pages.flatMap(Self.contents) == (0...11).reversed().map { "m\($0)" })
    }

    // docs L1500–1501: from_time "Limits the response to message objects whose created_time value is a time after
    // the parameter value or matches the parameter value."
    @Test func list_FromTime_IsInclusive_AtTheExactMillisecond() throws {
        let (emulator, id) = try Self.conversation(withMessages: 5)
        // m3 was sent at start + 1000 (the job's delay) + 3 ms.
        let from = Timestamp.format(TestEmulator.start + 1_003)
        let response = emulator.send(.get, "/v2/conversations/\(id)/messages?from_time=\(from)")
        #expect(Self.contents(response.json) == ["m5", "m4", "m3"])
        let later = Timestamp.format(TestEmulator.start + 1_004)
        #expect(
            Self.contents(emulator.send(.get, "/v2/conversations/\(id)/messages?from_time=\(later)").json) == [
                "m5", "m4",
            ])
    }

    // docs L1644: the link's href carries from_time ("…&items_per_page=50&from_time=2022-11-29T06:36:55.799Z").
    @Test func list_KeepsFromTimeInTheLink() throws {
        let (emulator, id) = try Self.conversation(withMessages: 6)
        let from = "2024-01-15T10:00:01.002Z"
        let pages = Self.allPages(emulator, from: "/v2/conversations/\(id)/messages?from_time=\(from)&items_per_page=2")
        #expect(
            pages.first?["link"]?["href"]
                == .string("/v2/conversations/\(id)/messages?1=1&page=2&items_per_page=2&from_time=\(from)"))
        #expect(pages.flatMap(Self.contents) == ["m6", "m5", "m4", "m3", "m2"])
    }

    // docs L1511: "A maximum of 50 message objects can be displayed in each page."
    @Test func list_ClampsItemsPerPage_To50() throws {
        let (emulator, id) = try Self.conversation(withMessages: 55)
        let response = emulator.send(.get, "/v2/conversations/\(id)/messages?items_per_page=9999")
        #expect(Self.contents(response.json).count == 50)
        #expect(
            response.json["link"]?["href"] == .string("/v2/conversations/\(id)/messages?1=1&page=2&items_per_page=50"))
        let exactly = emulator.send(.get, "/v2/conversations/\(id)/messages?items_per_page=50")
        #expect(Self.contents(exactly.json).count == 50)
        let under = emulator.send(.get, "/v2/conversations/\(id)/messages?items_per_page=49")
        #expect(Self.contents(under.json).count == 49)
    }

    // docs L1528: "The response data is limited by the query parameters passed in the request."
    @Test func list_IsEmpty_BeyondTheLastPage() throws {
        let (emulator, id) = try Self.conversation(withMessages: 2)
        let response = emulator.send(.get, "/v2/conversations/\(id)/messages?page=2")
        #expect(response.code == 200)
        #expect(response.json == ["messages": []])
        let huge = emulator.send(.get, "/v2/conversations/\(id)/messages?page=99999999999999999999&items_per_page=50")
        #expect(huge.code == 200, "\(huge.text)")
        #expect(huge.json == ["messages": []])
    }

    // docs L1500: from_time "Should be a date-time value specified in the UTC format."; L1505–1512 page, items_per_page.
    @Test(arguments: [
        ("items_per_page=0", "items_per_page"), ("items_per_page=abc", "items_per_page"), ("page=0", "page"),
        ("page=-1", "page"), ("from_time=yesterday", "from_time"), ("from_time=2022-12-01", "from_time"),
        ("sort_order=sideways", "sort_order"),
    ])
    func list_IsRejected_ForAnInvalidParameter(_ query: String, _ name: String) throws {
        let (emulator, id) = try Self.conversation(withMessages: 0)
        expectError(
            emulator.send(.get, "/v2/conversations/\(id)/messages?\(query)"), 400, "BAD_REQUEST", mentioning: name)
    }

    // docs L1489: "Identifies a conversation by the conversation_id passed in the request"; docs L45: the 404 shape.
    @Test func list_Is404_ForAnUnknownConversation() throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.get, "/v2/conversations/nope/messages"), 404, "CONVERSATION_NOT_FOUND")
    }

    // Messages of one millisecond keep the order they were sent in (newest first).
    @Test func list_OrdersMessagesOfTheSameMillisecond_BySending() throws {
        let (emulator, id) = try Self.conversation(withMessages: 0)
        for n in 1...3 { _ = emulator.sendMessage(id, Seeded.agentMessage("same\(n)")) }
        #expect(
            Self.contents(emulator.send(.get, "/v2/conversations/\(id)/messages").json) == [
                "same3", "same2", "same1", "m0",
            ])
    }
}
