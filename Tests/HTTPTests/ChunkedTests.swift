import Testing

@testable import HTTP

@Suite struct ChunkedTests {
    private func chunked(_ body: String, extra: String = "") -> String {
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\(extra)\r\n\(body)"
    }

    // RFC 9112 §7.1: chunked-body = *chunk last-chunk trailer-section CRLF; chunk sizes are hex.
    @Test func parser_Dechunks_Body() {
        let r = expectRequest(chunked("5\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n\r\n"))
        #expect(r?.bodyString == "hello 0123456789")
        #expect(r?.headers.contains("Transfer-Encoding: chunked") == true)
    }

    // RFC 9112 §7.1: hex digits are case-insensitive and may have leading zeros.
    @Test func parser_Accepts_HexSizesInEitherCaseWithLeadingZeros() {
        let data = String(repeating: "x", count: 0x1a)
        #expect(expectRequest(chunked("1a\r\n\(data)\r\n001A\r\n\(data)\r\n000\r\n\r\n"))?.body.count == 0x34)
    }

    // RFC 9112 §7.1: the last chunk alone is an empty body.
    @Test func parser_Accepts_EmptyChunkedBody() {
        #expect(expectRequest(chunked("0\r\n\r\n"))?.body == [])
    }

    // RFC 9112 §7.1.1: chunk extensions (token names, token or quoted-string values, BWS around ";" and "=")
    // are accepted and ignored.
    @Test(arguments: [
        "3;a\r\n", "3;a=b\r\n", "3 ;a=b\r\n", "3; a = b\r\n", "3;a=\"q u;o=t\\\"e\"\r\n", "3;a;b=c;d=\"\"\r\n",
        "3\t;\ta\r\n",
    ])
    func parser_Accepts_ChunkExtensions(sizeLine: String) {
        #expect(expectRequest(chunked(sizeLine + "abc\r\n0;last=1\r\n\r\n"))?.bodyString == "abc")
    }

    // RFC 9112 §7.1.1: a chunk-ext that is not `;` name [= value] is a malformed chunk → 400.
    @Test(arguments: [
        "3;\r\n", "3 \r\n", "3;a=\r\n", "3;=b\r\n", "3;a b\r\n", "3;a=\"open\r\n", "3;a=b c\r\n", "3a;\r\n",
        "3;a=\u{7F}\r\n", "3,a\r\n",
    ])
    func parser_Rejects_MalformedChunkExtensions(sizeLine: String) {
        expectRejects(chunked(sizeLine + "abc\r\n0\r\n\r\n"), .invalidChunk, status: 400)
    }

    // RFC 9112 §7.1: chunk-size = 1*HEXDIG — no sign, prefix, underscore or leading whitespace → 400.
    @Test(arguments: ["+5", "-5", "0x5", "5_0", " 5", "\t5", "", "g", ";a"])
    func parser_Rejects_InvalidChunkSize(size: String) {
        expectRejects(chunked("\(size)\r\nhello\r\n0\r\n\r\n"), .invalidChunk, status: 400)
    }

    // RFC 9112 §7.1: a size beyond 15 hex digits would overflow → 400 (not wrapped around to a small size).
    @Test func parser_Rejects_ChunkSizeOverflow() {
        for size in ["10000000000000005", "ffffffffffffffff", "1000000000000000", "8000000000000000"] {
            expectRejects(chunked("\(size)\r\nhello\r\n0\r\n\r\n"), .invalidChunk, status: 400)
        }
    }

    // RFC 9112 §7.1: 15 hex digits are parsed (and here exceed maxBody → 413, not a framing error).
    @Test func parser_Parses_FifteenHexDigitSize() {
        expectRejects(
            chunked("fffffffffffffff\r\nhello\r\n0\r\n\r\n"), .bodyTooLarge(limit: 32 * 1024 * 1024), status: 413)
        #expect(expectRequest(chunked("000000000000005\r\nhello\r\n0\r\n\r\n"))?.bodyString == "hello")
    }

    // RFC 9112 §7.1: the chunk sizes accepted are exactly those made of HEXDIG (exhaustive first byte).
    @Test func parser_AcceptsChunkSizeFirstByte_IffHexDigit() {
        for b in UInt8.min...UInt8.max {
            let size = Int(PercentDecoding.hexValue(b) ?? 0)
            let rest = size == 0 ? "\r\n\r\n" : "\r\n" + String(repeating: "d", count: size) + "\r\n0\r\n\r\n"
            let raw = bytes(chunked("")) + [b] + bytes(rest)
            let got = framed(feed([raw[...]]))
            if isHexDigit(b) {
                #expect(got.count == 1 && got.first?.request?.body.count == size, "byte \(b): \(got)")
            } else {
                #expect(got.count == 1 && got.first?.error?.status.code == 400, "byte \(b): \(got)")
            }
        }
    }

    // RFC 9112 §7.1: chunk-data is followed by CRLF; anything else (or a bare LF) → 400.
    @Test(arguments: [
        "5\r\nhelloX\r\n0\r\n\r\n", "5\r\nhello\n0\r\n\r\n", "5\r\nhello\rX0\r\n\r\n", "5\r\nhello0\r\n\r\n",
    ])
    func parser_Rejects_MissingCRLFAfterChunkData(body: String) {
        expectRejects(chunked(body), .invalidChunk, status: 400)
    }

    // RFC 9112 §7.1: a wrong byte right after chunk-data is refused at once, without waiting for another byte.
    @Test func parser_Rejects_WrongByteAfterChunkData_Immediately() {
        #expect(feed([bytes(chunked("5\r\nhelloX"))[...]]) == [.failure(.invalidChunk)])
        #expect(feed([bytes(chunked("5\r\nhello\r"))[...]]).isEmpty)
    }

    // RFC 9112 §7.1 (framing, not §2.2's start-line/fields): a chunk-size line must end in CRLF, not a bare LF.
    @Test(arguments: ["5\nhello\r\n0\r\n\r\n", "5\r\nhello\r\n0\n\r\n", "5\r\nhello\r\n0\r\n\n", "0\r\nT: v\n\r\n"])
    func parser_Rejects_BareLFInChunkedFraming(body: String) {
        expectRejects(chunked(body), .invalidChunk, status: 400)
    }

    // RFC 9112 §2.2: a bare CR inside a chunk-size line → 400.
    @Test func parser_Rejects_BareCRInChunkSizeLine() {
        expectRejects(chunked("5\rx\r\nhello\r\n0\r\n\r\n"), .bareCarriageReturn, status: 400)
    }

    // RFC 9112 §7.1.2: trailer fields are validated and then dropped (not merged into the header fields).
    @Test func parser_DropsValidTrailers() {
        let r = expectRequest(chunked("3\r\nabc\r\n0\r\nX-Checksum: 42\r\nX-Other:  v \r\n\r\n"))
        #expect(r?.bodyString == "abc")
        #expect(r?.headers == ["Host: h", "Transfer-Encoding: chunked"])
    }

    // RFC 9112 §7.1.2 + §5: trailer field lines follow field-line grammar; violations → 400.
    @Test(arguments: [
        ("0\r\nBad Name: v\r\n\r\n", HTTPParseError.invalidHeaderName), ("0\r\nX : v\r\n\r\n", .whitespaceBeforeColon),
        ("0\r\nX: v\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("0\r\nX: a\u{1}b\r\n\r\n", .invalidHeaderValue(name: "X")),
        ("0\r\nNoColon\r\n\r\n", .invalidHeaderName),
    ])
    func parser_Rejects_InvalidTrailers(body: String, error: HTTPParseError) {
        expectRejects(chunked(body), error, status: 400)
    }

    // RFC 9112 §7.1: the body ends after the trailer section; what follows is the next request.
    @Test func parser_ParsesPipelinedRequestAfterChunkedBody() {
        let got = expectParses(
            chunked("2\r\nhi\r\n0\r\n\r\n") + chunked("1\r\nx\r\n0\r\nT: 1\r\n\r\n") + simpleGET("/3"))
        #expect(got.map(\.bodyString) == ["hi", "x", ""])
        #expect(got.map(\.target) == ["/c", "/c", "/3"])
    }

    // RFC 9112 §7.1: a chunk larger than the bytes received so far waits for the rest.
    @Test func parser_WaitsForRestOfChunk() {
        let raw = bytes(chunked("a\r\n01234"))
        #expect(feed([raw[...]]).isEmpty)
        #expect(feed([raw[...], bytes("56789\r\n0\r\n\r\n")[...]]).last?.request?.bodyString == "0123456789")
    }

    // HTTPGrammar.isChunkExtensions checked directly on the edge cases of quoted-pair.
    @Test func grammar_ChunkExtensions_QuotedPair() {
        #expect(HTTPGrammar.isChunkExtensions(bytes(";a=\"\\\\\"")[...]))
        #expect(HTTPGrammar.isChunkExtensions(bytes(";a=\"\\\"\"")[...]))
        #expect(!HTTPGrammar.isChunkExtensions(bytes(";a=\"\\\"")[...]))
        #expect(!HTTPGrammar.isChunkExtensions(bytes(";a=\"x\"y")[...]))
        #expect(!HTTPGrammar.isChunkExtensions(([UInt8(ascii: ";"), UInt8(ascii: "a"), 0x3D, 0x22, 0x00, 0x22])[...]))
        #expect(HTTPGrammar.isChunkExtensions([][...]))
    }
}
