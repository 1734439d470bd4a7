import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// The Images section (docs L2755–2823), `POST /v2/images/upload`: the image object, the dimensions of each
/// format, and the 400/415 answers. Serving the URLs is the nested suite `Files`; reading the formats `Format`.
@Suite struct ImagesTests {
    // MARK: - Upload an image

    // docs L2791: "A successful request returns 201 Created along with a pre-signed URL from which the image can be
    // retrieved." docs L2808: { "id", "content_type", "height", "name", "thumbnail": { "url", "content_type",
    // "width", "height" }, "url", "width" }.
    @Test(arguments: TestMode.allCases)
    func upload_Returns201_WithTheImageObject_InTheDocsOrder(mode: TestMode) throws {
        let client = try ImageClient(TestEmulator(), mode)
        let response = client.upload(Upload.body(TestImage.png(width: 446, height: 345)))
        #expect(response.code == 201, "\(response.text)")
        #expect(response.headers["Content-Type"] == "application/json")
        let image = response.json
        #expect(image.objectValue?.keys == ["id", "content_type", "height", "name", "thumbnail", "url", "width"])
        #expect(image["thumbnail"]?.objectValue?.keys == ["url", "content_type", "width", "height"])
        // docs L2812: "id string Identifier of the image object, auto-generated".
        #expect(isUUID(image["id"]?.stringValue))
        // docs L2813: "content_type string Format of the uploaded file. For example, image/png."
        #expect(image["content_type"] == "image/png")
        // docs L2814, L2823: the original height and width, integers.
        #expect(image["height"] == .integer(345))
        #expect(image["width"] == .integer(446))
        // docs L2815: "name string Identifier of the uploaded image." — shaped like "img_h7nco0371v_7c2bf570.png".
        let name = image["name"]?.stringValue ?? ""
        #expect(name == "img_0000000000_00000001.png")
        // docs L2822: "url string S3 bucket where the uploaded image is stored in its original format." — here an
        // absolute URL on the Host the request used, with a 128-bit token before the name.
        let url = image["url"]?.stringValue ?? ""
        let prefix = "http://\(client.host)/_emulator/files/"
        #expect(url.hasPrefix(prefix) && url.hasSuffix("/\(name)"), "\(url)")
        let token = String(url.dropFirst(prefix.count).dropLast(name.count + 1))
        #expect(token.count == 32 && token.allSatisfy { "0123456789abcdef".contains($0) }, "\(token)")
        // docs L2816–2821: the thumbnail. Decision: it is the original (no decoder to downscale), with its own URL,
        // the original's type and the original's dimensions.
        #expect(image["thumbnail"]?["url"]?.stringValue == "\(prefix)\(token)/thumbnail/\(name)")
        #expect(image["thumbnail"]?["content_type"] == "image/png")
        #expect(image["thumbnail"]?["width"] == .integer(446))
        #expect(image["thumbnail"]?["height"] == .integer(345))
    }

    // docs L2813–L2823: content_type, height and width are the uploaded image's, read from its bytes.
    @Test(
        arguments: [
            ("PNG 1×1", TestImage.png(width: 1, height: 1), "image/png", 1, 1),
            ("PNG 446×345", TestImage.png(width: 446, height: 345), "image/png", 446, 345),
            ("JPEG SOF0 33×17", TestImage.jpeg(width: 33, height: 17), "image/jpeg", 33, 17),
            ("JPEG SOF0 640×480", TestImage.jpeg(width: 640, height: 480), "image/jpeg", 640, 480),
            ("JPEG SOF2 65535×1", TestImage.jpeg(width: 65535, height: 1, frameMarker: 0xC2), "image/jpeg", 65535, 1),
            ("GIF 3×5", TestImage.gif(width: 3, height: 5), "image/gif", 3, 5),
            ("GIF 64×40", TestImage.gif(width: 64, height: 40), "image/gif", 64, 40),
            ("WebP VP8L 7×9", TestImage.webpLossless(width: 7, height: 9), "image/webp", 7, 9),
            ("WebP VP8X 300×200", TestImage.webpExtended(width: 300, height: 200), "image/webp", 300, 200),
            ("WebP VP8 640×480", TestImage.webpLossy(width: 640, height: 480), "image/webp", 640, 480),
        ] as [(String, [UInt8], String, Int64, Int64)])
    func upload_ReadsTheDimensions_OfEachFormat(
        label: String, bytes: [UInt8], type: String, width: Int64, height: Int64
    )
        throws
    {
        let client = try ImageClient(TestEmulator())
        let image = client.uploaded(bytes, type: type)
        #expect(image["content_type"]?.stringValue == type, "\(label)")
        #expect(image["width"] == .integer(width), "\(label)")
        #expect(image["height"] == .integer(height), "\(label)")
        #expect(image["thumbnail"]?["width"] == .integer(width), "\(label)")
        #expect(image["thumbnail"]?["height"] == .integer(height), "\(label)")
        let ext = ["image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp"][type] ?? "?"
        #expect(image["name"]?.stringValue?.hasSuffix(".\(ext)") == true, "\(label)")
    }

    // Decision: a part without Content-Type, or declared application/octet-stream (RFC 7578 §4.4: "labeled with an
    // appropriate media type, if known, or "application/octet-stream""), is taken as the detected type; so are the
    // legacy names image/jpg, image/pjpeg and image/x-png of their formats. Media types are case-insensitive
    // (RFC 9110 §8.3.1) and may carry parameters.
    @Test(
        arguments: [
            (nil, "image/gif"), ("application/octet-stream", "image/gif"), ("image/jpg", "image/jpeg"),
            ("image/pjpeg", "image/jpeg"), ("image/x-png", "image/png"), ("IMAGE/WEBP; q=1", "image/webp"),
        ] as [(String?, String)])
    func upload_UsesTheDetectedType_WhenTheDeclaredOneSaysNothingElse(declared: String?, detected: String) throws {
        let client = try ImageClient(TestEmulator())
        let bytes: [UInt8]
        switch detected {
        case "image/gif": bytes = TestImage.gif(width: 2, height: 2)
        case "image/jpeg": bytes = TestImage.jpeg(width: 8, height: 8)
        case "image/png": bytes = TestImage.png(width: 2, height: 2)
        default: bytes = TestImage.webpLossless(width: 2, height: 2)
        }
        #expect(client.uploaded(bytes, type: declared)["content_type"]?.stringValue == detected)
    }

    // docs L2788: "[Part2] type part specifies the media format." — Decision: an optional `type` form field, when
    // sent, must name the image's format like the part's own Content-Type.
    @Test func upload_ChecksTheTypePart() throws {
        let client = try ImageClient(TestEmulator())
        let png = TestImage.png(width: 2, height: 3)
        let ok = client.upload(Upload.body(png, type: nil, extra: [("type", Array("image/png".utf8))]))
        #expect(ok.code == 201, "\(ok.text)")
        let wrong = client.upload(Upload.body(png, type: nil, extra: [("type", Array("image/gif".utf8))]))
        expectError(wrong, 400, "BAD_REQUEST", mentioning: "type image/gif does not match")
        let garbage = client.upload(Upload.body(png, extra: [("type", Array("png".utf8))]))
        expectError(garbage, 400, "BAD_REQUEST", mentioning: "type must be a media type")
        let twice = client.upload(Upload.body(png, extra: [("type", Array("image/png".utf8)), ("type", [])]))
        expectError(twice, 400, "BAD_REQUEST", mentioning: "type must be sent once")
    }

    // docs L2791, L2765: the upload is stored — Decision: in the SQLite table `image` (migration 5), with its
    // metadata and the client's file name.
    @Test func upload_StoresTheBytesAndMetadata_InTheImageTable() throws {
        let emulator = try TestEmulator()
        let bytes = TestImage.jpeg(width: 40, height: 30)
        let image = try ImageClient(emulator).uploaded(bytes, type: "image/jpeg")
        let row = try emulator.emulator.store.read { db in
            try db.queryOne("SELECT * FROM image WHERE id = ?", [.text(image["id"]?.stringValue ?? "")])
        }
        #expect(try row?.blob("data") == bytes)
        #expect(try row?.string("content_type") == "image/jpeg")
        #expect(try row?.int64("width") == 40)
        #expect(try row?.int64("height") == 30)
        #expect(try row?.int64("size") == Int64(bytes.count))
        #expect(try row?.string("filename") == "sample_image.PNG")
        #expect(try row?.string("name") == image["name"]?.stringValue)
        #expect(try row?.int64("created_time") == TestEmulator.start)
    }

    // MARK: - Rejected uploads

    // docs L2757: "agents can send and receive images" — content that is not a PNG, JPEG, GIF or WebP image is 400
    // naming image.
    @Test(
        arguments: [
            ("text", Array("just some text".utf8)), ("empty", []), ("PDF", Array("%PDF-1.4\n%âãÏÓ\n".utf8)),
            ("SVG", Array(#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#.utf8)),
            ("BMP", Array("BM".utf8) + Array(repeating: 0, count: 60)),
            ("PNG signature only", Array(TestImage.png(width: 1, height: 1).prefix(8))),
        ] as [(String, [UInt8])])
    func upload_Rejects_ContentThatIsNotAnImage(label: String, bytes: [UInt8]) throws {
        let client = try ImageClient(TestEmulator())
        let response = client.upload(Upload.body(bytes, type: "application/octet-stream"))
        expectError(response, 400, "BAD_REQUEST", mentioning: "image: the content is")
        #expect(try client.emulator.emulator.store.read { try $0.scalarInt("SELECT count(*) FROM image") } == 0)
    }

    // Decision: a declared Content-Type of another format (or not an image at all) is 400 naming image.
    @Test(
        arguments: [
            (TestImage.png(width: 1, height: 1), "image/jpeg", "image/png"),
            (TestImage.jpeg(width: 8, height: 8), "image/png", "image/jpeg"),
            (TestImage.gif(width: 1, height: 1), "image/webp", "image/gif"),
            (TestImage.webpLossless(width: 1, height: 1), "text/plain", "image/webp"),
        ] as [([UInt8], String, String)])
    func upload_Rejects_DeclaredTypeOtherThanTheContent(bytes: [UInt8], declared: String, detected: String) throws {
        let response = try ImageClient(TestEmulator()).upload(Upload.body(bytes, type: declared))
        expectError(
            response, 400, "BAD_REQUEST",
            mentioning: "image: the part's Content-Type \(declared) does not match the content")
        #expect(response.json["message"]?.stringValue?.contains("(\(detected))") == true)
    }

    // docs L2785: "image Mandatory multipart formData".
    @Test func upload_Rejects_BodyWithoutImagePart() throws {
        let client = try ImageClient(TestEmulator())
        let png = TestImage.png(width: 1, height: 1)
        for body in [
            Upload.body(png, name: "file"), Upload.body(png, name: "Image"), Array("--\(Upload.boundary)--\r\n".utf8),
        ] {
            expectError(client.upload(body), 400, "BAD_REQUEST", mentioning: "image is mandatory")
        }
        let twice = Upload.body(png, extra: [("image", png)])
        expectError(client.upload(twice), 400, "BAD_REQUEST", mentioning: "image must be sent once")
    }

    // docs L2786: "Note: Ensure that the Content-Type request header is set to multipart/form-data" — anything else
    // is 415 Unsupported Media Type (RFC 9110 §15.5.16) naming the Content-Type.
    @Test(arguments: [
        nil, "application/json", "text/plain", "multipart/mixed; boundary=\(Upload.boundary)", "image/png",
    ])
    func upload_Rejects_OtherContentTypes_With415(contentType: String?) throws {
        let client = try ImageClient(TestEmulator())
        let response = client.upload(Upload.body(TestImage.png(width: 1, height: 1)), contentType: contentType)
        expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE", mentioning: "Content-Type must be multipart/form-data")
    }

    // RFC 2046 §5.1.1: the boundary parameter is required and is 1–70 bchars — 400 naming the Content-Type.
    @Test(arguments: [
        "multipart/form-data", "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=\"a@b\"",
        "multipart/form-data; boundary=a; boundary=b",
    ])
    func upload_Rejects_ContentTypeWithoutAValidBoundary(contentType: String) throws {
        let client = try ImageClient(TestEmulator())
        let response = client.upload(Upload.body(TestImage.png(width: 1, height: 1)), contentType: contentType)
        expectError(response, 400, "BAD_REQUEST", mentioning: "Content-Type: ")
    }

    // RFC 2046 §5.1.1 and RFC 7578 §4.2: a malformed multipart body is 400.
    @Test func upload_Rejects_MalformedMultipartBodies() throws {
        let client = try ImageClient(TestEmulator())
        let good = Upload.body(TestImage.png(width: 1, height: 1))
        let noFinalBoundary = Array(good.dropLast(4 + Upload.boundary.count + 2))
        let lfOnly = Array(
            String(decoding: Upload.body(Array("x".utf8)), as: UTF8.self).replacing("\r\n", with: "\n").utf8)
        let noDisposition = Array(
            "--\(Upload.boundary)\r\nContent-Type: image/png\r\n\r\nx\r\n--\(Upload.boundary)--".utf8)
        for (body, mention) in [
            (noFinalBoundary, "final boundary"), (lfOnly, "boundary must be followed"),
            (Array("no multipart here".utf8), "does not start with the boundary"),
            (noDisposition, "Content-Disposition"),
        ] {
            expectError(client.upload(body), 400, "BAD_REQUEST", mentioning: "malformed multipart/form-data body")
            expectError(client.upload(body), 400, "BAD_REQUEST", mentioning: mention)
        }
        #expect(client.upload(good).code == 201)
    }

    // docs L79: every /v2 call carries "Authorization: Bearer <access-token>".
    @Test func upload_NeedsABearerToken() throws {
        let response = try ImageClient(TestEmulator()).upload(
            Upload.body(TestImage.png(width: 1, height: 1)), token: nil)
        expectError(response, 401, "UNAUTHENTICATED")
    }
}
