import HTTP
import Testing

@testable import FreshchatEmulator

/// `GET /_emulator/coverage`: for every documented `/v2` route, the requests it received and the statuses answered,
/// and the routes never exercised.
@Suite struct CoverageTests {
    typealias Harness = ControlPlaneTests.Harness

    private func route(_ report: JSONValue, _ method: String, _ path: String) -> JSONValue? {
        report["routes"]?.arrayValue?.first { $0["method"]?.stringValue == method && $0["path"]?.stringValue == path }
    }

    @Test func coverage_ListsEveryV2Route_AllNeverExercised_AtFirst() throws {
        let h = try Harness()
        let report = h.send(.get, "/_emulator/coverage").json
        let routes = report["routes"]?.arrayValue ?? []
        let expected = h.host.primary.app.controls.coverage.routes
        #expect(routes.count == expected.count)
        #expect(expected.count > 20)
        #expect(routes.allSatisfy { $0["path"]?.stringValue?.hasPrefix("/v2/") == true })
        #expect(route(report, "GET", "/v2/users/{user_id}")?["requests"] == 0)
        #expect(route(report, "POST", "/v2/conversations") != nil)
        #expect(report["never_exercised"]?.arrayValue?.count == expected.count)
        #expect(report["exercised"] == 0)
        #expect(report["total"] == .integer(Int64(expected.count)))
    }

    @Test func coverage_CountsRequestsAndStatuses_PerRoute() throws {
        let h = try Harness()
        let user = h.createUser("c@example.com")
        _ = h.send(.get, "/v2/users/\(user)")
        _ = h.send(.get, "/v2/users/nobody")
        _ = h.send(.get, "/v2/users/\(user)", token: nil)
        _ = h.send(.head, "/v2/users/\(user)")
        _ = h.send(.get, "/v2/not-documented")
        _ = h.send(.patch, "/v2/users")
        let report = h.send(.get, "/_emulator/coverage").json
        let retrieve = route(report, "GET", "/v2/users/{user_id}")
        #expect(retrieve?["requests"] == 4)
        #expect(retrieve?["statuses"] == ["200": 2, "401": 1, "404": 1])
        #expect(route(report, "POST", "/v2/users")?["statuses"] == ["201": 1])
        #expect(report["exercised"] == 2)
        #expect(report["unmatched_requests"] == 2)
        let never = report["never_exercised"]?.arrayValue ?? []
        #expect(!never.contains(["method": "GET", "path": "/v2/users/{user_id}"]))
        #expect(never.contains(["method": "DELETE", "path": "/v2/users/{user_id}"]))
        #expect(never.count == (report["total"]?.intValue ?? 0) - 2)
    }

    @Test func coverage_IsZeroed_ByDelete_AndNotByClearingTheJournal() throws {
        let h = try Harness()
        _ = h.send(.get, "/v2/accounts/configuration")
        #expect(h.send(.delete, "/_emulator/requests").code == 204)
        #expect(h.send(.get, "/_emulator/coverage").json["exercised"] == 1)
        #expect(h.send(.delete, "/_emulator/coverage").code == 204)
        #expect(h.send(.get, "/_emulator/coverage").json["exercised"] == 0)
    }

    @Test func coverage_IsPerWorkspace() throws {
        let h = try Harness { $0.workspaces = true }
        _ = h.send(.get, "/v2/accounts/configuration", token: "alpha")
        #expect(h.send(.get, "/_emulator/coverage?workspace=alpha").json["exercised"] == 1)
        #expect(h.send(.get, "/_emulator/coverage?workspace=beta").json["exercised"] == 0)
    }
}
