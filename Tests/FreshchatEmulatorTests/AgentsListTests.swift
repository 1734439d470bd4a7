import HTTP
import Testing

@testable import FreshchatEmulator

extension AgentsTests {
    /// List all agents (docs L1929–2043), `GET /v2/agents`.
    @Suite struct List {
        /// The seeded agents' first names, in email order.
        static let all = ["Daniel", "Kenji", "Lena", "Marcus", "Priya", "Sofia"]

        // docs L1959: "GET …/v2/agents?page=1&items_per_page=2&sort_order=asc"; L2042: the response, its pagination
        // and its links — sort_by first, "rel": "agent", next_page, first_page, last_page in that order.
        @Test func list_AnswersLikeTheDocsExample() throws {
            let emulator = try TestEmulator()
            let body = emulator.listAgents("/v2/agents?page=1&items_per_page=2&sort_order=asc")
            #expect(body.objectValue?.keys == ["agents", "pagination", "links"])
            #expect(body.agents() == ["daniel.okafor@example.com", "kenji.sato@example.com"])
            #expect(body["agents"]?.arrayValue?.first?.objectValue?.keys == AgentsTests.attributes)
            #expect(body["pagination"] == ["total_items": 6, "total_pages": 3, "current_page": 1, "items_per_page": 2])
            #expect(body["links"]?.objectValue?.keys == ["next_page", "first_page", "last_page"])
            let hrefs = ["next_page": 2, "first_page": 1, "last_page": 3].mapValues {
                "/v2/agents?sort_by=email&items_per_page=2&sort_order=asc&page=\($0)"
            }
            for (key, href) in hrefs {
                #expect(body["links"]?[key] == ["href": .string(href), "rel": "agent", "type": "GET"], "\(key)")
            }
        }

        // Emulator decision: without pagination parameters a page holds 10 agents sorted by email ascending (the
        // docs' example links, L2042, sort by email), ignoring case as the email column does.
        @Test func list_Defaults_ToEmailAscending_IgnoringCase() throws {
            let emulator = try TestEmulator()
            emulator.createAgent(["email": "ZED@example.com", "first_name": "Zed"])
            emulator.createAgent(["email": "alice@example.com", "first_name": "Alice"])
            emulator.createAgent(["email": "Bob@example.com", "first_name": "Bob"])
            let body = emulator.listAgents("/v2/agents")
            #expect(body.agents("first_name") == ["Alice", "Bob"] + Self.all + ["Zed"])
            #expect(
                body["pagination"] == ["total_items": 9, "total_pages": 1, "current_page": 1, "items_per_page": 10])
            #expect(
                body["links"]?["first_page"]?["href"]
                    == "/v2/agents?sort_by=email&items_per_page=10&sort_order=asc&page=1")
        }

        // docs L1940–1952: is_deactivated, groups ("at least one of the groups value matches") and availability_status
        // limit the response, each to exact matches, together when combined.
        @Test(arguments: [
            ("is_deactivated=true", ["Lena"]),
            ("is_deactivated=false", ["Daniel", "Kenji", "Marcus", "Priya", "Sofia"]),
            ("groups=\(Seeded.support)", ["Priya", "Sofia"]), ("groups=\(Seeded.automation)", ["Daniel", "Kenji"]),
            ("groups=\(Seeded.billing)", ["Priya"]), ("groups=38dd7cdc-d022-4489-8cb5-4fdc35f0b5a7", []),
            ("groups=", []), ("groups=\(Seeded.sales.uppercased())", []),
            ("availability_status=AVAILABLE", ["Daniel", "Priya"]),
            ("availability_status=UNAVAILABLE", ["Kenji", "Lena", "Marcus", "Sofia"]),
            ("groups=\(Seeded.sales)&availability_status=UNAVAILABLE&is_deactivated=false", ["Marcus", "Sofia"]),
            ("groups=\(Seeded.sales)&availability_status=AVAILABLE", []),
            ("is_deactivated=true&availability_status=UNAVAILABLE", ["Lena"]),
        ])
        func list_Filters(query: String, firstNames: [String]) throws {
            let emulator = try TestEmulator()
            let body = emulator.listAgents("/v2/agents?\(query)")
            #expect(body.agents("first_name") == firstNames)
            #expect(body["pagination"]?["total_items"] == .integer(Int64(firstNames.count)))
        }

        // docs L1941: is_deactivated "Valid values: true, false"; L1950: availability_status "Valid values: AVAILABLE,
        // UNAVAILABLE" — anything else is a 400 naming the parameter.
        @Test(arguments: [
            ("is_deactivated=TRUE", "is_deactivated must be true or false, not 'TRUE'"),
            ("is_deactivated=1", "is_deactivated must be true or false, not '1'"),
            ("is_deactivated=", "is_deactivated must be true or false, not ''"),
            ("availability_status=available", "availability_status must be AVAILABLE or UNAVAILABLE, not 'available'"),
            ("availability_status=BUSY", "availability_status must be AVAILABLE or UNAVAILABLE, not 'BUSY'"),
            ("availability_status=", "availability_status must be AVAILABLE or UNAVAILABLE, not ''"),
        ])
        func list_Rejects_InvalidFilterValues(query: String, message: String) throws {
            let emulator = try TestEmulator()
            expectError(emulator.send(.get, "/v2/agents?\(query)"), 400, "BAD_REQUEST", mentioning: message)
        }

        // Parameters the docs do not list are ignored (and kept in the links).
        @Test func list_IgnoresUnknownParameters() throws {
            let emulator = try TestEmulator()
            let body = emulator.listAgents("/v2/agents?role_id=AGENT&email=x&limit=1")
            #expect(body.agents("first_name") == Self.all)
            #expect(
                body["links"]?["last_page"]?["href"]
                    == "/v2/agents?role_id=AGENT&email=x&limit=1&sort_by=email&items_per_page=10&sort_order=asc&page=1")
        }

        // Emulator decision: sort_by takes email, first_name, last_name and created_time, in both directions.
        @Test(arguments: [
            ("email", ["Zoe"] + all), ("first_name", all + ["Zoe"]),
            ("last_name", ["Zoe", "Lena", "Sofia", "Daniel", "Priya", "Kenji", "Marcus"]),
            ("created_time", ["Lena", "Daniel", "Marcus", "Priya", "Sofia", "Kenji", "Zoe"]),
        ])
        func list_Sorts_InBothDirections(sortBy: String, ascending: [String]) throws {
            let emulator = try TestEmulator()
            emulator.createAgent(["email": "aaa@example.com", "first_name": "Zoe", "last_name": "Adams"])
            let base = "/v2/agents?sort_by=\(sortBy)"
            #expect(emulator.listAgents(base + "&sort_order=asc").agents("first_name") == ascending)
            #expect(emulator.listAgents(base + "&sort_order=desc").agents("first_name") == ascending.reversed())
            #expect(emulator.listAgents(base).agents("first_name") == ascending, "sort_order defaults to asc")
        }

        @Test(arguments: [
            ("sort_by=updated_time", "sort_by"), ("sort_by=phone", "sort_by"), ("sort_order=up", "sort_order"),
            ("page=0", "page"), ("items_per_page=x", "items_per_page"),
        ])
        func list_Rejects_InvalidPaginationParameters(query: String, name: String) throws {
            let emulator = try TestEmulator()
            expectError(emulator.send(.get, "/v2/agents?\(query)"), 400, "BAD_REQUEST", mentioning: name)
        }

        // docs L1963: "The response data is limited by the query and pagination parameters … The response also contains
        // response parameters pertaining to pagination." Following next_page from the first page visits every agent of
        // the filter once, in order, and stops at the last page.
        @Test func list_Links_VisitEveryPage_WhenFollowed() throws {
            let emulator = try TestEmulator()
            // Every third email capitalised: the order ignores case.
            let emails = (0..<20).map { n in
                (n.isMultiple(of: 3) ? "Page" : "page") + (n < 10 ? "0\(n)" : "\(n)") + "@x.com"
            }
            for email in emails.reversed() {
                emulator.createAgent(["email": .string(email), "groups": [.string(Seeded.sales)]])
            }
            emulator.createAgent(["email": "elsewhere@example.com", "groups": [.string(Seeded.billing)]])
            let expected = ["marcus.webb@example.com"] + emails + ["sofia.lindqvist@example.com"]
            var target: String? = "/v2/agents?groups=\(Seeded.sales)&items_per_page=5"
            var seen: [String] = []
            var pages: [JSONValue] = []
            while let next = target, pages.count < 10 {
                let body = emulator.listAgents(next)
                pages.append(body)
                seen += body.agents()
                target = body["links"]?["next_page"]?["href"]?.stringValue
            }
            #expect(seen == expected)
            #expect(pages.map { $0.agents().count } == [5, 5, 5, 5, 2])
            #expect(pages.map { $0["pagination"]?["current_page"] } == [1, 2, 3, 4, 5])
            #expect(
                pages.allSatisfy { $0["pagination"]?["total_items"] == 22 && $0["pagination"]?["total_pages"] == 5 })
            #expect(pages[0]["links"]?["prev_page"] == nil)
            #expect(pages[4]["links"]?["next_page"] == nil)
            #expect(
                pages[1]["links"]?["next_page"]?["href"]
                    == .string("/v2/agents?groups=\(Seeded.sales)&sort_by=email&items_per_page=5&sort_order=asc&page=3")
            )
            let back = emulator.listAgents(pages[4]["links"]?["prev_page"]?["href"]?.stringValue ?? "")
            #expect(back.agents() == Array(expected[15..<20]))
            #expect(
                emulator.listAgents(pages[2]["links"]?["last_page"]?["href"]?.stringValue ?? "").agents()
                    == Array(expected[20...]))
        }
    }
}
