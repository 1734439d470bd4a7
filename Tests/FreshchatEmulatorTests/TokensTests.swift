import HTTP
import Testing

@testable import FreshchatEmulator

/// `/_emulator/tokens`: registered tokens are accepted until they expire on the Clock or are revoked; then docs L100:
/// "If you send a request with an expired token, the request fails with the 401 Unauthenticated Request error
/// message."
@Suite struct TokensTests {
    typealias Harness = ControlPlaneTests.Harness

    @Test func registeredToken_IsAccepted_ThoughTheTokenListLacksIt() throws {
        let h = try Harness { $0.tokens = ["configured"] }
        expectError(h.send(.get, "/v2/agents", token: "extra"), 401, "UNAUTHENTICATED")
        let added = h.send(.post, "/_emulator/tokens", body: #"{"token":"extra"}"#)
        #expect(added.code == 201, "\(added.text)")
        #expect(added.json == ["token": "extra", "expires_at": .null, "status": "active"])
        #expect(h.send(.get, "/v2/agents", token: "extra").code == 200)
        #expect(h.send(.get, "/v2/agents", token: "configured").code == 200)
    }

    @Test func registeredToken_Expires_WhenTheClockReachesExpiresAt() throws {
        let h = try Harness()
        let body = #"{"token":"short","expires_at":"2024-01-15T10:01:00Z"}"#
        #expect(h.send(.post, "/_emulator/tokens", body: body).json["expires_at"] == "2024-01-15T10:01:00.000Z")
        h.base.clock.advance(by: 59_999)
        #expect(h.send(.get, "/v2/agents", token: "short").code == 200)
        h.base.clock.advance(by: 1)
        let response = h.send(.get, "/v2/agents", token: "short")
        expectError(response, 401, "UNAUTHENTICATED", mentioning: "expired")
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        #expect(h.send(.get, "/v2/agents", token: "other").code == 200, "unregistered tokens are unaffected")
    }

    @Test func revokedToken_Gets401SayingItExpired_EvenIfConfigured() throws {
        let h = try Harness { $0.tokens = ["configured"] }
        #expect(h.send(.delete, "/_emulator/tokens/configured").code == 204)
        expectError(h.send(.get, "/v2/agents", token: "configured"), 401, "UNAUTHENTICATED", mentioning: "expired")
    }

    @Test func registeringARevokedTokenAgain_LiftsTheRevocation() throws {
        let h = try Harness()
        #expect(h.send(.post, "/_emulator/tokens", body: #"{"token":"t1"}"#).code == 201)
        #expect(h.send(.delete, "/_emulator/tokens/t1").code == 204)
        #expect(h.send(.get, "/v2/agents", token: "t1").code == 401)
        #expect(h.send(.post, "/_emulator/tokens", body: #"{"token":"t1"}"#).code == 200)
        #expect(h.send(.get, "/v2/agents", token: "t1").code == 200)
    }

    @Test func tokens_AreListedWithTheirStatus() throws {
        let h = try Harness()
        _ = h.send(.post, "/_emulator/tokens", body: #"{"token":"b-live"}"#)
        _ = h.send(.post, "/_emulator/tokens", body: #"{"token":"a-old","expires_at":"2020-01-01T00:00:00Z"}"#)
        _ = h.send(.delete, "/_emulator/tokens/c-gone")
        let list = h.send(.get, "/_emulator/tokens").json["tokens"]?.arrayValue ?? []
        #expect(list.map { $0["token"] } == ["a-old", "b-live", "c-gone"])
        #expect(list.map { $0["status"] } == ["expired", "active", "revoked"])
        #expect(list.allSatisfy { $0["workspace"] == "default" })
    }

    @Test(arguments: [
        (#"{}"#, "token"), (#"{"token":""}"#, "token"), (#"{"token":"a b"}"#, "token"),
        (#"{"token":"t","expires_at":"soon"}"#, "expires_at"), (#"{"token":7}"#, "token"),
    ])
    func token_IsRejected_NamingTheMember(body: String, member: String) throws {
        let h = try Harness()
        expectError(h.send(.post, "/_emulator/tokens", body: body), 400, "BAD_REQUEST", mentioning: member)
    }

    @Test func token_LivesInItsOwnWorkspace_WithWorkspaces() throws {
        let h = try Harness {
            $0.workspaces = true
            $0.tokens = ["configured"]
        }
        #expect(h.send(.post, "/_emulator/tokens", body: #"{"token":"alpha"}"#).code == 201)
        #expect(h.send(.get, "/v2/agents", token: "alpha").code == 200)
        let list = h.send(.get, "/_emulator/tokens").json["tokens"]?.arrayValue ?? []
        #expect(list.map { $0["workspace"] } == ["alpha"])
        #expect(h.send(.delete, "/_emulator/tokens/alpha").code == 204)
        expectError(h.send(.get, "/v2/agents", token: "alpha"), 401, "UNAUTHENTICATED", mentioning: "expired")
    }
}

/// `PUT /_emulator/rate-limit`: the budget and its window change at run time; the window follows the Clock.
@Suite struct ControlPlaneRateLimitTests {
    typealias Harness = ControlPlaneTests.Harness

    @Test func rateLimit_IsReadAndChanged() throws {
        let h = try Harness { $0.rateLimit = 100 }
        #expect(h.send(.get, "/_emulator/rate-limit").json == ["limit": 100, "window_seconds": 3600])
        let changed = h.send(.put, "/_emulator/rate-limit", body: #"{"limit":2,"window_seconds":60}"#)
        #expect(changed.json == ["limit": 2, "window_seconds": 60])
        #expect(
            h.send(.put, "/_emulator/rate-limit", body: #"{"window_seconds":0.5}"#).json["window_seconds"]
                == .double(0.5))
        #expect(h.send(.get, "/_emulator/rate-limit").json == ["limit": 2, "window_seconds": .double(0.5)])
    }

    // docs L134–141: the documented 429 once the budget is spent; the window runs on the Clock.
    @Test func newLimit_IsEnforced_AndItsWindowFollowsTheClock() throws {
        let h = try Harness()
        _ = h.send(.get, "/v2/agents")
        #expect(h.send(.put, "/_emulator/rate-limit", body: #"{"limit":2,"window_seconds":60}"#).code == 200)
        let first = h.send(.get, "/v2/agents")
        #expect(first.headers["X-RateLimit-Remaining"] == "1", "counting starts over")
        #expect(first.headers["X-RateLimitReset"] == "60")
        #expect(h.send(.get, "/v2/agents").code == 200)
        h.base.clock.advance(by: 59_000)
        let refused = h.send(.get, "/v2/agents")
        expectError(refused, 429, "TOO_MANY_REQUESTS", mentioning: "per 60 s")
        #expect(refused.headers["Retry-After"] == "1")
        h.base.clock.advance(by: 1_000)
        #expect(h.send(.get, "/v2/agents").code == 200)
    }

    @Test(arguments: [
        (#"{}"#, "limit"), (#"{"limit":0}"#, "limit"), (#"{"limit":"5"}"#, "limit"),
        (#"{"window_seconds":0}"#, "window_seconds"), (#"{"window_seconds":"60"}"#, "window_seconds"),
    ])
    func rateLimit_IsRejected_NamingTheMember(body: String, member: String) throws {
        let h = try Harness()
        expectError(h.send(.put, "/_emulator/rate-limit", body: body), 400, "BAD_REQUEST", mentioning: member)
        #expect(h.send(.get, "/_emulator/rate-limit").json["limit"] == 100_000)
    }
}
