import Testing

@testable import HTTP

/// `multipart/form-data` (RFC 7578) on top of the multipart syntax: the boundary from the Content-Type, the
/// Content-Disposition and Content-Type of each part, and a result that does not depend on how the body arrived.
@Suite struct MultipartFormDataTests {
    static let boundary = MultipartTests.boundary
    static let contentType = "multipart/form-data; boundary=\(boundary)"

    // MARK: - The boundary parameter

    // RFC 7578 §4.1: "it is often necessary to enclose the "boundary" parameter values in quotes in the
    // Content-Type header field"; RFC 9110 §8.3.1: type and subtype are case-insensitive; §5.6.6: "Parameter
    // names are case-insensitive", parameters are separated by OWS ";" OWS.
    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "abc"), ("multipart/form-data;boundary=abc", "abc"),
        ("Multipart/Form-Data; BOUNDARY=AbC", "AbC"), ("multipart/form-data ; charset=utf-8 ;boundary=a.b", "a.b"),
        (#"multipart/form-data; boundary="a b:c?=()/,'+_-.""#, "a b:c?=()/,'+_-."),
        (#"multipart/form-data; boundary="q\u\o\te""#, "quote"), ("multipart/form-data; boundary=x;", "x"),
    ])
    func boundary_IsRead_QuotedOrNot(contentType: String, boundary: String) throws {
        #expect(try Multipart.boundary(contentType: contentType) == boundary)
    }

    // RFC 7578 §4: the media type is multipart/form-data; any other is not form data.
    @Test(arguments: [
        "", "multipart/mixed; boundary=a", "application/json", "text/plain; boundary=a", "multipart/form-data2",
        "multipart/form-data boundary=a", "form-data; boundary=a",
    ])
    func boundary_IsRejected_WhenNotFormData(contentType: String) {
        #expect(throws: MultipartError.notFormData(contentType)) { try Multipart.boundary(contentType: contentType) }
    }

    // RFC 9110 §5.6.6: "no whitespace is allowed around the "=" character"; a quoted-string must be closed; a
    // parameter named twice is ambiguous.
    @Test(arguments: [
        "multipart/form-data; boundary = a", "multipart/form-data; boundary=\"a", "multipart/form-data; boundary",
        "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; boundary=a b", "multipart/form-data; =a",
        "multipart/form-data; boundary=a=b",
    ])
    func boundary_IsRejected_WhenParametersAreMalformed(contentType: String) {
        #expect(throws: MultipartError.malformedContentType(contentType)) {
            try Multipart.boundary(contentType: contentType)
        }
    }

    // RFC 2046 §5.1.1: "The Content-Type field for multipart entities requires one parameter, "boundary"".
    @Test(arguments: ["multipart/form-data", "multipart/form-data; charset=utf-8", "multipart/form-data;"])
    func boundary_IsRequired(contentType: String) {
        #expect(throws: MultipartError.missingBoundary) { try Multipart.boundary(contentType: contentType) }
    }

    // RFC 2046 §5.1.1: "boundary := 0*69<bchars> bcharsnospace" — 1 to 70 characters, the last not a space.
    @Test func boundary_HasOneToSeventyCharacters_NotEndingInSpace() throws {
        let seventy = String(repeating: "b", count: 70)
        #expect(try Multipart.boundary(contentType: "multipart/form-data; boundary=\(seventy)") == seventy)
        for bad in ["", String(repeating: "b", count: 71), "ab ", " "] {
            #expect(throws: MultipartError.invalidBoundary(bad)) {
                try Multipart.boundary(contentType: "multipart/form-data; boundary=\"\(bad)\"")
            }
        }
        #expect(try Multipart.boundary(contentType: #"multipart/form-data; boundary=" ab""#) == " ab")
    }

    // RFC 2046 §5.1.1: "bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" /
    // ":" / "=" / "?"", "bchars := bcharsnospace / " "" — every byte value checked.
    @Test func boundary_AcceptsExactlyTheBChars_OverAllByteValues() {
        let bchars = Set(bytes("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? "))
        for value in 0...255 {
            let b = UInt8(value)
            let boundary = "a" + String(decoding: [b], as: UTF8.self) + "z"
            let accepted = (try? Multipart.validate(boundary: boundary)) != nil
            #expect(accepted == bchars.contains(b), "byte \(value)")
        }
    }

    // MARK: - Content-Disposition and Content-Type of the parts

    // The body curl sends for docs L2776 (`-F "image=@…sample_image.PNG;type=image/png"`).
    @Test func formData_ReadsNameFilenameAndContentType() throws {
        let body = multipartBody(
            [
                (
                    "Content-Disposition: form-data; name=\"image\"; filename=\"sample_image.PNG\"\r\n"
                        + "Content-Type: image/png", [0x89, 0x50, 0x4E, 0x47]
                ), (#"Content-Disposition: form-data; name="type""#, bytes("image/png")),
            ], boundary: "------------------------d74496d66958873e")
        let parts = try Multipart.formData(
            body, contentType: "multipart/form-data; boundary=------------------------d74496d66958873e")
        #expect(parts.map(\.name) == ["image", "type"])
        #expect(parts.map(\.filename) == ["sample_image.PNG", nil])
        #expect(parts.map(\.contentType?.essence) == ["image/png", nil])
        #expect(parts.map(\.content) == [[0x89, 0x50, 0x4E, 0x47], bytes("image/png")])
    }

    // RFC 9110 §5.6.4: a quoted-pair stands for the octet after the backslash; RFC 6266 §4.2: the disposition type
    // is case-insensitive; RFC 7578 §4.2: "filename*" "MUST NOT be used", so it is not read.
    @Test(arguments: [
        (#"form-data; name="a\"b"; filename="x;y\\z.png""#, "a\"b", "x;y\\z.png"),
        ("FORM-DATA; NAME=field; FileName=f.png", "field", "f.png"), ("form-data; name=\"\"", "", nil),
        ("form-data; name=\"ünï\"; filename=\"çødé.png\"", "ünï", "çødé.png"),
        ("form-data; name=a; filename*=UTF-8''x.png", "a", nil),
    ])
    func formData_ReadsTheDispositionParameters(disposition: String, name: String, filename: String?) throws {
        let body = multipartBody([("Content-Disposition: \(disposition)", bytes("v"))])
        let part = try Multipart.formData(body, contentType: Self.contentType).first
        #expect(part?.name == name)
        #expect(part?.filename == filename)
    }

    // RFC 7578 §4.2: "Each part MUST contain a Content-Disposition header field [RFC2183] where the disposition
    // type is "form-data". The Content-Disposition header field MUST also contain an additional parameter of
    // "name"".
    @Test func formData_Rejects_PartWithoutContentDisposition() {
        for body in [multipartBody([("Content-Type: text/plain", bytes("v"))]), multipartBody([("", bytes("v"))])] {
            #expect(throws: MultipartError.missingContentDisposition) {
                try Multipart.formData(body, contentType: Self.contentType)
            }
        }
    }

    @Test(arguments: [
        "attachment; name=\"a\"", "form-data", "form-data; filename=\"a.png\"", "form-data; name=a; name=b",
        "form-data; name=\"a", "form-data name=a", "form-data; name=a b",
    ])
    func formData_Rejects_InvalidContentDisposition(disposition: String) {
        let body = multipartBody([("Content-Disposition: \(disposition)", bytes("v"))])
        #expect(throws: MultipartError.invalidContentDisposition(disposition)) {
            try Multipart.formData(body, contentType: Self.contentType)
        }
    }

    @Test func formData_Rejects_RepeatedContentDisposition() {
        let body = multipartBody([
            ("Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b", [])
        ])
        #expect(throws: MultipartError.invalidContentDisposition("form-data; name=a, form-data; name=b")) {
            try Multipart.formData(body, contentType: Self.contentType)
        }
    }

    // RFC 7578 §4.4: "Each part MAY have an (optional) "Content-Type" header field" — when present, a media type.
    @Test(arguments: ["image", "image/", "/png", "image/png; q", "image/png\r\nContent-Type: image/gif"])
    func formData_Rejects_MalformedPartContentType(contentType: String) {
        let body = multipartBody([("Content-Disposition: form-data; name=a\r\nContent-Type: \(contentType)", [1])])
        #expect(throws: MultipartError.self) { try Multipart.formData(body, contentType: Self.contentType) }
        #expect(throws: MultipartError.invalidPartContentType(contentType.replacing("\r\nContent-Type: ", with: ", ")))
        {
            try Multipart.formData(body, contentType: Self.contentType)
        }
    }

    // RFC 7578 §4.7: "Senders MUST NOT generate any parts with a Content-Transfer-Encoding header field" — the
    // identity encodings change nothing; base64 or quoted-printable would change the octets.
    @Test func formData_AcceptsOnlyIdentityTransferEncodings() throws {
        for encoding in ["binary", "8bit", "7BIT"] {
            let body = multipartBody([
                ("Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: \(encoding)", [1])
            ])
            #expect(try Multipart.formData(body, contentType: Self.contentType).map(\.content) == [[1]])
        }
        for encoding in ["base64", "quoted-printable"] {
            let body = multipartBody([
                ("Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: \(encoding)", [1])
            ])
            #expect(throws: MultipartError.unsupportedTransferEncoding(encoding)) {
                try Multipart.formData(body, contentType: Self.contentType)
            }
        }
    }

    // RFC 7578 §4.2 / RFC 2046 §5.1.1: a form-data part with empty content (an empty field or an empty file).
    @Test func formData_AcceptsEmptyContent() throws {
        let body = multipartBody([
            (#"Content-Disposition: form-data; name="empty""#, []),
            (
                "Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream",
                []
            ),
        ])
        let parts = try Multipart.formData(body, contentType: Self.contentType)
        #expect(parts.map(\.content) == [[], []])
        #expect(parts.map(\.filename) == [nil, ""])
    }

    // MARK: - Independent of how the body was produced

    // The parser is a function of the body's octets: the same parts whether the body came with Content-Length or
    // chunked (RFC 9112 §6.3, §7.1) in any chunk size, arrived whole, byte by byte or split anywhere, or sits in a
    // slice of a larger buffer.
    @Test func formData_IsTheSame_HoweverTheBodyArrived() throws {
        let content = MultipartTests.binary + MultipartTests.binary.reversed()
        let body = multipartBody([
            (#"Content-Disposition: form-data; name="image"; filename="a.bin""#, content),
            (#"Content-Disposition: form-data; name="type""#, bytes("image/png")),
        ])
        let expected = try Multipart.formData(body, contentType: Self.contentType)
        #expect(expected.map(\.content) == [content, bytes("image/png")])
        let head = "POST /v2/images/upload HTTP/1.1\r\nHost: h\r\nContent-Type: \(Self.contentType)\r\n"
        var requests = [bytes(head + "Content-Length: \(body.count)\r\n\r\n") + body]
        for size in [1, 2, 7, 64, 1000] {
            requests.append(bytes(head + "Transfer-Encoding: chunked\r\n\r\n") + chunked(body, size: size))
        }
        for raw in requests {
            for (label, pieces) in cuts(of: raw, .sampled(stride: 37)) {
                let bodies = feed(pieces).compactMap(\.request?.body)
                #expect(bodies.count == 1, "\(label)")
                for received in bodies {
                    #expect(try Multipart.formData(received, contentType: Self.contentType) == expected, "\(label)")
                }
            }
        }
        let buffer = bytes("garbage before") + body + bytes("garbage after")
        let slice = buffer[14..<(14 + body.count)]
        #expect(try Multipart.formData(slice, contentType: Self.contentType) == expected)
    }

    // MARK: - Media types

    // RFC 9110 §8.3.1: "media-type = type "/" subtype parameters"; "The type and subtype tokens are
    // case-insensitive."
    @Test func mediaType_ParsesTypeSubtypeAndParameters() {
        let mediaType = MediaType(#"Image/PNG ; Charset="utf-8";x=1"#)
        #expect(mediaType?.essence == "image/png")
        #expect(
            mediaType?.parameters == [
                HeaderParameter(name: "charset", value: "utf-8"), HeaderParameter(name: "x", value: "1"),
            ])
        #expect(mediaType?.parameter("CHARSET") == "utf-8")
        for bad in ["", "image", "image/", "/png", "image/png/x", "ima ge/png", "image/png; x=\"1"] {
            #expect(MediaType(bad) == nil, "\(bad)")
        }
    }
}
