import Testing

@testable import HTTP

@Suite struct RequestParserLimitsTests {
    private let defaults = HTTPLimits()

    private func get(targetLength n: Int) -> String {
        "GET /" + String(repeating: "a", count: n - 1) + " HTTP/1.1\r\nHost: h\r\n\r\n"
    }

    /// A request whose field lines (CRLFs included) total exactly `n` octets: `Host: h` plus one filler line.
    private func request(fieldBytes n: Int, fillerLines: Int = 1) -> String {
        var fields = "Host: h\r\n"
        var remaining = n - fields.utf8.count
        for i in 0..<fillerLines {
            let length = i == fillerLines - 1 ? remaining : remaining / (fillerLines - i)
            fields += "X: " + String(repeating: "v", count: length - 5) + "\r\n"
            remaining -= length
        }
        precondition(fields.utf8.count == n)
        return "GET / HTTP/1.1\r\n" + fields + "\r\n"
    }

    // HTTPLimits documents its defaults; the tests below rely on them.
    @Test func limits_HaveDocumentedDefaults() {
        #expect(defaults.maxRequestTarget == 8192)
        #expect(defaults.maxHeaderBytes == 65536)
        #expect(defaults.maxBody == 33_554_432)
    }

    // RFC 9112 §3: a request-target of maxRequestTarget (8192) octets is accepted.
    @Test func parser_Accepts_TargetAtLimit() {
        #expect(expectRequest(get(targetLength: 8192), splits: .sampled(stride: 331))?.target.utf8.count == 8192)
    }

    // RFC 9112 §3 / RFC 9110 §15.5.15: one octet more → 414.
    @Test func parser_Rejects_TargetOverLimit_With414() {
        expectRejects(get(targetLength: 8193), .targetTooLong, status: 414, splits: .sampled(stride: 331))
    }

    // RFC 9112 §3: "RECOMMENDED that all HTTP senders and recipients support … request-line lengths of 8000
    // octets" — long methods and targets together still fit.
    @Test func parser_Accepts_RequestLineOf8000Octets() {
        let raw =
            "OPTIONS /" + String(repeating: "b", count: 8100) + "?q=" + String(repeating: "c", count: 80)
            + " HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(raw.utf8.count - "\r\nHost: h\r\n\r\n".utf8.count >= 8000)
        #expect(expectRequest(raw, splits: .sampled(stride: 499))?.method == "OPTIONS")
    }

    // RFC 9112 §3: an over-long target is refused as soon as the limit is passed, before the line ends.
    @Test func parser_Rejects_EndlessRequestLine_BeforeItEnds() {
        let raw = bytes("GET /" + String(repeating: "a", count: 9000))
        #expect(feed([raw[...]]) == [.failure(.targetTooLong)])
        expectMachineRejects(raw, status: 414)
    }

    // RFC 9112 §3: a long target without a version is still a 414, not a short-line error.
    @Test func parser_Rejects_LongTargetWithoutVersion_With414() {
        expectRejects(
            "GET /" + String(repeating: "a", count: 8200) + "\r\n\r\n", .targetTooLong, status: 414,
            splits: .sampled(stride: 997))
    }

    // Edges checked at every split with a small limit.
    @Test func parser_AppliesTargetLimit_AtEverySplit() {
        let limits = HTTPLimits(maxRequestTarget: 16)
        #expect(expectRequest(get(targetLength: 16), limits: limits)?.target.utf8.count == 16)
        expectRejects(get(targetLength: 17), .targetTooLong, status: 414, limits: limits)
    }

    // RFC 6585 §5: a header section of exactly maxHeaderBytes (65,536 octets of field lines, CRLFs included)
    // is accepted; one octet more → 431.
    @Test(arguments: [1, 7, 300])
    func parser_AppliesHeaderSectionLimit_AtDefault(fillerLines: Int) {
        let atLimit = request(fieldBytes: 65536, fillerLines: fillerLines)
        #expect(expectRequest(atLimit, splits: .sampled(stride: 4099))?.headers.count == fillerLines + 1)
        let over = request(fieldBytes: 65537, fillerLines: fillerLines)
        expectRejects(over, .headersTooLarge, status: 431, splits: .sampled(stride: 4099))
    }

    // Same edge at every split with a small limit.
    @Test func parser_AppliesHeaderSectionLimit_AtEverySplit() {
        let limits = HTTPLimits(maxHeaderBytes: 40)
        for lines in [1, 2, 3] {
            #expect(expectRequest(request(fieldBytes: 40, fillerLines: lines), limits: limits) != nil)
            expectRejects(request(fieldBytes: 41, fillerLines: lines), .headersTooLarge, status: 431, limits: limits)
        }
    }

    // RFC 6585 §5: an endless field line is refused before it ends.
    @Test func parser_Rejects_EndlessFieldLine_BeforeItEnds() {
        let raw = bytes("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 70000))
        #expect(feed([raw[...]]) == [.failure(.headersTooLarge)])
    }

    // RFC 9112 §7.1.2: trailer fields count against the same limit → 431.
    @Test func parser_AppliesHeaderLimit_ToTrailerSection() {
        let limits = HTTPLimits(maxHeaderBytes: 64)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        let fits = "T: " + String(repeating: "t", count: 59) + "\r\n"
        #expect(expectRequest(head + fits + "\r\n", limits: limits)?.body == [])
        expectRejects(head + fits + "U: u\r\n\r\n", .headersTooLarge, status: 431, limits: limits)
        expectRejects(
            head + "T: " + String(repeating: "t", count: 60) + "\r\n\r\n", .headersTooLarge, status: 431, limits: limits
        )
    }

    // RFC 9110 §15.5.14: content of exactly maxBody octets is accepted.
    @Test func parser_Accepts_BodyAtLimit() {
        let limits = HTTPLimits(maxBody: 10)
        let raw = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789"
        #expect(expectRequest(raw, limits: limits)?.bodyString == "0123456789")
    }

    // RFC 9110 §15.5.14: a declared Content-Length over maxBody → 413 as soon as the head is read, before any
    // body byte (the head alone is fed).
    @Test func parser_Rejects_DeclaredBodyOverLimit_BeforeBodyArrives() {
        expectRejects(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", .bodyTooLarge(limit: 10), status: 413,
            limits: HTTPLimits(maxBody: 10))
        expectRejects(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 33554433\r\n\r\n", .bodyTooLarge(limit: 33_554_432),
            status: 413)
    }

    // RFC 9110 §15.5.14: exactly the default maxBody is not rejected; the parser waits for the content.
    @Test func parser_WaitsForBody_WhenDeclaredLengthIsAtDefaultLimit() {
        let head = bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 33554432\r\n\r\n")
        #expect(feed([head[...]]).isEmpty)
    }

    // RFC 9110 §15.5.14: a chunked body growing past maxBody → 413 when the size line is read, before its data.
    @Test func parser_Rejects_ChunkedBodyOverLimit() {
        let limits = HTTPLimits(maxBody: 10)
        let prefix = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(expectRequest(prefix + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", limits: limits)?.body.count == 10)
        expectRejects(prefix + "5\r\n01234\r\n6\r\n", .bodyTooLarge(limit: 10), status: 413, limits: limits)
        expectRejects(prefix + "b\r\n", .bodyTooLarge(limit: 10), status: 413, limits: limits)
    }
}
