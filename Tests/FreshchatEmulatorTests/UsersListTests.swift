import HTTP
import Testing

@testable import FreshchatEmulator

extension UsersTests {
    /// List users by specified criteria (docs L273–411), `GET /v2/users`.
    @Suite struct List {
        static let criteria =
            "first_name, last_name, email, reference_id, phone_no, created_from, created_to, updated_from, updated_to"

        /// The two users of the docs' list example (L410) and a third that differs only in case.
        func makeAlices() throws -> TestEmulator {
            let emulator = try TestEmulator()
            emulator.createUser([
                "reference_id": "random123@random.com", "first_name": "Alice", "last_name": "Doe",
                "email": "alice.doe@mail.com", "phone": "639528417",
            ])
            emulator.createUser([
                "reference_id": "121", "first_name": "Alice", "last_name": "John", "email": "alice.john@email.com",
                "phone": "174285396",
            ])
            emulator.createUser([
                "reference_id": "a+b@x.com", "first_name": "alice", "last_name": "doe", "email": "ALICE.DOE@mail.com",
                "phone": "639528417 ",
            ])
            return emulator
        }

        // docs L283: "Note: At least one of the following query parameters is mandatory for a successful response."
        @Test(arguments: ["/v2/users", "/v2/users?page=1&items_per_page=10&sort_by=email", "/v2/users?phone=639528417"])
        func list_Rejects_WhenNoCriterionIsGiven(target: String) throws {
            let emulator = try makeAlices()
            expectError(emulator.send(.get, target), 400, "BAD_REQUEST", mentioning: Self.criteria)
        }

        // docs L286–304: each criterion "Limits the response to user objects whose … value matches the parameter
        // value" — an exact match; L302: the parameter is phone_no, the attribute phone (L264).
        @Test(arguments: [
            ("first_name=Alice", ["Doe", "John"]), ("first_name=alice", ["doe"]), ("first_name=Ali", []),
            ("last_name=Doe", ["Doe"]), ("last_name=John", ["John"]),
            ("email=alice.doe@mail.com", ["Doe"]), ("email=alice.doe%40mail.com", ["Doe"]),
            ("reference_id=121", ["John"]), ("reference_id=a%2Bb%40x.com", ["doe"]), ("reference_id=12", []),
            ("phone_no=639528417", ["Doe"]), ("phone_no=639528417%20", ["doe"]), ("phone_no=174285396", ["John"]),
            ("first_name=Alice&last_name=John", ["John"]), ("first_name=Alice&phone_no=174285396&email=x", []),
            ("first_name=", []),
        ])
        func list_FiltersByExactMatch(query: String, lastNames: [String]) throws {
            let emulator = try makeAlices()
            #expect(emulator.listUsers("/v2/users?\(query)").users("last_name") == lastNames)
        }

        // Parameters the docs do not list are ignored (and kept in the links).
        @Test func list_IgnoresUnknownParameters() throws {
            let emulator = try makeAlices()
            let body = emulator.listUsers("/v2/users?first_name=Alice&unknown=1&phone=0")
            #expect(body.users("last_name") == ["Doe", "John"])
            #expect(body["links"]?["first_page"]?["href"]?.stringValue?.contains("unknown=1") == true)
        }

        // docs L410: the example response, its pagination and links (rel "user").
        @Test func list_AnswersLikeTheDocsExample() throws {
            let emulator = try makeAlices()
            let body = emulator.listUsers(
                "/v2/users?first_name=Alice&page=1&items_per_page=100&sort_order=asc&sort_by=email")
            #expect(body.objectValue?.keys == ["users", "pagination", "links"])
            #expect(body.users("email") == ["alice.doe@mail.com", "alice.john@email.com"])
            #expect(body["users"]?.arrayValue?.first?.objectValue?.keys.first == "id")
            #expect(
                body["pagination"] == ["total_items": 2, "total_pages": 1, "current_page": 1, "items_per_page": 100])
            #expect(body["links"]?.objectValue?.keys == ["first_page", "last_page"])
            for key in ["first_page", "last_page"] {
                let link = body["links"]?[key]
                #expect(link?.objectValue?.keys == ["href", "rel", "type"])
                #expect(link?["rel"] == "user")
                #expect(link?["type"] == "GET")
                let href = link?["href"]?.stringValue ?? ""
                #expect(href.hasPrefix("/v2/users?"))
                // docs L410: "/v2/users?first_name=Alice&items_per_page=100&sort_order=asc&sort_by=email&page=1"
                #expect(href == "/v2/users?first_name=Alice&items_per_page=100&sort_order=asc&sort_by=email&page=1")
            }
        }

        // Emulator decision: without items_per_page a page holds 10 users, sorted by created_time ascending.
        @Test func list_Defaults_To10PerPage_OldestFirst() throws {
            let emulator = try TestEmulator()
            let ids = (0..<12).map { _ in
                defer { emulator.clock.advance(by: 1) }
                return emulator.createUserID(["reference_id": "r"])
            }
            let body = emulator.listUsers("/v2/users?reference_id=r")
            #expect(body.users() == Array(ids.prefix(10)))
            #expect(
                body["pagination"] == ["total_items": 12, "total_pages": 2, "current_page": 1, "items_per_page": 10])
            let next = body["links"]?["next_page"]?["href"]?.stringValue ?? ""
            #expect(next.contains("sort_by=created_time") && next.contains("sort_order=asc"))
        }

        // Emulator decision: items_per_page above 100 (the docs example's page size, L339) is served as 100.
        @Test(arguments: [(100, 100), (101, 100), (9999, 100), (1, 1)])
        func list_ClampsItemsPerPage(asked: Int, served: Int) throws {
            let emulator = try TestEmulator()
            emulator.createUser(["reference_id": "r"])
            let body = emulator.listUsers("/v2/users?reference_id=r&items_per_page=\(asked)")
            #expect(body["pagination"]?["items_per_page"] == .integer(Int64(served)))
        }

        // docs L343: "The response data is limited by the query and pagination parameters … The response also
        // contains response parameters pertaining to pagination." Following the links visits every user once.
        @Test func list_Links_VisitEveryPage_WhenFollowed() throws {
            let emulator = try TestEmulator()
            let ids = (0..<25).map { _ in
                defer { emulator.clock.advance(by: 1) }
                return emulator.createUserID(["last_name": "Page"])
            }
            emulator.createUser(["last_name": "Other"])
            var target: String? = "/v2/users?last_name=Page&items_per_page=10"
            var seen: [String] = []
            var pages: [JSONValue] = []
            while let next = target, pages.count < 10 {
                let body = emulator.listUsers(next)
                pages.append(body)
                seen += body.users()
                target = body["links"]?["next_page"]?["href"]?.stringValue
            }
            #expect(seen == ids)
            #expect(pages.map { $0.users().count } == [10, 10, 5])
            #expect(pages.map { $0["pagination"]?["current_page"] } == [1, 2, 3])
            #expect(
                pages.allSatisfy { $0["pagination"]?["total_items"] == 25 && $0["pagination"]?["total_pages"] == 3 })
            #expect(pages[0]["links"]?["prev_page"] == nil)
            #expect(pages[2]["links"]?["next_page"] == nil)
            // Back from the last page through prev_page, and first_page / last_page from anywhere.
            let previous = emulator.listUsers(pages[2]["links"]?["prev_page"]?["href"]?.stringValue ?? "")
            #expect(previous.users() == Array(ids[10..<20]))
            #expect(
                emulator.listUsers(pages[1]["links"]?["first_page"]?["href"]?.stringValue ?? "").users()
                    == Array(ids[0..<10]))
            #expect(
                emulator.listUsers(pages[0]["links"]?["last_page"]?["href"]?.stringValue ?? "").users()
                    == Array(ids[20...])
            )
        }

        // A page past the end is empty; its prev_page leads back to the last page.
        @Test func list_ReturnsNoUsers_PastTheLastPage() throws {
            let emulator = try TestEmulator()
            for _ in 0..<3 { emulator.createUser(["last_name": "P"]) }
            let body = emulator.listUsers("/v2/users?last_name=P&items_per_page=2&page=7")
            #expect(body.users() == [])
            #expect(body["pagination"] == ["total_items": 3, "total_pages": 2, "current_page": 7, "items_per_page": 2])
            let back = body["links"]?["prev_page"]?["href"]?.stringValue ?? ""
            #expect(emulator.listUsers(back).users().count == 1)
            #expect(emulator.listUsers("/v2/users?last_name=P&page=9999999999").users() == [])
            #expect(emulator.listUsers("/v2/users?last_name=Nobody")["pagination"]?["total_pages"] == 1)
        }

        @Test(arguments: [
            ("page=0", "page"), ("page=x", "page"), ("items_per_page=0", "items_per_page"),
            ("items_per_page=-1", "items_per_page"), ("sort_order=up", "sort_order"), ("sort_by=phone", "sort_by"),
            ("sort_by=id", "sort_by"),
        ])
        func list_Rejects_InvalidPaginationParameters(query: String, name: String) throws {
            let emulator = try makeAlices()
            expectError(
                emulator.send(.get, "/v2/users?first_name=Alice&\(query)"), 400, "BAD_REQUEST", mentioning: name)
        }

        // docs L339: "sort_order=asc&sort_by=email"; the sortable attributes are email, first_name, last_name,
        // created_time and updated_time, in both directions.
        @Test(arguments: [
            ("email", ["Cid", "Al", "Bob"]), ("first_name", ["Al", "Bob", "Cid"]), ("last_name", ["Cid", "Bob", "Al"]),
            ("created_time", ["Bob", "Cid", "Al"]), ("updated_time", ["Cid", "Al", "Bob"]),
        ])
        func list_Sorts_InBothDirections(sortBy: String, ascending: [String]) throws {
            let emulator = try TestEmulator()
            let bob = emulator.createUserID([
                "email": "c@x.com", "first_name": "Bob", "last_name": "Young", "reference_id": "s",
            ])
            emulator.clock.advance(by: 1)
            emulator.createUser(["email": "a@x.com", "first_name": "Cid", "last_name": "Xu", "reference_id": "s"])
            emulator.clock.advance(by: 1)
            let al = emulator.createUserID([
                "email": "b@x.com", "first_name": "Al", "last_name": "Zed", "reference_id": "s",
            ])
            // updated_time: Cid t0+1 (never updated), Al t0+1002, Bob t0+2002.
            #expect(emulator.send(.put, "/v2/users/\(al)", body: #"{"phone":"1"}"#).code == 202)
            try emulator.advance()
            #expect(emulator.send(.put, "/v2/users/\(bob)", body: #"{"phone":"2"}"#).code == 202)
            try emulator.advance()
            let base = "/v2/users?reference_id=s&sort_by=\(sortBy)"
            #expect(emulator.listUsers(base + "&sort_order=asc").users("first_name") == ascending)
            #expect(emulator.listUsers(base + "&sort_order=desc").users("first_name") == ascending.reversed())
            #expect(emulator.listUsers(base).users("first_name") == ascending, "sort_order defaults to asc")
        }

        // Emulator decision: users with the same sort value come in creation order, and desc is its exact reverse,
        // so pages never overlap.
        @Test func list_SortsTies_InCreationOrder_ReversedWhenDescending() throws {
            let emulator = try TestEmulator()
            let ids = (0..<4).map { _ in emulator.createUserID(["last_name": "Tie", "email": "same@x.com"]) }
            #expect(emulator.listUsers("/v2/users?last_name=Tie&sort_by=email").users() == ids)
            #expect(
                emulator.listUsers("/v2/users?last_name=Tie&sort_by=email&sort_order=desc").users() == ids.reversed())
        }

        // MARK: - Time criteria

        /// Users created at start, start + 1 ms and start + 2 ms (`…00.000Z`, `…00.001Z`, `…00.002Z`).
        func makeTimeline(step: Int64 = 1) throws -> (TestEmulator, [String]) {
            let emulator = try TestEmulator()
            let ids = (0..<3).map { _ in
                defer { emulator.clock.advance(by: step) }
                return emulator.createUserID()
            }
            return (emulator, ids)
        }

        // docs L309: created_from "Limits the response to user objects whose created_time value is a time after the
        // parameter value or matches the parameter value"; L316: created_to "… a time before the parameter value."
        @Test(arguments: [
            ("created_from=2024-01-15T10:00:00.001Z", [1, 2]), ("created_from=2024-01-15T10:00:00.002Z", [2]),
            ("created_from=2024-01-15T10:00:00.003Z", []), ("created_to=2024-01-15T10:00:00.001Z", [0]),
            ("created_to=2024-01-15T10:00:00.000Z", []), ("created_to=2024-01-15T10:00:00.003Z", [0, 1, 2]),
            ("created_from=2024-01-15T10:00:00.001Z&created_to=2024-01-15T10:00:00.002Z", [1]),
            ("created_from=2024-01-15T10:00:00.002Z&created_to=2024-01-15T10:00:00.001Z", []),
            ("created_from=2024-01-15T11:00:00.001%2B01:00", [1, 2]),
        ])
        func list_CreatedBounds_AreInclusiveFrom_ExclusiveTo(query: String, expected: [Int]) throws {
            let (emulator, ids) = try makeTimeline()
            #expect(emulator.listUsers("/v2/users?\(query)").users() == expected.map { ids[$0] })
        }

        // docs L323 / L330: updated_from and updated_to bound updated_time the same way, at the millisecond.
        @Test(arguments: [
            ("updated_from=2024-01-15T10:00:01.000Z", ["b", "c"]), ("updated_from=2024-01-15T10:00:01.001Z", ["c"]),
            ("updated_from=2024-01-15T10:00:00.999Z", ["b", "c"]), ("updated_to=2024-01-15T10:00:01.000Z", ["a"]),
            ("updated_to=2024-01-15T10:00:01.001Z", ["a", "b"]), ("updated_to=2024-01-15T10:00:00.000Z", []),
            ("created_to=2024-01-15T10:00:00.001Z&updated_from=2024-01-15T10:00:01.000Z", ["b", "c"]),
        ])
        func list_UpdatedBounds_AreInclusiveFrom_ExclusiveTo(query: String, expected: [String]) throws {
            let emulator = try TestEmulator()
            let a = emulator.createUserID(["first_name": "a"])
            let b = emulator.createUserID(["first_name": "b"])
            let c = emulator.createUserID(["first_name": "c"])
            // updated_time: a start, b start + 1000 ms (job time), c start + 2001 ms.
            #expect(emulator.send(.put, "/v2/users/\(b)", body: #"{"phone":"1"}"#).code == 202)
            try emulator.advance()
            emulator.clock.advance(by: 1)
            #expect(emulator.send(.put, "/v2/users/\(c)", body: #"{"phone":"1"}"#).code == 202)
            try emulator.advance()
            #expect(emulator.user(a)?["updated_time"] == "2024-01-15T10:00:00.000Z")
            #expect(emulator.user(b)?["updated_time"] == "2024-01-15T10:00:01.000Z")
            #expect(emulator.user(c)?["updated_time"] == "2024-01-15T10:00:02.001Z")
            #expect(emulator.listUsers("/v2/users?\(query)").users("first_name") == expected)
        }

        // docs L308: "Should be a date-time value specified in the UTC format." — with 0, 3 or 6 fraction digits.
        @Test(arguments: ["2024-01-15T10:00:01Z", "2024-01-15T10:00:01.000Z", "2024-01-15T10:00:01.000000Z"])
        func list_AcceptsTimestamps_With0Or3Or6FractionDigits(time: String) throws {
            let (emulator, ids) = try makeTimeline(step: 1_000)
            #expect(emulator.listUsers("/v2/users?created_from=\(time)").users() == [ids[1], ids[2]])
            #expect(emulator.listUsers("/v2/users?created_to=\(time)").users() == [ids[0]])
            #expect(emulator.listUsers("/v2/users?updated_from=\(time)").users() == [ids[1], ids[2]])
            #expect(emulator.listUsers("/v2/users?updated_to=\(time)").users() == [ids[0]])
        }

        // docs L308: a value that is not a UTC date-time is refused, naming the parameter.
        @Test(arguments: ["created_from", "created_to", "updated_from", "updated_to"])
        func list_Rejects_MalformedTimestamp(name: String) throws {
            let emulator = try TestEmulator()
            for value in ["yesterday", "2024-01-15", "2024-01-15T10:00:00", "2024-13-01T00:00:00Z", ""] {
                expectError(
                    emulator.send(.get, "/v2/users?first_name=A&\(name)=\(value)"), 400, "BAD_REQUEST",
                    mentioning: "\(name) must be a UTC date-time")
            }
        }
    }
}
