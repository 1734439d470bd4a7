import HTTP
import Testing

@testable import FreshchatEmulator

/// Foundation issue: every `/v2` route requires `Authorization: Bearer <token>` (docs L74); missing or malformed →
/// 401 UNAUTHENTICATED with `WWW-Authenticate: Bearer`.
@Suite struct AuthTests {
    @Test func request_IsRejected_WhenAuthorizationIsMissing() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/accounts/configuration", token: nil)
        expectError(response, 401, "UNAUTHENTICATED", mentioning: "Authorization")
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
    }

    @Test(arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", "Bearer a b"])
    func request_IsRejected_WhenAuthorizationIsMalformed(value: String) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(
            .get, "/v2/accounts/configuration", token: nil, headers: [("Authorization", value)])
        expectError(response, 401, "UNAUTHENTICATED", mentioning: "Authorization")
    }

    @Test(arguments: ["Bearer good", "bearer good", "BEARER good", "Bearer   good"])
    func scheme_IsCaseInsensitive(value: String) throws {
        let emulator = try TestEmulator { $0.tokens = ["good"] }
        let response = emulator.send(
            .get, "/v2/accounts/configuration", token: nil, headers: [("Authorization", value)])
        #expect(response.code == 200)
    }

    @Test func token_IsRejected_WhenNotConfigured() throws {
        let emulator = try TestEmulator { $0.tokens = ["good", "other"] }
        expectError(emulator.send(.get, "/v2/accounts/configuration", token: "bad"), 401, "UNAUTHENTICATED")
        #expect(emulator.send(.get, "/v2/accounts/configuration", token: "other").code == 200)
    }

    @Test func anyToken_IsAccepted_WhenNoneConfigured() throws {
        let emulator = try TestEmulator()
        #expect(emulator.send(.get, "/v2/accounts/configuration", token: "whatever").code == 200)
    }

    @Test func unknownAPIRoute_NeedsAuthToo() throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.get, "/v2/nothing-here", token: nil), 401, "UNAUTHENTICATED")
        expectError(emulator.send(.get, "/v2/nothing-here"), 404, "NOT_FOUND")
    }

    @Test func health_NeedsNoToken() throws {
        let emulator = try TestEmulator { $0.tokens = ["good"] }
        let response = emulator.send(.get, "/_emulator/health", token: nil)
        #expect(response.code == 200)
        #expect(response.json["status"] == "ok")
        #expect(response.json["version"]?.stringValue == Emulator.version)
        #expect(response.json["uptime_seconds"]?.intValue != nil)
    }

    // The scheme, then what follows the first space after it, trimmed (RFC 9110 §11.4); no space, no credentials.
    @Test func credentials_SplitAtTheFirstSpaceAfterTheScheme() {
        func split(_ value: String) -> [String]? {
            EmulatorHost.credentials(value).map { [String($0.scheme), String($0.token)] }
        }
        #expect(split("Bearer abc") == ["Bearer", "abc"])
        #expect(split("  bearer \t abc \t") == ["bearer", "abc"])
        #expect(split("Bearer a b") == ["Bearer", "a b"])
        #expect(split("Bearer ") == ["Bearer", ""])
        #expect(split("Bearer") == nil)
        #expect(split("Bearer\tabc") == nil)
        #expect(split("") == nil)
        #expect(split("Bëarer tøken") == ["Bëarer", "tøken"])
    }

    // `/v2` and `/_emulator` are recognised by their first segment, leading slashes skipped.
    @Test func firstSegment_IsComparedWholeAfterLeadingSlashes() {
        #expect(App.isAPIPath("/v2"))
        #expect(App.isAPIPath("//v2/users"))
        #expect(!App.isAPIPath("/v20/users"))
        #expect(!App.isAPIPath("/v"))
        #expect(!App.isAPIPath("/"))
        #expect(!App.isAPIPath("/x/v2"))
        #expect(EmulatorHost.isControlPlanePath("/_emulator/health"))
        #expect(EmulatorHost.isControlPlanePath("/_emulator"))
        #expect(!EmulatorHost.isControlPlanePath("/_emulatorx"))
    }
}
