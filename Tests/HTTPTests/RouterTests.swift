import Testing

@testable import HTTP

private struct Teapot: ResponseError {
    var response: Response { .error(HTTPStatus(code: 418, reasonPhrase: "I'm a teapot"), message: "short and stout") }
}

private struct Boom: Error {}

/// A handler answering `name key=value…` with the captured parameters, so tests see which route ran.
private func tag(_ name: String, _ keys: [String] = []) -> Router.Handler {
    { request in
        let params = keys.map { "\($0)=\(request.parameters[$0] ?? "nil")" }
        let text = ([name] + params).joined(separator: " ")
        return Response(status: .ok, body: Array(text.utf8))
    }
}

private func call(_ router: Router, _ method: HTTPMethod, _ target: String) -> (
    status: Int, body: String, allow: String?
) {
    let response = router.respond(to: Request(method: method, target: target))
    return (response.status.code, String(decoding: response.body, as: UTF8.self), response.headers["Allow"])
}

@Suite struct RouterTests {
    private let router: Router = {
        let r = Router()
        r.add(.get, "/v2/agents/status", tag("status"))
        r.add(.get, "/v2/agents/{agent_id}", tag("agent", ["agent_id"]))
        r.add(.put, "/v2/agents/{agent_id}", tag("put-agent", ["agent_id"]))
        r.add(.get, "/v2/users/{user_id}", tag("user", ["user_id"]))
        r.add(.post, "/v2/users", tag("create-user"))
        r.add(.get, "/v2/users", tag("list-users"))
        r.add(.get, "/a/{x}/c", tag("param-c", ["x"]))
        r.add(.get, "/a/b/d", tag("literal-d"))
        r.add(
            .get, "/v2/conversations/{conversation_id}/messages/{message_id}",
            tag("msg", ["conversation_id", "message_id"]))
        r.add(.delete, "/only-delete", tag("delete"))
        r.add(.get, "/explicit-head", tag("get"))
        r.add(.head, "/explicit-head", tag("head"))
        r.add(.get, "/boom", { _ in throw Boom() })
        r.add(.get, "/teapot", { _ in throw Teapot() })
        r.add(.get, "/", tag("root"))
        return r
    }()

    // The response names the route that answered, as route(for:path:) does; HEAD on a GET route is that GET route.
    @Test func router_NamesTheAnsweringRoute_OnTheResponse() {
        func route(_ method: HTTPMethod, _ target: String) -> String? {
            router.respond(to: Request(method: method, target: target)).route.map { "\($0.method) \($0.pattern)" }
        }
        #expect(route(.get, "/v2/agents/a1") == "GET /v2/agents/{agent_id}")
        #expect(route(.put, "/v2/agents/status") == "PUT /v2/agents/{agent_id}")
        #expect(route(.head, "/v2/users/u1") == "GET /v2/users/{user_id}")
        #expect(route(.head, "/explicit-head") == "HEAD /explicit-head")
        #expect(route(.get, "/teapot") == "GET /teapot", "an error thrown by the handler still names its route")
        #expect(route(.get, "/nowhere") == nil)
        #expect(route(.post, "/v2/agents/a1") == nil, "405")
        for (method, target) in [(HTTPMethod.get, "/v2/agents/a1"), (.head, "/v2/users/u1"), (.put, "/v2/agents/x")] {
            let expected = router.route(for: method, path: Substring(target)).map { "\($0.method) \($0.pattern)" }
            #expect(route(method, target) == expected)
        }
    }

    // Literal segments win over parameters.
    @Test func router_PrefersLiteralSegment_OverParameter() {
        #expect(call(router, .get, "/v2/agents/status").body == "status")
        #expect(call(router, .get, "/v2/agents/a1").body == "agent agent_id=a1")
    }

    // When the literal branch dead-ends, the parameter branch is tried (backtracking).
    @Test func router_Backtracks_FromLiteralToParameter() {
        #expect(call(router, .get, "/a/b/c").body == "param-c x=b")
        #expect(call(router, .get, "/a/b/d").body == "literal-d")
        #expect(call(router, .get, "/a/zz/c").body == "param-c x=zz")
    }

    // A method the literal route lacks still reaches the parameter route that has it.
    @Test func router_Backtracks_WhenLiteralRouteLacksMethod() {
        #expect(call(router, .put, "/v2/agents/status").body == "put-agent agent_id=status")
    }

    // Several parameters are captured by name; the route pattern is recorded on the request.
    @Test func router_CapturesParametersAndPattern() {
        #expect(
            call(router, .get, "/v2/conversations/c-1/messages/m-2").body == "msg conversation_id=c-1 message_id=m-2")
        let r = Router()
        r.add(.get, "/v2/users/{user_id}") { req in Response(body: Array((req.routePattern ?? "nil").utf8)) }
        #expect(call(r, .get, "/v2/users/7").body == "/v2/users/{user_id}")
    }

    // RFC 3986 §2.1: percent-decoding happens per segment, so %2F stays inside a parameter value.
    @Test(arguments: [
        ("/v2/users/a%2Fb", "a/b"), ("/v2/users/%E2%9C%93", "✓"), ("/v2/users/a+b", "a+b"), ("/v2/users/%20x", " x"),
        ("/v2/users/%3F%23", "?#"), ("/v2/users/%25", "%"),
    ])
    func router_PercentDecodesEachSegment(target: String, value: String) {
        #expect(call(router, .get, target).body == "user user_id=\(value)")
    }

    // A percent-encoded literal segment matches the literal.
    @Test func router_MatchesPercentEncodedLiteral() {
        #expect(call(router, .get, "/v2/agents/st%61tus").body == "status")
    }

    // RFC 3986 §2.1: a malformed escape or non-UTF-8 result → 400 JSON.
    @Test(arguments: ["/v2/users/%", "/v2/users/%4", "/v2/users/%zz", "/v2/users/%FF", "/v2/users/%C3"])
    func router_Rejects_MalformedPercentEncoding(target: String) {
        let r = call(router, .get, target)
        #expect(r.status == 400)
        #expect(r.body.hasPrefix("{\"code\":400,\"status\":\"BAD_REQUEST\""))
    }

    // Repeated slashes collapse and a trailing slash is ignored.
    @Test(arguments: ["/v2//users/x", "//v2/users///x", "/v2/users/x/", "/v2/users/x?y=1"])
    func router_CollapsesRepeatedSlashes(target: String) {
        #expect(call(router, .get, target).body == "user user_id=x")
    }

    // RFC 3986 §5.2.4: dot segments are removed and never climb above the root.
    @Test(arguments: [
        ("/../../v2/users/x", "user user_id=x"), ("/v2/users/../users/./x", "user user_id=x"),
        ("/v2/users/x/..", "list-users"),
        ("/v2/%2E%2E/%2e%2e/..", "root"), ("/..", "root"),
    ])
    func router_RemovesDotSegments_WithinRoot(target: String, body: String) {
        #expect(call(router, .get, target).body == body)
    }

    @Test func router_Segments_Directly() {
        #expect(Router.segments(ofPath: "/a/./b/../../../c//d%2Fe") == ["c", "d/e"])
        #expect(Router.segments(ofPath: "") == [])
        #expect(Router.segments(ofPath: "/%zz") == nil)
    }

    // RFC 9110 §15.5.5: an unknown path → 404 with a JSON body.
    @Test(arguments: ["/nope", "/v2/users/x/y", "/v2/agents", "/a/b"])
    func router_Answers404_ForUnknownPath(target: String) {
        let r = router.respond(to: Request(method: .get, target: target))
        #expect(r.status.code == 404)
        #expect(r.headers["Content-Type"] == "application/json")
        #expect(
            String(decoding: r.body, as: UTF8.self).hasPrefix("{\"code\":404,\"status\":\"NOT_FOUND\",\"message\":"))
    }

    // RFC 9110 §15.5.6: a known path with another method → 405 with Allow (GET implies HEAD, no duplicates).
    @Test(arguments: [
        ("/v2/users", HTTPMethod.delete, "GET, HEAD, POST"), ("/only-delete", .get, "DELETE"),
        ("/explicit-head", .post, "GET, HEAD"), ("/v2/agents/status", .delete, "GET, HEAD, PUT"),
    ])
    func router_Answers405WithAllow_ForWrongMethod(target: String, method: HTTPMethod, allow: String) {
        let r = call(router, method, target)
        #expect(r.status == 405)
        #expect(r.allow == allow)
        #expect(r.body.hasPrefix("{\"code\":405,"))
    }

    // RFC 9110 §9.3.2: HEAD is answered by the GET handler unless a HEAD handler exists.
    @Test func router_RoutesHeadToGetHandler() {
        #expect(call(router, .head, "/v2/users/u").body == "user user_id=u")
        #expect(call(router, .head, "/explicit-head").body == "head")
        #expect(call(router, .head, "/only-delete").status == 405)
    }

    // A thrown ResponseError becomes its response; any other error becomes a 500 JSON error.
    @Test func router_TurnsThrownErrorsIntoResponses() {
        let teapot = call(router, .get, "/teapot")
        #expect(teapot.status == 418)
        #expect(teapot.body.contains("short and stout"))
        let boom = router.respond(to: Request(method: .get, target: "/boom"))
        #expect(boom.status.code == 500)
        #expect(boom.headers["Content-Type"] == "application/json")
        #expect(
            String(decoding: boom.body, as: UTF8.self).hasPrefix("{\"code\":500,\"status\":\"INTERNAL_SERVER_ERROR\""))
    }

    // The root path is a route like any other.
    @Test func router_MatchesRoot() {
        #expect(call(router, .get, "/").body == "root")
        #expect(call(router, .get, "").body == "root")
    }
}
