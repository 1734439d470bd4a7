import Testing

@testable import HTTP

@Suite struct RequestLineTests {
    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version CRLF
    @Test func parser_Parses_SimpleGet() {
        let r = expectRequest("GET /v2/users?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        #expect(r?.method == "GET")
        #expect(r?.target == "/v2/users?x=1")
        #expect(r?.version == .http1_1)
        #expect(r?.headers == ["Host: example.com", "Accept: */*"])
        #expect(r?.body == [])
    }

    // RFC 9112 §2.3: HTTP/1.0 is understood; it needs no Host.
    @Test func parser_Parses_Http10WithoutHost() {
        let r = expectRequest("GET /old HTTP/1.0\r\n\r\n")
        #expect(r?.version == .http1_0)
        #expect(r?.target == "/old")
    }

    // RFC 9112 §2.3: a higher minor version of HTTP/1 is answered as the highest supported (1.1).
    @Test func parser_TreatsHigherMinorVersion_AsHttp11() {
        #expect(expectRequest("GET / HTTP/1.9\r\nHost: h\r\n\r\n")?.version == .http1_1)
    }

    // RFC 9112 §2.2: "SHOULD ignore at least one empty line (CRLF) received prior to the request-line".
    @Test func parser_Ignores_EmptyLinesBeforeRequestLine() {
        let r = expectRequest("\r\n\r\n\nGET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(r?.target == "/a")
    }

    // RFC 9112 §2.2: "a recipient MAY recognize a single LF as a line terminator" (start-line and fields).
    @Test func parser_Accepts_BareLFInHead() {
        let r = expectRequest("GET /lf HTTP/1.1\nHost: h\nX: y\n\n")
        #expect(r?.headers == ["Host: h", "X: y"])
    }

    // RFC 9110 §9.1: "The method token is case-sensitive" — `get` is a different (unknown) method.
    @Test func parser_KeepsMethodCase() {
        #expect(expectRequest("get / HTTP/1.1\r\nHost: h\r\n\r\n")?.method == "get")
        #expect(expectRequest("PATCH / HTTP/1.1\r\nHost: h\r\n\r\n")?.method == "PATCH")
    }

    // RFC 9110 §9.1: method = token; every tchar is allowed, anything else is rejected with 400.
    @Test func parser_AcceptsMethodByte_IffTchar() {
        for b in UInt8.min...UInt8.max {
            let raw = bytes("G") + [b] + bytes("T / HTTP/1.1\r\nHost: h\r\n\r\n")
            let got = framed(feed([raw[...]]))
            if isTchar(b) {
                #expect(got.count == 1 && got.first?.request?.method.utf8.count == 3, "byte \(b): \(got)")
            } else {
                #expect(got.count == 1 && got.first?.error?.status.code == 400, "byte \(b): \(got)")
            }
        }
    }

    // RFC 9112 §3.2 / RFC 3986 §2: the request-target is visible ASCII; each other byte is rejected with 400.
    @Test func parser_AcceptsTargetByte_IffVisibleASCII() {
        for b in UInt8.min...UInt8.max {
            let raw = bytes("GET /a") + [b] + bytes("b HTTP/1.1\r\nHost: h\r\n\r\n")
            let got = framed(feed([raw[...]]))
            if (0x21...0x7E).contains(b) {
                #expect(got.count == 1 && got.first?.request?.target.utf8.count == 4, "byte \(b): \(got)")
            } else {
                #expect(got.count == 1 && got.first?.error?.status.code == 400, "byte \(b): \(got)")
            }
        }
    }

    // RFC 9112 §3.2.2: "a server MUST accept the use of the absolute-form"; it is routed as origin-form.
    @Test(arguments: [
        ("http://example.com/v2/users?a=b", "/v2/users?a=b"),
        ("HTTPS://Example.com:8443/x", "/x"),
        ("http://example.com", "/"),
        ("http://example.com?q=1", "/?q=1"),
    ])
    func parser_Converts_AbsoluteFormToOriginForm(absolute: String, origin: String) {
        #expect(expectRequest("GET \(absolute) HTTP/1.1\r\nHost: example.com\r\n\r\n")?.target == origin)
    }

    // RFC 9112 §3.2.4: asterisk-form is only for OPTIONS.
    @Test func parser_Accepts_AsteriskFormOnlyForOptions() {
        #expect(expectRequest("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")?.target == "*")
        expectRejects("GET * HTTP/1.1\r\nHost: h\r\n\r\n", .invalidTarget, status: 400)
    }

    // RFC 9112 §3.2: a target that is neither origin-form nor absolute-form is rejected.
    @Test(arguments: ["example.com:443", "ftp://example.com/x", "x/y", "?q"])
    func parser_Rejects_UnsupportedTargetForm(target: String) {
        expectRejects("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n", .invalidTarget, status: 400)
    }

    // RFC 9112 §2.3 / RFC 9110 §15.6.6: only major version 1 is served → 505.
    @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"])
    func parser_Rejects_OtherMajorVersion_With505(version: String) {
        expectRejects("GET / \(version)\r\nHost: h\r\n\r\n", .unsupportedVersion, status: 505)
    }

    // RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT, case-sensitive → 400 otherwise.
    @Test(arguments: [
        "http/1.1", "HTTP/1", "HTTP/1.1.1", "HTTP/11", "HTTP/1.x", "HTTP 1.1", "HTTP/1.1 ", "HTTPS/1.1", "",
    ])
    func parser_Rejects_MalformedVersion(version: String) {
        expectRejects("GET / \(version)\r\nHost: h\r\n\r\n", .invalidVersion, status: 400)
    }

    // RFC 9112 §3: exactly one SP between the parts; a missing part is a malformed request line.
    @Test(arguments: [
        ("GET /\r\n", HTTPParseError.invalidRequestLine), ("GET\r\n", .invalidRequestLine),
        ("GET  / HTTP/1.1\r\n", .invalidRequestLine), (" GET / HTTP/1.1\r\n", .invalidMethod),
        ("GET\t/\tHTTP/1.1\r\n", .invalidRequestLine),
    ])
    func parser_Rejects_MalformedRequestLine(line: String, error: HTTPParseError) {
        expectRejects(line + "Host: h\r\n\r\n", error, status: 400)
    }

    // RFC 9112 §2.2: a CR not followed by LF in the request line → 400.
    @Test func parser_Rejects_BareCRInRequestLine() {
        expectRejects("GET /a\rb HTTP/1.1\r\nHost: h\r\n\r\n", .bareCarriageReturn, status: 400)
    }
}
