import Testing

@testable import FreshchatEmulator

/// `PathPattern`, the path matcher of journal filters and fault rules: `{name}` is one non-empty segment, `*` any
/// run of characters, the rest literal; paths compare with repeated and trailing slashes collapsed.
@Suite struct PathPatternTests {
    @Test(arguments: [
        ("/v2/users", "/v2/users", true), ("/v2/users", "/v2/users/u1", false), ("/v2/users", "//v2//users/", true),
        ("/v2/users/{user_id}", "/v2/users/u1", true), ("/v2/users/{user_id}", "/v2/users/", false),
        ("/v2/users/{user_id}", "/v2/users/u1/conversations", false),
        ("/v2/users/{user_id}/conversations", "/v2/users/u1/conversations", true), ("/v2/users*", "/v2/users", true),
        ("/v2/users*", "/v2/users/u1/conversations", true), ("/v2/*/status", "/v2/agents/status", true),
        ("/v2/*/status", "/v2/agents/a1", false), ("*", "/anything/at/all", true), ("/", "/", true),
        ("/v2/Users", "/v2/users", false), ("/v2/users/{id}*", "/v2/users/u1/x", true),
    ])
    func pattern_MatchesPaths(pattern: String, path: String, matches: Bool) throws {
        #expect(try PathPattern(pattern).matches(Substring(path)) == matches)
    }

    @Test(arguments: ["v2/users", "", "/v2/{user_id"])
    func pattern_IsRejected_WhenMalformed(text: String) {
        #expect(throws: APIError.self) { try PathPattern(text, field: "path") }
    }
}
