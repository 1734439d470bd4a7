import HTTP
import Testing

@testable import FreshchatEmulator

/// The shared pagination mechanism (docs' users L410, agents L2042 and roles L2920 examples).
@Suite struct PaginationTests {
    let rules = Pagination.Rules(
        defaultItemsPerPage: 10, maxItemsPerPage: 100, sortFields: ["name", "email"], defaultSortBy: "name")

    func parse(_ query: String) throws(APIError) -> Pagination {
        try Pagination(QueryParameters(parsing: query[...]), rules: rules)
    }

    @Test func defaults_Apply_WhenParametersAreAbsent() throws {
        let p = try parse("")
        #expect(p.page == 1)
        #expect(p.itemsPerPage == 10)
        #expect(p.sortOrder == .asc)
        #expect(p.sortBy == "name")
        #expect(p.offset == 0)
    }

    @Test func itemsPerPage_IsClamped_AboveTheMaximum() throws {
        #expect(try parse("items_per_page=9999").itemsPerPage == 100)
        #expect(try parse("items_per_page=100").itemsPerPage == 100)
        #expect(try parse("items_per_page=99999999999999999999").itemsPerPage == 100)
    }

    @Test(arguments: [
        "page=0", "page=-1", "page=abc", "page=", "page=1.5", "items_per_page=0", "items_per_page=x",
        "items_per_page=-5", "sort_order=up", "sort_by=password",
    ])
    func invalidValues_AreRejected(query: String) {
        #expect(throws: APIError.self) { try parse(query) }
        do {
            _ = try parse(query)
        } catch {
            let name = String(query.prefix { $0 != "=" })
            #expect(error.message.contains(name))
            #expect(error.httpStatus.code == 400)
        }
    }

    @Test func response_CarriesPaginationAndLinks() throws {
        let p = try parse("first_name=Alice&page=2&items_per_page=2&sort_order=desc")
        let body = p.response(key: "users", items: [1, 2], total: 5, path: "/v2/users", rel: "user")
        #expect(
            body["pagination"]
                == ["total_items": 5, "total_pages": 3, "current_page": 2, "items_per_page": 2])
        let base = "/v2/users?first_name=Alice&sort_by=name&items_per_page=2&sort_order=desc&page="
        #expect(body["links"]?["first_page"] == ["href": .string(base + "1"), "rel": "user", "type": "GET"])
        #expect(body["links"]?["last_page"]?["href"]?.stringValue == base + "3")
        #expect(body["links"]?["next_page"]?["href"]?.stringValue == base + "3")
        #expect(body["links"]?["prev_page"]?["href"]?.stringValue == base + "1")
        #expect(body["users"] == [1, 2])
    }

    @Test func links_OmitNextAndPrev_OnASinglePage() throws {
        let body = try parse("").response(key: "roles", items: [], total: 0, path: "/v2/roles", rel: "role")
        #expect(body["links"]?["next_page"] == nil)
        #expect(body["links"]?["prev_page"] == nil)
        #expect(body["pagination"]?["total_pages"] == 1)
    }

    @Test func links_ReencodeFilterValues() throws {
        let p = try parse("email=a%2Bb%40x.com&name=A+B")
        let body = p.response(key: "users", items: [], total: 1, path: "/v2/users", rel: "user")
        let href = body["links"]?["first_page"]?["href"]?.stringValue ?? ""
        #expect(href.hasPrefix("/v2/users?email=a%2Bb@x.com&name=A%20B&"))
        let reparsed = QueryParameters(parsing: href.split(separator: "?")[1])
        #expect(reparsed["email"] == "a+b@x.com")
        #expect(reparsed["name"] == "A B")
    }
}
