import HTTP
import Testing

@testable import FreshchatEmulator

/// List all outbound messages (docs L3302–3372): every message or those of one request, with the shared pagination.
@Suite struct OutboundMessagesListTests {
    /// The `to` of each message of a list response.
    static func recipients(_ list: JSONValue) -> [String] {
        (list["outbound_messages"]?.arrayValue ?? []).map { $0["to"]?["phone_number"]?.stringValue ?? "?" }
    }

    /// `+1415555` followed by four digits of `n`.
    static func number(_ n: Int) -> String {
        let digits = String(n)
        return "+1415555" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// An emulator with three requests one second apart: 2, 3 and 1 recipients (numbers 0–5 in order).
    static func threeRequests() throws -> (TestEmulator, [String]) {
        let emulator = try TestEmulator()
        var ids: [String] = []
        for range in [0..<2, 2..<5, 5..<6] {
            ids.append(emulator.outboundRequest(Outbound.make(to: range.map(number))))
            emulator.clock.advance(by: 1_000)
        }
        return (emulator, ids)
    }

    // docs L3327: "A successful request returns 200 along with all outbound messages from the Freshchat account, as
    // an array." — oldest first, each request's messages in the order of its `to`, with the shared pagination.
    @Test func list_WithoutRequestID_ReturnsEveryMessage_OldestFirst() throws {
        let (emulator, _) = try Self.threeRequests()
        let list = emulator.listOutbound("/v2/outbound-messages")
        #expect(list.objectValue?.keys == ["outbound_messages", "pagination", "links"])
        #expect(Self.recipients(list) == (0..<6).map(Self.number))
        #expect(list["pagination"] == ["total_items": 6, "total_pages": 1, "current_page": 1, "items_per_page": 100])
    }

    // docs L3313–3314: request_id "limits the bulk response to only outbound messages associated with a specific
    // request".
    @Test func list_WithRequestID_ReturnsOnlyThatRequestsMessages() throws {
        let (emulator, ids) = try Self.threeRequests()
        let list = emulator.listOutbound("/v2/outbound-messages?request_id=\(ids[1])")
        #expect(Self.recipients(list) == (2..<5).map(Self.number))
        #expect(list["pagination"]?["total_items"] == 3)
    }

    // docs L3313: request_id is a filter on the list, not a resource path: a request_id that matches nothing gives an
    // empty list (200), as does an empty one.
    @Test(arguments: ["5841b28c-7869-474f-9b25-c2b1ba9aa7b9", ""])
    func list_WithUnknownRequestID_IsEmpty(requestID: String) throws {
        let (emulator, _) = try Self.threeRequests()
        let response = emulator.send(.get, "/v2/outbound-messages?request_id=\(requestID)")
        #expect(response.code == 200)
        #expect(response.json["outbound_messages"] == [])
        #expect(response.json["pagination"]?["total_items"] == 0)
    }

    // docs L3327: "all outbound messages from the Freshchat account, as an array" — none yet, an empty array.
    @Test func list_OfAFreshAccount_IsEmpty() throws {
        let emulator = try TestEmulator()
        #expect(emulator.listOutbound("/v2/outbound-messages")["outbound_messages"] == [])
    }

    // docs L2985–2987: messages are listed from the moment they are Accepted, before any job has run.
    @Test func list_ShowsAcceptedMessages_AtOnce() throws {
        let emulator = try TestEmulator()
        let id = emulator.outboundRequest(Outbound.make(to: [Self.number(1), Self.number(2)]))
        #expect(emulator.outboundStatuses(id) == ["Accepted", "Accepted"])
    }

    // Shared pagination (docs L410): items_per_page and page walk the list; links keep request_id and point to the
    // next, previous, first and last pages.
    @Test func list_IsPaged_WithLinksThatKeepTheRequestID() throws {
        let (emulator, ids) = try Self.threeRequests()
        let page = emulator.listOutbound("/v2/outbound-messages?request_id=\(ids[1])&items_per_page=2&page=2")
        #expect(Self.recipients(page) == [Self.number(4)])
        #expect(page["pagination"] == ["total_items": 3, "total_pages": 2, "current_page": 2, "items_per_page": 2])
        let base = "/v2/outbound-messages?request_id=\(ids[1])&sort_by=created_on&items_per_page=2&sort_order=asc"
        #expect(page["links"]?["prev_page"]?["href"] == .string(base + "&page=1"))
        #expect(page["links"]?["first_page"]?["href"] == .string(base + "&page=1"))
        #expect(page["links"]?["last_page"]?["href"] == .string(base + "&page=2"))
        #expect(page["links"]?["next_page"] == nil)
        #expect(page["links"]?["first_page"]?["rel"] == "outbound_message")
        let first = emulator.listOutbound(page["links"]?["first_page"]?["href"]?.stringValue ?? "")
        #expect(Self.recipients(first) == [Self.number(2), Self.number(3)])
    }

    // docs L3327: "all outbound messages from the Freshchat account" — following next_page from the first page
    // visits every message once.
    @Test func list_FollowingNextPage_VisitsEveryMessageOnce() throws {
        let (emulator, _) = try Self.threeRequests()
        var seen: [String] = []
        var next: String? = "/v2/outbound-messages?items_per_page=4"
        while let target = next, seen.count < 20 {
            let page = emulator.listOutbound(target)
            seen += Self.recipients(page)
            next = page["links"]?["next_page"]?["href"]?.stringValue
        }
        #expect(seen == (0..<6).map(Self.number))
    }

    // A page holds at most 100 messages, the default (docs L3327 "all outbound messages"; L339 the largest page).
    @Test func list_Holds100PerPage_AtMost() throws {
        let emulator = try TestEmulator()
        _ = emulator.outboundRequest(Outbound.make(to: (0..<101).map(Self.number)))
        let first = emulator.listOutbound("/v2/outbound-messages")
        #expect(Self.recipients(first) == (0..<100).map(Self.number))
        #expect(first["pagination"]?["total_pages"] == 2)
        let clamped = emulator.listOutbound("/v2/outbound-messages?items_per_page=9999&page=2")
        #expect(Self.recipients(clamped) == [Self.number(100)])
    }

    // Shared pagination (docs L410: "sort_order=asc" in the users list links): sort_order=desc lists newest first, the
    // messages of one request in reverse `to` order.
    @Test func list_SortOrderDesc_IsNewestFirst() throws {
        let (emulator, _) = try Self.threeRequests()
        let list = emulator.listOutbound("/v2/outbound-messages?sort_order=desc")
        #expect(Self.recipients(list) == (0..<6).reversed().map(Self.number))
    }

    // Shared pagination (docs L410): page, items_per_page, sort_order and sort_by are checked as on every list, 400
    // naming the parameter; created_on (docs L2993) is the one sort field.
    @Test(arguments: ["page=0", "items_per_page=x", "sort_order=up", "sort_by=status"])
    func list_RejectsInvalidPagination(query: String) throws {
        let emulator = try TestEmulator()
        let name = String(query.prefix { $0 != "=" })
        expectError(emulator.send(.get, "/v2/outbound-messages?\(query)"), 400, "BAD_REQUEST", mentioning: name)
    }

    // docs L3307: GET /v2/outbound-messages; L3271: POST /v2/outbound-messages/whatsapp — other methods are 405.
    @Test func otherMethods_Are405() throws {
        let emulator = try TestEmulator()
        #expect(emulator.send(.post, "/v2/outbound-messages", body: "{}").code == 405)
        #expect(emulator.send(.get, Outbound.path).code == 405)
    }

    // docs L74: every /v2 request needs a bearer token.
    @Test func outboundMessages_NeedABearerToken() throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.get, "/v2/outbound-messages", token: nil), 401, "UNAUTHENTICATED")
        expectError(
            emulator.send(.post, Outbound.path, body: Outbound.make().serialized(), token: nil), 401,
            "UNAUTHENTICATED")
    }
}
