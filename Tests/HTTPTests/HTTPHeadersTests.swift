import Testing

@testable import HTTP

@Suite struct HTTPHeadersTests {
    // RFC 9110 §5.1: "Field names are case-insensitive".
    @Test func headers_LookUpNamesCaseInsensitively() {
        let h: HTTPHeaders = ["Content-Type": "a", "content-type": "b", "X": "c"]
        #expect(h["CONTENT-TYPE"] == "a")
        #expect(h.values("Content-type") == ["a", "b"])
        #expect(h.contains("x"))
        #expect(!h.contains("Y"))
        #expect(h["Y"] == nil)
        #expect(h.count == 3)
    }

    // RFC 9110 §5.2: field lines keep their order; set replaces every line of a name, remove drops them all.
    @Test func headers_AddSetRemove_KeepOrder() {
        var h = HTTPHeaders([("A", "1"), ("B", "2"), ("a", "3")])
        h.add("C", "4")
        #expect(h.map { "\($0.name)=\($0.value)" } == ["A=1", "B=2", "a=3", "C=4"])
        h.set("A", "9")
        #expect(h.map { "\($0.name)=\($0.value)" } == ["B=2", "C=4", "A=9"])
        h.remove("b")
        #expect(h.map(\.name) == ["C", "A"])
    }

    // RFC 9110 §5.6.1: list fields are split on commas with optional whitespace; tokens compare case-insensitively.
    @Test func headers_ListContains_MatchesWholeTokens() {
        let h: HTTPHeaders = ["Connection": " Keep-Alive ,\tUpgrade", "connection": "x"]
        #expect(h.listContains("connection", token: "keep-alive"))
        #expect(h.listContains("Connection", token: "UPGRADE"))
        #expect(h.listContains("Connection", token: "X"))
        #expect(!h.listContains("Connection", token: "close"))
        #expect(!h.listContains("Connection", token: "keep"))
        let closed: HTTPHeaders = ["Connection": "closed"]
        #expect(!closed.listContains("Connection", token: "close"))
    }

    // ASCII case folding only touches letters: "@" (0x40) is not "`" (0x60), "[" is not "{".
    @Test func equalsIgnoringASCIICase_FoldsOnlyLetters() {
        for a in UInt8(0x20)...UInt8(0x7E) {
            for b in UInt8(0x20)...UInt8(0x7E) {
                let sa = String(UnicodeScalar(a))
                let sb = String(UnicodeScalar(b))
                func fold(_ x: UInt8) -> UInt8 { (0x41...0x5A).contains(x) ? x + 0x20 : x }
                let expected = fold(a) == fold(b)
                #expect(sa.equalsIgnoringASCIICase(sb) == expected, "\(sa) vs \(sb)")
            }
        }
        #expect(!"ab".equalsIgnoringASCIICase("abc"))
        #expect("Zoë".equalsIgnoringASCIICase("zOë"))
    }

    @Test func trimmingASCIIWhitespace_TrimsOnlySpaceAndTab() {
        #expect(" \t a b \t ".trimmingASCIIWhitespace() == "a b")
        #expect("\u{0B}a\n".trimmingASCIIWhitespace() == "\u{0B}a\n")
        #expect("  ".trimmingASCIIWhitespace() == "")
    }

    // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 persists only with "keep-alive".
    @Test(
        arguments: [
            (HTTPVersion.http1_1, nil, true), (.http1_1, "close", false), (.http1_1, "Keep-Alive", true),
            (.http1_1, "keep-alive, close", false), (.http1_0, nil, false), (.http1_0, "keep-alive", true),
            (.http1_0, "KEEP-ALIVE", true), (.http1_0, "keep-alive, close", false), (.http1_0, "closed", false),
        ] as [(HTTPVersion, String?, Bool)])
    func request_KeepAlive(version: HTTPVersion, connection: String?, expected: Bool) {
        var headers = HTTPHeaders()
        if let connection { headers.add("Connection", connection) }
        #expect(Request(method: .get, target: "/", version: version, headers: headers).keepAlive == expected)
    }

    // Path parameters: set replaces, unknown names are nil.
    @Test func parameters_SetAndGet() {
        var p = Parameters()
        p.set("id", "1")
        p.set("id", "2")
        p.set("other", "x")
        #expect(p["id"] == "2")
        #expect(p["other"] == "x")
        #expect(p["nope"] == nil)
    }

    // RFC 8259 §7: JSON error bodies escape quotes, backslashes and control characters.
    @Test func responseError_EscapesJSON() {
        let r = Response.error(.badRequest, message: "a\"b\\c\n\u{1}")
        #expect(
            String(decoding: r.body, as: UTF8.self)
                == "{\"code\":400,\"status\":\"BAD_REQUEST\",\"message\":\"a\\\"b\\\\c\\n\\u0001\"}")
        #expect(r.headers["Content-Type"] == "application/json")
    }

    // Names compare ignoring ASCII case only, for strings and substrings alike.
    @Test func equalsIgnoringASCIICase_FoldsASCIILettersOnly() {
        #expect("Content-Length".equalsIgnoringASCIICase("content-LENGTH"))
        #expect("X-A-Header-Name-Longer-Than-Fifteen".equalsIgnoringASCIICase("x-a-header-name-longer-than-fifteen"))
        #expect("xAuthorization".dropFirst().equalsIgnoringASCIICase("AUTHORIZATION"))
        #expect(!"Content-Length".equalsIgnoringASCIICase("Content-Lengt"))
        #expect(!"a[".equalsIgnoringASCIICase("A{"))  // `[` and `{` differ by 0x20 but are not letters
        #expect(!"Ä".equalsIgnoringASCIICase("ä"))
        #expect(HTTPHeaders([("authorization", "Bearer x")])["Authorization"] == "Bearer x")
    }
}
