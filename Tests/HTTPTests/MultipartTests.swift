import Testing

@testable import HTTP

/// The multipart syntax of RFC 2046 §5.1.1, as `Multipart.parts(of:boundary:)` reads it: delimiters,
/// transport padding, preamble and epilogue, byte-exact content, the close delimiter, header sections and limits.
@Suite struct MultipartTests {
    static let boundary = "----EmulatorBoundary7MA4YWxkTrZu0gW"

    /// Every byte value, then CR/LF/dash runs that look like the edges of a delimiter.
    static let binary: [UInt8] =
        Array(0...255) + bytes("\r\n\r\n--\r\n-\r--\n--\(boundary)") + bytes("\r\n--\(boundary.dropLast())") + [13]

    // MARK: - Parts and content

    // RFC 2046 §5.1.1: "multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF body-part
    // *encapsulation close-delimiter transport-padding [CRLF epilogue]".
    @Test func parts_ReadsEveryPart_InOrder() throws {
        let body = multipartBody([
            (#"Content-Disposition: form-data; name="a""#, bytes("1")),
            (
                "Content-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\nContent-Type: image/png",
                [0, 1, 2]
            ),
            (#"Content-Disposition: form-data; name="c""#, []),
        ])
        let parts = try Multipart.parts(of: body, boundary: Self.boundary)
        #expect(parts.map(\.content) == [bytes("1"), [0, 1, 2], []])
        #expect(parts.map { $0.headers.count } == [1, 2, 1])
        #expect(parts[1].headers["content-type"] == "image/png")
        #expect(parts[1].headers["Content-Disposition"] == #"form-data; name="file"; filename="x.bin""#)
    }

    // RFC 2046 §5.1.1: "OCTET := <any 0-255 octet value>" in a body-part; only "delimiter := CRLF dash-boundary"
    // ends it — a CRLF, a bare CR or LF, "--", "--boundary" without CRLF, "LF--boundary" and a CRLF followed by a
    // prefix of the boundary are content.
    @Test func parts_KeepsBinaryContentByteExact() throws {
        let body = multipartBody([(#"Content-Disposition: form-data; name="f""#, Self.binary)])
        #expect(try Multipart.parts(of: body, boundary: Self.boundary).map(\.content) == [Self.binary])
    }

    // The delimiter at every position: content of every length from 0 to 300 octets, each ending in bytes that
    // look like the start of a delimiter (CR, CRLF, CRLF-, CRLF--).
    @Test(arguments: ["", "\r", "\r\n", "\r\n-", "\r\n--", "\r\n--\(boundary.prefix(5))"])
    func parts_FindsTheDelimiter_AfterContentOfEveryLength(tail: String) throws {
        for length in 0...300 {
            let content = Array(Self.binary.prefix(length)) + bytes(tail)
            let body = multipartBody([("X: y", content), ("X: z", content)])
            let parts = try Multipart.parts(of: body, boundary: Self.boundary)
            #expect(parts.map(\.content) == [content, content], "length \(length)")
        }
    }

    // RFC 2046 §5.1.1: "the delimiter must not appear anywhere in the body part" — every proper prefix of the
    // delimiter survives at every offset of the content.
    @Test func parts_KeepsPartialDelimiters_AtEveryOffset() throws {
        let delimiter = bytes("\r\n--\(Self.boundary)")
        let filler = (0..<64).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        for cut in 1..<delimiter.count {
            for offset in 0...filler.count {
                var content = filler
                content.insert(contentsOf: delimiter.prefix(cut), at: offset)
                let body = multipartBody([("X: y", content)])
                #expect(try Multipart.parts(of: body, boundary: Self.boundary).map(\.content) == [content])
            }
        }
    }

    // RFC 2046 §5.1.1 NOTE TO IMPLEMENTORS: "it is sufficient that the boundary appear in its entirety following the
    // CRLF" — a content line starting with the dash-boundary is a boundary, and one followed by text is malformed.
    @Test func parts_Rejects_ContentLineStartingWithTheBoundary() {
        let body = multipartBody([("X: y", bytes("a\r\n--\(Self.boundary)X"))])
        #expect(throws: MultipartError.malformedBoundaryLine) { try Multipart.parts(of: body, boundary: Self.boundary) }
    }

    // RFC 2046 §5.1.1: "preamble := discard-text", "epilogue := discard-text … May be ignored or discarded."
    @Test func parts_IgnoresPreambleAndEpilogue() throws {
        let parts: [(String, [UInt8])] = [("X: y", bytes("value"))]
        let plain = try Multipart.parts(of: multipartBody(parts), boundary: Self.boundary)
        let framed = multipartBody(
            parts, preamble: "This is the preamble.\r\nx--\(Self.boundary)\r\n",
            epilogue: "\r\nThe epilogue.\r\n--\(Self.boundary)\r\nX: z\r\n\r\nignored")
        #expect(try Multipart.parts(of: framed, boundary: Self.boundary) == plain)
        #expect(plain.map(\.content) == [bytes("value")])
    }

    // RFC 2046 §5.1.1: "transport-padding := *LWSP-char ; … receivers MUST be able to handle padding added by
    // message transports", after the first boundary, each delimiter and the close delimiter.
    @Test func parts_AcceptsTransportPadding() throws {
        let b = Self.boundary
        let body = bytes("--\(b) \t \r\nX: 1\r\n\r\none\r\n--\(b)\t\r\nX: 2\r\n\r\ntwo\r\n--\(b)-- \t\r\nepilogue")
        let parts = try Multipart.parts(of: body, boundary: b)
        #expect(parts.map(\.content) == [bytes("one"), bytes("two")])
        #expect(try Multipart.parts(of: bytes("--\(b)\r\n\r\nx\r\n--\(b)--  "), boundary: b).count == 1)
    }

    // MARK: - Missing or malformed boundaries

    // RFC 2046 §5.1.1: the body ends with "close-delimiter transport-padding [CRLF epilogue]".
    @Test(arguments: [
        "", "\r\n", "\r\n--", "\r\n--B", "\r\n--\(boundary)", "\r\n--\(boundary)-", "\r\n--\(boundary)\r\n",
    ])
    func parts_Rejects_MissingFinalBoundary(ending: String) {
        let body = bytes("--\(Self.boundary)\r\nX: y\r\n\r\ncontent" + ending)
        #expect(throws: MultipartError.missingCloseDelimiter) { try Multipart.parts(of: body, boundary: Self.boundary) }
    }

    // Every proper prefix of a valid body fails until the close delimiter is complete; from then on the body may
    // end anywhere but after a lone CR, which is neither transport-padding nor the CRLF before the epilogue.
    @Test func parts_RejectsEveryTruncation_BeforeTheCloseDelimiter() throws {
        let body = multipartBody([("X: y", bytes("a\r\nb")), ("X: z", bytes("c"))])
        let close = bytes("--\(Self.boundary)--")
        let complete = Multipart.firstIndex(of: close, in: body[...], from: 0)! + close.count
        let expected = try Multipart.parts(of: body, boundary: Self.boundary)
        for cut in 0..<complete {
            #expect(throws: MultipartError.self, "cut at \(cut)") {
                try Multipart.parts(of: body.prefix(cut), boundary: Self.boundary)
            }
        }
        for cut in complete...body.count where cut != complete + 1 {
            #expect(try Multipart.parts(of: body.prefix(cut), boundary: Self.boundary) == expected, "cut at \(cut)")
        }
        #expect(throws: MultipartError.malformedBoundaryLine) {
            try Multipart.parts(of: body.prefix(complete + 1), boundary: Self.boundary)
        }
    }

    // RFC 2046 §5.1.1: "dash-boundary := "--" boundary" must start the body or follow a CRLF.
    @Test(arguments: ["", "no boundary here", "x--\(boundary)\r\n\r\n", "--\(boundary.dropLast())\r\n"])
    func parts_Rejects_BodyWithoutFirstBoundary(body: String) {
        #expect(throws: MultipartError.missingFirstBoundary) {
            try Multipart.parts(of: bytes(body), boundary: Self.boundary)
        }
    }

    // RFC 2046 §5.1.1: "The boundary delimiter line is then defined as a line consisting entirely of two hyphen
    // characters … followed by the boundary parameter value …, optional linear whitespace, and a terminating CRLF."
    @Test(arguments: [
        "--B\r\n\r\nx\r\n--BX\r\n\r\ny\r\n--B--", "--BX\r\n\r\nx\r\n--B--", "--B\r\n\r\nx\r\n--B-x",
        "--B\r\n\r\nx\r\n--B--x", "--B\r\n\r\nx\r\n--B-- \n", "--B \r\r\n\r\nx\r\n--B--",
    ])
    func parts_Rejects_TextAfterABoundary(body: String) {
        #expect(throws: MultipartError.malformedBoundaryLine) { try Multipart.parts(of: bytes(body), boundary: "B") }
    }

    // Decision: LF-only line ends are rejected. RFC 2046 §5.1.1 defines "delimiter := CRLF dash-boundary" and the
    // boundary line ends in "a terminating CRLF"; accepting LF would also cut binary content at "LF--boundary".
    @Test func parts_Rejects_LFOnlyLineEnds() {
        let b = Self.boundary
        let lfOnly = bytes("--\(b)\nContent-Disposition: form-data; name=\"a\"\n\nvalue\n--\(b)--\n")
        #expect(throws: MultipartError.malformedBoundaryLine) { try Multipart.parts(of: lfOnly, boundary: b) }
        let lfHeaders = bytes("--\(b)\r\nContent-Disposition: form-data; name=\"a\"\n\nvalue\r\n--\(b)--")
        #expect(throws: MultipartError.unterminatedPartHeaders) { try Multipart.parts(of: lfHeaders, boundary: b) }
        let lfInsideHeaders = bytes("--\(b)\r\nX: a\nY: b\r\n\r\nvalue\r\n--\(b)--")
        #expect(throws: MultipartError.invalidLineEnding) { try Multipart.parts(of: lfInsideHeaders, boundary: b) }
        let crInsideHeaders = bytes("--\(b)\r\nX: a\rY: b\r\n\r\nvalue\r\n--\(b)--")
        #expect(throws: MultipartError.invalidLineEnding) { try Multipart.parts(of: crInsideHeaders, boundary: b) }
    }

    // RFC 2046 §5.1.1: at least one "body-part" precedes the close delimiter.
    @Test(arguments: ["--B--", "--B--\r\n", "preamble\r\n--B--  \r\nepilogue"])
    func parts_Rejects_BodyWithoutParts(body: String) {
        #expect(throws: MultipartError.noParts) { try Multipart.parts(of: bytes(body), boundary: "B") }
    }

    // MARK: - Empty parts and header sections

    // RFC 2046 §5.1.1: "body-part := MIME-part-headers [CRLF *OCTET]" — headers and content may both be empty.
    @Test func parts_AcceptsEmptyParts() throws {
        let noHeadersNoContent = try Multipart.parts(of: bytes("--B\r\n\r\n--B--"), boundary: "B")
        #expect(noHeadersNoContent == [MultipartPart(content: [])])
        let noHeaders = try Multipart.parts(of: bytes("--B\r\n\r\nabc\r\n--B--"), boundary: "B")
        #expect(noHeaders == [MultipartPart(content: bytes("abc"))])
        let headersOnly = try Multipart.parts(of: bytes("--B\r\nX: y\r\n\r\n--B--"), boundary: "B")
        #expect(headersOnly.map(\.content) == [[]])
        #expect(headersOnly.first?.headers["X"] == "y")
        let emptyContent = try Multipart.parts(of: bytes("--B\r\nX: y\r\n\r\n\r\n--B--"), boundary: "B")
        #expect(emptyContent.map(\.content) == [[]])
    }

    // RFC 5322 §2.2: a header field "is terminated by CRLF"; a field running into the delimiter has no end.
    @Test func parts_Rejects_HeaderSectionWithoutEnd() {
        #expect(throws: MultipartError.unterminatedPartHeaders) {
            try Multipart.parts(of: bytes("--B\r\nX: y\r\n--B--"), boundary: "B")
        }
    }

    // RFC 5322 §2.2: "A field name MUST be composed of printable US-ASCII characters … except colon"; field values
    // hold no controls (RFC 9110 §5.5) and are UTF-8 (RFC 7578 §5.1.3).
    @Test(arguments: [
        ("No-Colon", MultipartError.invalidPartHeader), (": empty name", .invalidPartHeader),
        ("Bad Name: v", .invalidPartHeader), (" X: leading space", .invalidPartHeader),
        ("X: a\u{01}b", .invalidPartHeaderValue(name: "X")), ("X: a\u{7F}", .invalidPartHeaderValue(name: "X")),
    ])
    func parts_Rejects_MalformedHeaderLine(line: String, error: MultipartError) {
        #expect(throws: error) { try Multipart.parts(of: bytes("--B\r\n\(line)\r\n\r\nv\r\n--B--"), boundary: "B") }
    }

    @Test func parts_Rejects_HeaderValueThatIsNotUTF8() {
        let body = bytes("--B\r\nX: a") + [0xFF, 0xFE] + bytes("\r\n\r\nv\r\n--B--")
        #expect(throws: MultipartError.invalidPartHeaderValue(name: "X")) {
            try Multipart.parts(of: body, boundary: "B")
        }
    }

    // RFC 5322 §2.2.3: "Unfolding is accomplished by simply removing any CRLF that is immediately followed by WSP."
    @Test func parts_UnfoldsFoldedHeaderLines() throws {
        let body = bytes("--B\r\nX: one\r\n two\r\n\tthree \r\nY: ü\r\n\r\nv\r\n--B--")
        let part = try Multipart.parts(of: body, boundary: "B").first
        #expect(part?.headers["X"] == "one two\tthree")
        #expect(part?.headers["Y"] == "ü")
    }

    // MARK: - Limits

    // Multipart.Limits.maxHeaderBytes: the header section with its CRLFs and the empty line, just under and over.
    @Test func parts_LimitsTheHeaderSection_AtItsEdge() throws {
        let limits = Multipart.Limits(maxHeaderBytes: 64)
        func body(headerSection size: Int) -> [UInt8] {
            let line = "X: " + String(repeating: "v", count: size - 7)  // "X: …" CRLF CRLF
            return bytes("--B\r\n\(line)\r\n\r\ncontent\r\n--B--")
        }
        #expect(try Multipart.parts(of: body(headerSection: 64), boundary: "B", limits: limits).count == 1)
        #expect(throws: MultipartError.partHeadersTooLarge(limit: 64)) {
            try Multipart.parts(of: body(headerSection: 65), boundary: "B", limits: limits)
        }
        let endless = bytes("--B\r\nX: " + String(repeating: "v", count: 100) + "\r\n--B--")
        #expect(throws: MultipartError.partHeadersTooLarge(limit: 64)) {
            try Multipart.parts(of: endless, boundary: "B", limits: limits)
        }
    }

    // Multipart.Limits.maxParts, just under and over.
    @Test func parts_LimitsTheNumberOfParts_AtItsEdge() throws {
        let limits = Multipart.Limits(maxParts: 3)
        let three = multipartBody(Array(repeating: ("X: y", bytes("v")), count: 3))
        #expect(try Multipart.parts(of: three, boundary: Self.boundary, limits: limits).count == 3)
        let four = multipartBody(Array(repeating: ("X: y", bytes("v")), count: 4))
        #expect(throws: MultipartError.tooManyParts(limit: 3)) {
            try Multipart.parts(of: four, boundary: Self.boundary, limits: limits)
        }
        #expect(Multipart.Limits() == Multipart.Limits(maxParts: 100, maxHeaderBytes: 16384))
    }
}
