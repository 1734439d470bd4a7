import Testing

@testable import HTTP

@Suite struct RequestParserFramingTests {
    private func post(_ fields: String, body: String = "") -> String {
        "POST /p HTTP/1.1\r\nHost: h\r\n\(fields)\r\n\(body)"
    }

    // RFC 9112 §6.3 rule 6: Content-Length gives the length of the content.
    @Test func parser_ReadsBody_ByContentLength() {
        let r = expectRequest(post("Content-Length: 11\r\n", body: "hello world"))
        #expect(r?.bodyString == "hello world")
    }

    // RFC 9112 §6.3 rule 6: a body that arrives with the head (one append) is complete at once.
    @Test func parser_ReturnsRequest_WhenBodyArrivesWithHead() {
        var parser = RequestParser()
        parser.append(bytes(post("Content-Length: 3\r\n", body: "abc")))
        let event = try? parser.next()
        guard case .request(let r) = event else {
            Issue.record("expected a request, got \(String(describing: event))")
            return
        }
        #expect(r.body == bytes("abc"))
        #expect(parser.isIdle)
    }

    // RFC 9112 §6.3 rule 7: a request with neither Content-Length nor Transfer-Encoding has no content.
    @Test func parser_TreatsRequestWithoutFraming_AsEmptyBody() {
        #expect(expectRequest(post(""))?.body == [])
        #expect(expectRequest(post("Content-Length: 0\r\n"))?.body == [])
    }

    // RFC 9112 §6.3: the body does not swallow the next pipelined request.
    @Test func parser_StopsBodyAtContentLength_BeforePipelinedRequest() {
        let got = expectParses(post("Content-Length: 4\r\n", body: "GET ") + simpleGET("/x"))
        #expect(got.map(\.bodyString) == ["GET ", ""])
        #expect(got.map(\.target) == ["/p", "/x"])
    }

    // RFC 9110 §8.6: identical duplicate Content-Length values (list or repeated field) are one value.
    @Test(arguments: [
        "Content-Length: 5, 5\r\n", "Content-Length: 5\r\nContent-Length: 5\r\n", "Content-Length: 5,5\r\n",
        "Content-Length: 005\r\n", "Content-Length: 0000000000000000000005\r\n",
    ])
    func parser_Accepts_IdenticalContentLengths(fields: String) {
        #expect(expectRequest(post(fields, body: "12345"))?.bodyString == "12345")
    }

    // RFC 9112 §6.3 rule 5: an invalid Content-Length → 400 and close ("MUST treat it as an unrecoverable error").
    @Test(arguments: [
        "+5", "-5", "5 5", "5a", "0x5", "", " ", "5,", ",5", "5,,5", "5, 6", "1.0", "99999999999999999999",
        "9223372036854775808", "\u{0660}",
    ])
    func parser_Rejects_InvalidContentLength(value: String) {
        expectRejects(post("Content-Length: \(value)\r\n", body: "12345"), .invalidContentLength, status: 400)
    }

    // RFC 9112 §6.3 rule 5: differing values across repeated fields → 400.
    @Test func parser_Rejects_DifferingContentLengthFields() {
        expectRejects(
            post("Content-Length: 5\r\nContent-Length: 6\r\n", body: "123456"), .invalidContentLength, status: 400)
    }

    // RFC 9112 §6.1: "A server MAY reject a request that contains both Content-Length and Transfer-Encoding"
    // — this server always does (400 and close), in either order.
    @Test(arguments: [
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n",
    ])
    func parser_Rejects_ContentLengthWithTransferEncoding(fields: String) {
        expectRejects(post(fields, body: "0\r\n\r\n"), .conflictingFraming, status: 400)
    }

    // RFC 9112 §6.1: the final coding must be chunked, exactly once; otherwise 400 and close.
    @Test(arguments: ["gzip", "chunked, gzip", "chunked, chunked", "chunked;x=1", "identity", "", "chunkedx"])
    func parser_Rejects_TransferEncodingNotEndingInChunked(value: String) {
        expectRejects(post("Transfer-Encoding: \(value)\r\n", body: "0\r\n\r\n"), .invalidTransferEncoding, status: 400)
    }

    // RFC 9112 §6.1: chunked repeated across two field lines is still "applied more than once".
    @Test func parser_Rejects_ChunkedTwiceAcrossFieldLines() {
        expectRejects(
            post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n"),
            .invalidTransferEncoding, status: 400)
    }

    // RFC 9112 §6.1: a coding before chunked that is not implemented → 501 ("SHOULD respond with 501").
    @Test(arguments: [
        ("gzip, chunked", "gzip"), ("Deflate ,chunked", "deflate"), ("gzip, br, chunked", "gzip"),
        (", , gzip, chunked", "gzip"),
    ])
    func parser_Rejects_UnimplementedCodingBeforeChunked_With501(value: String, coding: String) {
        expectRejects(
            post("Transfer-Encoding: \(value)\r\n", body: "0\r\n\r\n"), .unsupportedTransferCoding(coding), status: 501)
    }

    // RFC 9112 §6.1: across field lines the codings are in order (gzip then chunked) → 501.
    @Test func parser_Rejects_CodingBeforeChunkedAcrossFieldLines_With501() {
        expectRejects(
            post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n"),
            .unsupportedTransferCoding("gzip"), status: 501)
    }

    // RFC 9110 §5.6.1: empty list elements are ignored; coding names are case-insensitive (RFC 9112 §7).
    @Test(arguments: ["chunked", "Chunked", "CHUNKED", ", chunked", ", ,chunked", "chunked, \t,"])
    func parser_Accepts_ChunkedSpellings(value: String) {
        #expect(expectRequest(post("Transfer-Encoding: \(value)\r\n", body: "1\r\nz\r\n0\r\n\r\n"))?.bodyString == "z")
    }

    // RFC 9112 §6.1: "A server MUST NOT … [apply] Transfer-Encoding … [to] HTTP/1.0" — TE in a 1.0 request → 400.
    @Test func parser_Rejects_TransferEncodingOnHttp10() {
        expectRejects(
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .invalidTransferEncoding, status: 400)
    }

    // RFC 9112 §3.2: "MUST respond with a 400 … to any HTTP/1.1 request message that lacks a Host header field
    // and to any request message that contains more than one Host header field line or a Host header field with
    // an invalid field value."
    @Test(arguments: [
        "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n",
        "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.0\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a?b\r\n\r\n", "GET / HTTP/1.1\r\nHost: a#b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
    ])
    func parser_Rejects_MissingDuplicatedOrInvalidHost(raw: String) {
        expectRejects(raw, .invalidHost, status: 400)
    }

    // RFC 9110 §7.2 / RFC 3986 §3.2.2: Host = uri-host [ ":" port ] — each byte is allowed iff it is unreserved,
    // "%", a sub-delim, ":", "[" or "]" (exhaustive; the check applies to HTTP/1.0 requests too).
    @Test func parser_AcceptsHostByte_IffAuthorityCharacter() {
        let allowed = Set(Array("-._~%!$&'()*+,;=:[]".utf8))
        for b in UInt8.min...UInt8.max where b != 0x0A && b != 0x0D {
            for version in ["1.1", "1.0"] {
                let raw = bytes("GET / HTTP/\(version)\r\nHost: a") + [b] + bytes("b\r\n\r\n")
                let got = framed(feed([raw[...]]))
                let isAllowed =
                    (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                    || allowed.contains(b)
                if isAllowed {
                    #expect(got.count == 1 && got.first?.request != nil, "byte \(b) HTTP/\(version): \(got)")
                } else {
                    #expect(got.count == 1 && got.first?.error?.status.code == 400, "byte \(b) HTTP/\(version): \(got)")
                }
            }
        }
    }

    // RFC 9110 §7.2: Host may carry a port, an IP literal, or be empty (no authority).
    @Test(arguments: ["example.com:8080", "[::1]:80", "127.0.0.1", ""])
    func parser_Accepts_ValidHostValues(host: String) {
        #expect(expectRequest("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")?.headers == ["Host: \(host)"])
    }

    // RFC 9110 §10.1.1: with Expect: 100-continue and content still to come, the parser asks for 100 Continue
    // once, after the head and before any body byte.
    @Test func parser_EmitsContinueExpected_BeforeBody() {
        let head = bytes(post("Expect: 100-continue\r\nContent-Length: 3\r\n"))
        #expect(feed([head[...], bytes("abc")[...]]).count == 2)
        #expect(feed([head[...], bytes("abc")[...]]).first == .continueExpected)
        #expect(feed([head[...], bytes("abc")[...]]).last?.request?.bodyString == "abc")
    }

    // RFC 9110 §10.1.1: "MAY omit sending a 100 (Continue) response if it has already received … the content".
    @Test func parser_SkipsContinue_WhenBodyAlreadyBuffered() {
        let whole = bytes(post("Expect: 100-continue\r\nContent-Length: 3\r\n", body: "abc"))
        let got = feed([whole[...]])
        #expect(got.count == 1 && got.first?.request?.bodyString == "abc", "\(got)")
        let chunked = bytes(post("Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n"))
        let gotChunked = feed([chunked[...]])
        #expect(gotChunked.count == 1 && gotChunked.first?.request != nil, "\(gotChunked)")
    }

    // RFC 9110 §10.1.1: chunked content with 100-continue → continueExpected before the first chunk.
    @Test func parser_EmitsContinueExpected_ForChunkedBody() {
        let head = bytes(post("Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n"))
        let got = feed([head[...], bytes("2\r\nab\r\n0\r\n\r\n")[...]])
        #expect(got.first == .continueExpected)
        #expect(got.last?.request?.bodyString == "ab")
    }

    // RFC 9110 §10.1.1: a request without content never gets a 100; HTTP/1.0 requests never do either.
    @Test func parser_SkipsContinue_WithoutContentOrOnHttp10() {
        #expect(feed([bytes(post("Expect: 100-continue\r\n"))[...]]).count == 1)
        let old = bytes("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")
        #expect(feed([old[...], bytes("x")[...]]).count == 1)
    }

    // RFC 9110 §10.1.1: "A server that receives an Expect field value containing a member other than
    // 100-continue MAY respond with a 417 (Expectation Failed)".
    @Test(arguments: ["something", "100-continue, foo", "200-ok", ""])
    func parser_Rejects_OtherExpectations_With417(value: String) {
        expectRejects(
            post("Expect: \(value)\r\nContent-Length: 1\r\n", body: "x"), .unsupportedExpectation(value), status: 417)
    }

    // RFC 9110 §10.1.1: an unsupported expectation on a second Expect field line also → 417.
    @Test func parser_Rejects_OtherExpectationOnSecondFieldLine_With417() {
        expectRejects(
            post("Expect: 100-continue\r\nExpect: foo\r\nContent-Length: 1\r\n", body: "x"),
            .unsupportedExpectation("foo"),
            status: 417)
    }
}
