import Testing

@testable import HTTP

/// `Router.routes` (the route table, for coverage reports) and `Router.route(for:path:)` (which route answers a
/// request, without running it).
@Suite struct RouterRouteTableTests {
    private let router: Router = {
        let r = Router()
        let ok: Router.Handler = { _ in Response() }
        r.add(.get, "/v2/agents/{agent_id}", ok)
        r.add(.get, "/v2/agents/status", ok)
        r.add(.put, "/v2/agents/{agent_id}", ok)
        r.add(.get, "/v2/agents/{agent_id}", ok)
        r.add(.post, "/v2/users", ok)
        return r
    }()

    @Test func routes_ListEveryRouteOnce_InTheOrderAdded() {
        #expect(
            router.routes.map { "\($0.method) \($0.pattern)" } == [
                "GET /v2/agents/{agent_id}", "GET /v2/agents/status", "PUT /v2/agents/{agent_id}", "POST /v2/users",
            ])
    }

    @Test func route_NamesThePatternThatAnswers_LiteralBeforeParameter() {
        #expect(router.route(for: .get, path: "/v2/agents/status")?.pattern == "/v2/agents/status")
        #expect(router.route(for: .get, path: "/v2/agents/a1")?.pattern == "/v2/agents/{agent_id}")
        #expect(router.route(for: .put, path: "/v2/agents/status")?.pattern == "/v2/agents/{agent_id}")
        #expect(router.route(for: .get, path: "//v2/agents/a%201")?.pattern == "/v2/agents/{agent_id}")
    }

    @Test func route_OfHead_IsTheGetRoute() {
        let route = router.route(for: .head, path: "/v2/agents/a1")
        #expect(route?.method == .get)
        #expect(route?.pattern == "/v2/agents/{agent_id}")
    }

    @Test func route_IsNil_WhenNoRouteAnswers() {
        #expect(router.route(for: .get, path: "/v2/nothing") == nil)
        #expect(router.route(for: .delete, path: "/v2/users") == nil)
        #expect(router.route(for: .get, path: "/v2/agents/%zz") == nil)
    }
}
