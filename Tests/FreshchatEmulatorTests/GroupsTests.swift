import HTTP
import Testing

@testable import FreshchatEmulator

/// List all groups (docs L2368–2514), `GET /v2/groups`.
@Suite struct GroupsTests {
    /// The seeded groups in configured order (seed/groups.json: the docs' Sales, Support, Automation of L2459, then
    /// Billing of the conversation examples).
    static let configuredOrder = ["Sales", "Support", "Automation", "Billing"]

    // docs L2432: "A successful request returns a 200 OK along with the groups array. Each array element is a group
    // object. … The response also contains response parameters pertaining to pagination."
    @Test(arguments: TestMode.allCases)
    func list_AnswersTheGroupsArray_WithPagination(mode: TestMode) throws {
        let emulator = try TestEmulator().client(mode)
        let response = emulator.send(.get, "/v2/groups")
        #expect(response.code == 200, "\(response.text)")
        #expect(response.headers["Content-Type"] == "application/json")
        let body = response.json
        #expect(body.objectValue?.keys == ["groups", "pagination", "links"])
        #expect(body.names("groups") == Self.configuredOrder)
        #expect(body["pagination"] == ["total_items": 4, "total_pages": 1, "current_page": 1, "items_per_page": 10])
        #expect(body["links"]?.objectValue?.keys == ["first_page", "last_page"])
        #expect(
            body["links"]?["first_page"] == [
                "href": "/v2/groups?items_per_page=10&sort_order=asc&page=1", "rel": "group", "type": "GET",
            ])
    }

    // docs L2386: the group object { "id", "name", "description", "routing_type", "routing_logic" }; L2459 (Example
    // 1) shows Sales with id d56d224e-1a7c-4520-8134-074143f8d958.
    @Test func list_AnswersGroupObjects_InTheDocsAttributeOrder() throws {
        let emulator = try TestEmulator()
        let groups = emulator.send(.get, "/v2/groups").json["groups"]?.arrayValue ?? []
        #expect(groups.count == 4)
        for group in groups {
            #expect(group.objectValue?.keys == ["id", "name", "description", "routing_type", "routing_logic"])
        }
        #expect(
            groups.first
                == [
                    "id": "d56d224e-1a7c-4520-8134-074143f8d958", "name": "Sales",
                    "description": "Group to handle Sales related queries", "routing_type": "INTELLIASSIGN",
                    "routing_logic": "ROUND_ROBIN",
                ])
    }

    // docs L2393–2410: routing_type is INTELLIASSIGN, OCR or DISABLED; "If routing_type is INTELLIASSIGN, the
    // routing_logic can be one of the following: LOAD_BASED, ROUND_ROBIN"; "If routing_type is OCR, the routing_logic
    // is OCR."; a DISABLED group shows the account-level logic (L2410).
    @Test func list_AnswersTheDocumentedRoutingTypeAndLogic() throws {
        let emulator = try TestEmulator()
        let groups = emulator.send(.get, "/v2/groups").json["groups"]?.arrayValue ?? []
        let routing = groups.map { [$0["routing_type"]?.stringValue ?? "?", $0["routing_logic"]?.stringValue ?? "?"] }
        #expect(
            routing == [
                ["INTELLIASSIGN", "ROUND_ROBIN"], ["DISABLED", "ROUND_ROBIN"], ["OCR", "OCR"],
                ["INTELLIASSIGN", "LOAD_BASED"],
            ])
    }

    // docs L2428: "/v2/groups?page=1&items_per_page=10&sort_order=asc&sort_by=name" — sorted by name; links put
    // sort_by first, as the roles example does (L2920).
    @Test func list_FollowsNextPageLinks_ToTheLastPage_SortedByName() throws {
        let emulator = try TestEmulator()
        let pages = emulator.walkPages(
            "/v2/groups?page=1&items_per_page=3&sort_order=asc&sort_by=name", key: "groups", rel: "group")
        #expect(pages.map(\.names) == [["Automation", "Billing", "Sales"], ["Support"]])
        #expect(
            pages.map(\.nextHref) == ["/v2/groups?sort_by=name&items_per_page=3&sort_order=asc&page=2", nil])
    }

    // docs L2428: sort_order asc or desc.
    @Test func list_SortsByNameDescending() throws {
        let emulator = try TestEmulator()
        let pages = emulator.walkPages(
            "/v2/groups?items_per_page=1&sort_by=name&sort_order=desc", key: "groups", rel: "group")
        #expect(pages.map(\.names) == [["Support"], ["Sales"], ["Billing"], ["Automation"]])
    }

    // Without sort_by the groups come in configured order (the order of the docs' examples, L2459); desc reverses it.
    @Test func list_ReversesTheConfiguredOrder_WhenDescendingWithoutSortBy() throws {
        let emulator = try TestEmulator()
        #expect(
            emulator.send(.get, "/v2/groups?sort_order=desc").json.names("groups") == Self.configuredOrder.reversed())
    }

    // docs L2428: sort_by=name is the documented sort; anything else is refused naming the parameter.
    @Test func list_IsRejected_WhenSortByIsNotName() throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.get, "/v2/groups?sort_by=routing_type"), 400, "BAD_REQUEST", mentioning: "sort_by")
    }

    // A page past the last one is empty and links back.
    @Test func list_AnswersAnEmptyPage_PastTheLastPage() throws {
        let emulator = try TestEmulator()
        let body = emulator.send(.get, "/v2/groups?page=3&items_per_page=2").json
        #expect(body["groups"] == [])
        #expect(body["pagination"]?["total_pages"] == 2)
        #expect(body["links"]?["prev_page"]?["href"] == "/v2/groups?items_per_page=2&sort_order=asc&page=2")
    }
}

// MARK: - Shared list helpers (Groups, Channels, Roles)

/// One page of a list response.
struct ListPage {
    var body: JSONValue
    var key: String
    /// The `name` of each item.
    var names: [String] { body.names(key) }
    /// The `links.next_page.href`, nil on the last page.
    var nextHref: String? { body["links"]?["next_page"]?["href"]?.stringValue }
}

extension JSONValue {
    /// The `name` of each item of the list `key`.
    func names(_ key: String) -> [String] {
        (self[key]?.arrayValue ?? []).map { $0["name"]?.stringValue ?? "?" }
    }
}

extension EmulatorClient {
    /// Requests `target`, then follows `links.next_page` to the last page, checking on each page the 200, the
    /// pagination block and every link's `rel` and `type`.
    /// - Returns: the pages in order.
    func walkPages(
        _ target: String, key: String, rel: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [ListPage] {
        var pages: [ListPage] = []
        var next: String? = target
        while let href = next, pages.count < 50 {
            let response = send(.get, href)
            #expect(response.code == 200, "\(href): \(response.text)", sourceLocation: sourceLocation)
            let page = ListPage(body: response.json, key: key)
            #expect(
                page.body["pagination"]?["current_page"] == .integer(Int64(pages.count + 1)),
                sourceLocation: sourceLocation)
            for (name, link) in page.body["links"]?.objectValue?.pairs ?? [] {
                #expect(link["rel"] == .string(rel), "\(name)", sourceLocation: sourceLocation)
                #expect(link["type"] == "GET", "\(name)", sourceLocation: sourceLocation)
            }
            pages.append(page)
            next = page.nextHref
        }
        let totalPages = pages.first?.body["pagination"]?["total_pages"]
        #expect(totalPages == .integer(Int64(pages.count)), sourceLocation: sourceLocation)
        #expect(
            pages.last?.body["links"]?["last_page"]?["href"] == pages.first?.body["links"]?["last_page"]?["href"],
            sourceLocation: sourceLocation)
        return pages
    }
}
