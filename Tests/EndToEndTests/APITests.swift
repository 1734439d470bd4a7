import Foundation
import Testing

/// The API surface as a client sees it over a real socket from the built executable.
@Suite
struct APITests {
    static let accountKeys: Set<String> = [
        "organisation_id", "organisation_domain", "account_id", "account_domain", "app_id", "bundle_id",
        "bundle_type", "plan_type", "datacenter",
    ]

    @Test func health_Returns200WithStatusVersionAndUptime_WhenNoAuthorizationIsSent() throws {
        // Emulator contract (Sources/FreshchatEmulator/Admin/Health.swift): GET /_emulator/health, no auth,
        // → 200 {"status":"ok","version":…,"uptime_seconds":…}.
        let emulator = try RunningEmulator()
        let response = try emulator.get("/_emulator/health")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let json = try response.jsonObject()
        #expect(json["status"] as? String == "ok")
        #expect((json["version"] as? String)?.isEmpty == false)
        #expect(json["uptime_seconds"] is NSNumber)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func accountConfiguration_ReturnsTheNineDocumentedAttributes_WhenABearerTokenIsSent() throws {
        // Freshchat API docs L188–205: GET /v2/accounts/configuration, "A successful request returns a 200 OK
        // along with the retrieved accounts object" with its 9 attributes (L167–183).
        let emulator = try RunningEmulator()
        let response = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"])
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let json = try response.jsonObject()
        #expect(Set(json.keys) == Self.accountKeys)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func authorization_IsAccepted_WhenTheBearerSchemeIsLowerOrUpperCase() throws {
        // RFC 9110 §11.1: "It uses a case-insensitive token to identify the authentication scheme".
        let emulator = try RunningEmulator()
        let lower = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: bearer x"])
        #expect(lower.status == 200)
        let upper = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: BEARER x"])
        #expect(upper.status == 200)
        #expect(Set(try lower.jsonObject().keys) == Self.accountKeys)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func rateLimitHeaders_ArePresentAndRemainingDecrements_WhenTheAPIIsCalled() throws {
        // Freshchat API docs L136–141: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimitReset on API responses.
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        var remaining: [Int] = []
        for _ in 0..<3 {
            try client.send(RawRequest.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"]))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-RateLimit-Limit") == "100000")
            #expect(Int(response.header("X-RateLimitReset") ?? "") != nil)
            let reset = Int(response.header("X-RateLimit-Reset") ?? "") ?? 0
            #expect(abs(reset - Int(time(nil))) <= 3700, "X-RateLimit-Reset is a Unix time within the hour")
            remaining.append(Int(response.header("X-RateLimit-Remaining") ?? "") ?? -1)
        }
        #expect(remaining == [99_999, 99_998, 99_997])
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func dateHeader_IsAnIMFFixdate_OnEveryFinalResponse() throws {
        // RFC 9110 §6.6.1: "An origin server with a clock … MUST generate a Date header field" in 2xx, 3xx and 4xx
        // responses (and MAY in others); the format is IMF-fixdate (§5.6.7).
        let emulator = try RunningEmulator(["--rate-limit", "1", "--max-body", "10"])
        let auth = "Authorization: Bearer x"
        let requests = [
            RawRequest.get("/_emulator/health"),  // 200
            RawRequest.get("/v2/accounts/configuration", headers: [auth]),  // 200
            RawRequest.get("/v2/accounts/configuration", headers: [auth]),  // 429
            RawRequest.get("/v2/accounts/configuration"),  // 401
            RawRequest.get("/no/such/route"),  // 404
            RawRequest.make("POST", "/_emulator/health", headers: ["Content-Length: 0"]),  // 405
            "BREW /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n",  // 501
            RawRequest.make("POST", "/_emulator/health", headers: ["Content-Length: 11"]),  // 413
            "GET /_emulator/health HTTP/1.1\r\n\r\n",  // 400
        ]
        var statuses: [Int] = []
        for request in requests {
            let response = try emulator.request(request)
            statuses.append(response.status)
            let date = response.header("Date") ?? ""
            #expect(Self.isIMFFixdate(date), "status \(response.status): Date '\(date)'")
        }
        #expect(statuses == [200, 200, 429, 401, 404, 405, 501, 413, 400])
        #expect(emulator.terminate() == .exited(0))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, within a minute of now.
    static func isIMFFixdate(_ value: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard value.count == 29, let date = formatter.date(from: value) else { return false }
        return abs(date.timeIntervalSinceNow) < 60
    }

    // MARK: - 401

    @Test(arguments: [
        ("no Authorization header", [String]()),
        ("Basic scheme", ["Authorization: Basic abc"]),
        ("Bearer without a token", ["Authorization: Bearer"]),
        ("Bearer with only spaces", ["Authorization: Bearer    "]),
    ])
    func apiCall_IsRejectedWith401_WhenCredentialsAreMissingOrMalformed(_ situation: String, _ headers: [String]) throws
    {
        // RFC 6750 §3: "If the protected resource request does not include authentication credentials or does not
        // contain an access token that enables access to the protected resource, the resource server MUST include
        // the HTTP "WWW-Authenticate" response header field"; Freshchat docs L28–52: body {"code","status","message"}.
        let emulator = try RunningEmulator()
        let response = try emulator.get("/v2/accounts/configuration", headers: headers)
        try Self.expectUnauthenticated(response)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func apiCall_IsRejectedWith401_WhenTheTokenIsNotAConfiguredOne() throws {
        // RFC 6750 §3.1 invalid_token: "The access token provided is expired, revoked, malformed, or invalid for other
        // reasons. The resource SHOULD respond with the HTTP 401 (Unauthorized) status code."
        let emulator = try RunningEmulator(["--token", "good"])
        let wrong = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer bad"])
        try Self.expectUnauthenticated(wrong)
        let right = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer good"])
        #expect(right.status == 200)
        #expect(emulator.terminate() == .exited(0))
    }

    static func expectUnauthenticated(
        _ response: HTTPResponse, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.status == 401, sourceLocation: sourceLocation)
        #expect(
            response.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") == true,
            sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        let json = try response.jsonObject()
        #expect(json["code"] as? Int == 401, sourceLocation: sourceLocation)
        #expect(json["status"] as? String == "UNAUTHENTICATED", sourceLocation: sourceLocation)
        #expect((json["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    // MARK: - Routing errors

    @Test func unknownRoute_Returns404WithAJSONError() throws {
        // RFC 9110 §15.5.5: 404 "the origin server did not find a current representation for the target resource".
        let emulator = try RunningEmulator()
        for response in [
            try emulator.get("/nope"),
            try emulator.get("/v2/nope", headers: ["Authorization: Bearer x"]),
        ] {
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/json")
            let json = try response.jsonObject()
            #expect(json["code"] as? Int == 404)
            #expect(json["status"] is String)
            #expect(json["message"] is String)
        }
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func accountConfiguration_Returns405WithAllow_WhenTheMethodIsPost() throws {
        // RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405 response".
        let emulator = try RunningEmulator()
        let response = try emulator.request(
            RawRequest.make(
                "POST", "/v2/accounts/configuration",
                headers: ["Authorization: Bearer x", "Content-Type: application/json", "Content-Length: 2"],
                body: "{}"))
        #expect(response.status == 405)
        let allowed = Set(
            (response.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(allowed == ["GET", "HEAD"])
        #expect(try response.jsonObject()["code"] as? Int == 405)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func unknownMethod_Returns501AndKeepsTheConnection_WhenTheMethodIsBREW() throws {
        // RFC 9110 §9.1: "An origin server that receives a request method that is unrecognized or not implemented
        // SHOULD respond with the 501 (Not Implemented) status code."
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send("BREW /_emulator/health HTTP/1.1\r\nHost: pot\r\n\r\n")
        let brew = try client.readResponse()
        #expect(brew.status == 501)
        #expect(try brew.jsonObject()["code"] as? Int == 501)
        try client.send(RawRequest.get("/_emulator/health"))
        #expect(try client.readResponse().status == 200)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func head_AnswersLikeGetWithoutContent_WhenTheRouteHasGet() throws {
        // RFC 9110 §9.3.2: "The HEAD method is identical to GET except that the server MUST NOT send content in the
        // response."
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send(RawRequest.get("/_emulator/health"))
        let get = try client.readResponse()
        try client.send(RawRequest.make("HEAD", "/_emulator/health") + RawRequest.get("/nope"))
        let head = try client.readResponse(method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == get.header("Content-Length"))
        #expect(head.body.isEmpty)
        // The next response starts right after the head: no content bytes were sent for HEAD.
        #expect(try client.readResponse().status == 404)
        #expect(emulator.terminate() == .exited(0))
    }

    // MARK: - 429

    @Test func apiCall_Returns429WithRetryAfter_WhenTheRateLimitIsExceeded() throws {
        // RFC 6585 §4: 429 Too Many Requests "MAY include a Retry-After header"; Freshchat docs L136–141 rate limits.
        let emulator = try RunningEmulator(["--rate-limit", "3"])
        let client = try emulator.connect()
        var statuses: [Int] = []
        var last: HTTPResponse?
        for _ in 0..<4 {
            try client.send(RawRequest.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"]))
            let response = try client.readResponse()
            statuses.append(response.status)
            last = response
        }
        #expect(statuses == [200, 200, 200, 429])
        let limited = try #require(last)
        let retryAfter = Int(limited.header("Retry-After") ?? "") ?? -1
        #expect(retryAfter > 0 && retryAfter <= 3600)
        #expect(limited.header("X-RateLimit-Limit") == "3")
        #expect(limited.header("X-RateLimit-Remaining") == "0")
        #expect(limited.header("X-RateLimitReset") != nil)
        #expect(limited.header("X-RateLimit-Reset") != nil)
        let json = try limited.jsonObject()
        #expect(json["code"] as? Int == 429)
        #expect(json["status"] as? String == "TOO_MANY_REQUESTS")
        #expect(json["message"] is String)
        // The health endpoint is not an API call and is never limited.
        try client.send(RawRequest.get("/_emulator/health"))
        let health = try client.readResponse()
        #expect(health.status == 200)
        #expect(health.header("X-RateLimit-Limit") == nil)
        #expect(emulator.terminate() == .exited(0))
    }
}
