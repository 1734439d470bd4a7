import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// List all roles (docs L2825–2921), `GET /v2/roles`.
@Suite struct RolesTests {
    /// docs L2920, the list example, verbatim.
    static let docsExample = """
        { "roles": [ { "id": "ACCOUNT_ADMIN", "name": "Account Admin", "is_custom_role": false, "description": \
        "Primary stakeholder for the business account." }, { "id": "ADMIN", "name": "Admin", "is_custom_role": false, \
        "description": "Stakeholder with all Admin permissions." }, { "id": "AGENT", "name": "Agent", \
        "is_custom_role": false, "description": "Account partner with agent level permissions." }, { "id": \
        "8bee5c99-2695-436c-a266-5cb310190406", "name": "Internal agent", "is_custom_role": true, "description": \
        "Account executive identified as an internal agent." }], "pagination": { "total_items": 37, "total_pages": 4, \
        "current_page": 1, "items_per_page": 10 }, "links": { "next_page": { "href": \
        "/v2/roles?sort_by=name&items_per_page=10&sort_order=asc&page=2", "rel": "role", "type": "GET" }, \
        "first_page": { "href": "/v2/roles?sort_by=name&items_per_page=10&sort_order=asc&page=1", "rel": "role", \
        "type": "GET" }, "last_page": { "href": "/v2/roles?sort_by=name&items_per_page=10&sort_order=asc&page=4", \
        "rel": "role", "type": "GET" } } }
        """

    /// The seeded roles (seed/roles.json: the four of L2920) and 33 more custom roles, 37 as in L2920. The public API
    /// cannot create roles, so they go straight into the store.
    static func makeEmulatorWith37Roles() throws -> TestEmulator {
        let emulator = try TestEmulator()
        try emulator.emulator.store.write { db in
            for number in 1...33 {
                let name = "Team role \(number < 10 ? "0" : "")\(number)"
                let id = "00000000-0000-4000-8000-0000000a00\(number < 10 ? "0" : "")\(number)"
                let doc: JSONValue = [
                    "id": .string(id), "name": .string(name), "is_custom_role": true, "description": "A custom role.",
                ]
                try db.execute(
                    "INSERT INTO role (id, name, position, doc) VALUES (?, ?, ?, ?)",
                    [.text(id), .text(name), .integer(Int64(3 + number)), .text(doc.serialized())])
            }
        }
        return emulator
    }

    // docs L2863: "curl -X GET "https://<account>.freshchat.com/v2/roles?page=1&items_per_page=10&sort_order=asc&
    // sort_by=name"" answered by L2920: its first four roles, its pagination and its links exactly.
    @Test(arguments: TestMode.allCases)
    func list_AnswersLikeTheDocsExample(mode: TestMode) throws {
        let emulator = try Self.makeEmulatorWith37Roles().client(mode)
        let response = emulator.send(.get, "/v2/roles?page=1&items_per_page=10&sort_order=asc&sort_by=name")
        #expect(response.code == 200, "\(response.text)")
        let expected = try JSONParser.parse(Self.docsExample)
        let body = response.json
        #expect(body.objectValue?.keys == ["roles", "pagination", "links"])
        #expect(body["roles"]?.arrayValue?.prefix(4).map { $0 } == expected["roles"]?.arrayValue)
        #expect(body["roles"]?.arrayValue?.count == 10)
        #expect(body["pagination"] == expected["pagination"])
        #expect(body["links"] == expected["links"])
    }

    // docs L2920: "next_page" … "page=2" up to "last_page" … "page=4"; following next_page reaches every role once.
    @Test func list_FollowsNextPageLinks_ToTheLastPage() throws {
        let emulator = try Self.makeEmulatorWith37Roles()
        let pages = emulator.walkPages(
            "/v2/roles?page=1&items_per_page=10&sort_order=asc&sort_by=name", key: "roles", rel: "role")
        #expect(pages.map(\.names.count) == [10, 10, 10, 7])
        #expect(
            pages.map(\.nextHref) == [
                "/v2/roles?sort_by=name&items_per_page=10&sort_order=asc&page=2",
                "/v2/roles?sort_by=name&items_per_page=10&sort_order=asc&page=3",
                "/v2/roles?sort_by=name&items_per_page=10&sort_order=asc&page=4", nil,
            ])
        #expect(pages.last?.names.last == "Team role 33")
        #expect(Set(pages.flatMap(\.names)).count == 37)
    }

    // docs L2863: sort_order=asc; desc reverses the name order.
    @Test func list_SortsByNameDescending() throws {
        let emulator = try TestEmulator()
        let pages = emulator.walkPages(
            "/v2/roles?items_per_page=3&sort_by=name&sort_order=desc", key: "roles", rel: "role")
        #expect(pages.map(\.names) == [["Internal agent", "Agent", "Admin"], ["Account Admin"]])
        #expect(pages.first?.nextHref == "/v2/roles?sort_by=name&items_per_page=3&sort_order=desc&page=2")
    }

    // docs L2848: "is_custom_role boolean Specifies whether the role is a custom role." — false for the default roles
    // (L2827), true for a configured one (L2920).
    @Test func list_TellsDefaultRolesFromCustomRoles() throws {
        let emulator = try TestEmulator()
        let roles = emulator.send(.get, "/v2/roles").json["roles"]?.arrayValue ?? []
        #expect(
            roles.map { $0["id"]?.stringValue ?? "?" } == [
                "ACCOUNT_ADMIN", "ADMIN", "AGENT", "8bee5c99-2695-436c-a266-5cb310190406",
            ])
        #expect(roles.map { $0["is_custom_role"] } == [false, false, false, true])
        // docs L2842: the role object's attributes in order.
        #expect(roles.allSatisfy { $0.objectValue?.keys == ["id", "name", "is_custom_role", "description"] })
    }

    // Without sort_by the roles come in configured order and the links carry no sort_by.
    @Test func list_AnswersConfiguredOrder_WithoutSortBy() throws {
        let emulator = try Self.makeEmulatorWith37Roles()
        let body = emulator.send(.get, "/v2/roles?items_per_page=5&page=2").json
        #expect(
            body.names("roles") == ["Team role 02", "Team role 03", "Team role 04", "Team role 05", "Team role 06"])
        #expect(body["links"]?.objectValue?.keys == ["next_page", "prev_page", "first_page", "last_page"])
        #expect(body["links"]?["prev_page"]?["href"] == "/v2/roles?items_per_page=5&sort_order=asc&page=1")
    }

    // docs L2863: sort_by=name is the documented sort; anything else is refused naming the parameter.
    @Test func list_IsRejected_WhenSortByIsNotName() throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.get, "/v2/roles?sort_by=is_custom_role"), 400, "BAD_REQUEST", mentioning: "sort_by")
    }
}
