import HTTP
import Testing

@testable import FreshchatEmulator

/// docs L134–141: "The number of API calls permitted (on an hourly basis)"; X-RateLimit-Limit,
/// X-RateLimit-Remaining, X-RateLimitReset ("the time remaining to reset").
@Suite struct RateLimitTests {
    @Test func headers_ArePresent_OnEveryAPIResponse() throws {
        let emulator = try TestEmulator { $0.rateLimit = 10 }
        for (i, target) in ["/v2/accounts/configuration", "/v2/unknown"].enumerated() {
            let response = emulator.send(.get, target)
            #expect(response.headers["X-RateLimit-Limit"] == "10")
            #expect(response.headers["X-RateLimit-Remaining"] == String(9 - i))
            #expect(response.headers["X-RateLimitReset"] == "3600")
            #expect(response.headers["X-RateLimit-Reset"] == String(TestEmulator.start / 1000 + 3600))
        }
    }

    @Test func request_IsRejected_WhenBudgetIsSpent() throws {
        let emulator = try TestEmulator { $0.rateLimit = 3 }
        for _ in 0..<3 { #expect(emulator.send(.get, "/v2/accounts/configuration").code == 200) }
        emulator.clock.advance(by: 600_000)
        let response = emulator.send(.get, "/v2/accounts/configuration")
        expectError(response, 429, "TOO_MANY_REQUESTS", mentioning: "rate limit")
        #expect(response.headers["Retry-After"] == "3000")
        #expect(response.headers["X-RateLimit-Remaining"] == "0")
        #expect(response.headers["X-RateLimitReset"] == "3000")
    }

    @Test func budget_IsPerToken() throws {
        let emulator = try TestEmulator { $0.rateLimit = 1 }
        #expect(emulator.send(.get, "/v2/accounts/configuration", token: "a").code == 200)
        #expect(emulator.send(.get, "/v2/accounts/configuration", token: "a").code == 429)
        #expect(emulator.send(.get, "/v2/accounts/configuration", token: "b").code == 200)
    }

    @Test func window_Resets_AfterAnHour() throws {
        let emulator = try TestEmulator { $0.rateLimit = 1 }
        #expect(emulator.send(.get, "/v2/accounts/configuration").code == 200)
        emulator.clock.advance(by: 3_599_999)
        #expect(emulator.send(.get, "/v2/accounts/configuration").code == 429)
        emulator.clock.advance(by: 1)
        let response = emulator.send(.get, "/v2/accounts/configuration")
        #expect(response.code == 200)
        #expect(response.headers["X-RateLimit-Remaining"] == "0")
    }

    @Test func controlPlane_IsNotRateLimited() throws {
        let emulator = try TestEmulator { $0.rateLimit = 1 }
        _ = emulator.send(.get, "/v2/accounts/configuration")
        let response = emulator.send(.get, "/_emulator/health")
        #expect(response.code == 200)
        #expect(response.headers["X-RateLimit-Limit"] == nil)
    }
}
