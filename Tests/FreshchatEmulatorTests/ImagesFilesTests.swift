import HTTP
import Logging
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

extension ImagesTests {
    /// The URLs an upload returns (docs L2765: "returns a pre-signed URL to access the image"): what they serve,
    /// to whom, and that a message can carry them (docs L894–896).
    @Suite struct Files {
        static let formats: [(String, [UInt8])] = [
            ("image/png", TestImage.png(width: 5, height: 4)), ("image/jpeg", TestImage.jpeg(width: 17, height: 9)),
            ("image/gif", TestImage.gif(width: 3, height: 3)),
            ("image/webp", TestImage.webpExtended(width: 9, height: 2)),
        ]

        /// A 1024 × 1280 RGBA PNG of random pixels: 5,244,160 octets of image data, built once.
        static let fiveMiB = TestImage.png(width: 1024, height: 1280, seed: 42)

        // docs L2791: "a pre-signed URL from which the image can be retrieved"; docs L2818: the thumbnail's "url
        // (string): S3 bucket from where the uploaded image can be retrieved." — both serve the uploaded bytes
        // exactly, with their Content-Type and Content-Length, to GET and HEAD, without a bearer token.
        @Test(arguments: TestMode.allCases)
        func file_ServesTheExactBytes_WithTypeAndLength(mode: TestMode) throws {
            let client = try ImageClient(TestEmulator(), mode)
            for (type, bytes) in Self.formats {
                let image = client.uploaded(bytes, type: type)
                for url in [image["url"]?.stringValue, image["thumbnail"]?["url"]?.stringValue] {
                    let got = client.fetch(url)
                    #expect(got.code == 200, "\(type) \(got.text)")
                    #expect(got.response.body == bytes, "\(type)")
                    #expect(got.headers["Content-Type"] == type)
                    #expect(got.headers["Content-Length"] == String(bytes.count))
                    #expect(got.headers["X-RateLimit-Limit"] == nil)
                    let head = client.fetch(url, method: .head)
                    #expect(head.code == 200)
                    #expect(head.headers["Content-Type"] == type)
                    #expect(head.headers["Content-Length"] == String(bytes.count))
                    if mode == .live { #expect(head.response.body.isEmpty) }
                }
            }
        }

        // A 5 MiB image (5,244,160 octets of random RGBA pixels in stored deflate blocks) survives the multipart
        // parser, the store and the socket unchanged.
        @Test(arguments: TestMode.allCases)
        func file_RoundTrips_AFiveMiBImage(mode: TestMode) throws {
            let client = try ImageClient(TestEmulator(), mode)
            let bytes = Self.fiveMiB
            #expect(bytes.count > 5 * 1024 * 1024)
            let image = client.uploaded(bytes)
            #expect(image["width"] == .integer(1024))
            #expect(image["height"] == .integer(1280))
            let got = client.fetch(image["url"]?.stringValue)
            #expect(got.code == 200)
            #expect(got.response.body.count == bytes.count)
            #expect(got.response.body == bytes)
            #expect(got.headers["Content-Length"] == String(bytes.count))
        }

        // Unknown URLs are 404 in the error shape of docs L46.
        @Test(arguments: TestMode.allCases)
        func file_IsNotFound_ForAnotherTokenOrName(mode: TestMode) throws {
            let client = try ImageClient(TestEmulator(), mode)
            let image = client.uploaded(TestImage.png(width: 1, height: 1))
            let url = image["url"]?.stringValue ?? ""
            let name = image["name"]?.stringValue ?? ""
            let token = String(url.split(separator: "/").dropLast().last ?? "")
            let other = String(repeating: "0", count: 32)
            for path in [
                "/_emulator/files/\(other)/\(name)", "/_emulator/files/\(token)/img_other.png",
                "/_emulator/files/\(other)/thumbnail/\(name)", "/_emulator/files/\(token.dropLast())/\(name)",
            ] {
                expectError(client.send(.get, path), 404, "IMAGE_NOT_FOUND", mentioning: "no image at this URL")
            }
            #expect(client.send(.get, "/_emulator/files/\(token)/\(name)").code == 200)
        }

        // Decision: the token is 128 bits from SystemRandomNumberGenerator, not from the (seedable) id generator, so
        // the same upload twice gets two unrelated URLs even with deterministic ids.
        @Test func file_TokensAreRandom_EvenWithDeterministicIDs() throws {
            let client = try ImageClient(TestEmulator())
            let png = TestImage.png(width: 1, height: 1)
            let first = client.uploaded(png)
            let second = client.uploaded(png)
            let tokens = [first, second].map {
                String(($0["url"]?.stringValue ?? "").split(separator: "/").dropLast().last ?? "")
            }
            #expect(tokens[0] != tokens[1])
            #expect(first["id"] != second["id"])
            for token in tokens { #expect(token.filter { $0 == "0" }.count < 16, "\(token)") }
        }

        // Decision: the URLs are `http://` + the request's Host (RFC 9110 §7.2), so they work at whatever address the
        // client reached; without a Host (HTTP/1.0) the configured host and port are used.
        @Test func file_URLs_UseTheRequestsHost() throws {
            let emulator = try TestEmulator()
            let body = Upload.body(TestImage.gif(width: 1, height: 1), type: "image/gif")
            var headers: HTTPHeaders = [
                "Host": "images.example.test:9000", "Authorization": "Bearer t", "Content-Type": Upload.contentType,
            ]
            let hosted = TestResponse(
                emulator.app.respond(
                    to: Request(method: .post, target: "/v2/images/upload", headers: headers, body: body)))
            #expect(
                hosted.json["url"]?.stringValue?.hasPrefix("http://images.example.test:9000/_emulator/files/") == true)
            #expect(
                hosted.json["thumbnail"]?["url"]?.stringValue?.hasPrefix("http://images.example.test:9000/") == true)
            headers.remove("Host")
            let request = Request(
                method: .post, target: "/v2/images/upload", version: .http1_0, headers: headers, body: body)
            let hostless = TestResponse(emulator.app.respond(to: request))
            #expect(hostless.json["url"]?.stringValue?.hasPrefix("http://127.0.0.1:8787/_emulator/files/") == true)
        }

        // Stored in SQLite: a file store serves the image after the emulator is closed and opened again.
        @Test func file_IsServed_AfterTheStoreIsReopened() throws {
            let path = "/tmp/freshchat-images-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
            defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let bytes = TestImage.webpLossless(width: 12, height: 34)
            var url = ""
            do {
                let store = try Store(path: path)
                let app = App(emulator: Emulator(config: Config(), store: store, logger: logger))
                let headers: HTTPHeaders = [
                    "Host": "h", "Authorization": "Bearer t", "Content-Type": Upload.contentType,
                ]
                let request = Request(
                    method: .post, target: "/v2/images/upload", headers: headers,
                    body: Upload.body(bytes, type: "image/webp"))
                let response = TestResponse(app.respond(to: request))
                #expect(response.code == 201, "\(response.text)")
                url = response.json["url"]?.stringValue ?? ""
                store.close()
            }
            let store = try Store(path: path)
            defer { store.close() }
            let app = App(emulator: Emulator(config: Config(), store: store, logger: logger))
            let target = String(url.dropFirst("http://h".count))
            let got = app.respond(to: Request(method: .get, target: target, headers: ["Host": "h"]))
            #expect(got.status == .ok)
            #expect(got.body == bytes)
        }

        // docs L894–896: "image … Image part of the message posted to a conversation. … url (string) MANDATORY: Link to
        // the location from where the image can be retrieved." — the uploaded URL is such a link.
        @Test func messageImagePart_CarriesTheUploadedURL_WhichServesTheBytes() throws {
            let emulator = try TestEmulator()
            try emulator.addUsers()
            let conversation = try emulator.startConversation()
            let client = try ImageClient(emulator)
            let bytes = TestImage.jpeg(width: 64, height: 48)
            let url = client.uploaded(bytes, type: "image/jpeg")["url"]?.stringValue ?? ""
            let sent = emulator.sendMessage(
                conversation,
                [
                    "message_parts": [["text": ["content": "Here it is"]], ["image": ["url": .string(url)]]],
                    "actor_type": "agent", "actor_id": .string(Seeded.marcus),
                ])
            #expect(sent.code == 200, "\(sent.text)")
            #expect(sent.json["message_parts"]?.arrayValue?.last?["image"]?["url"]?.stringValue == url)
            let listed = emulator.send(.get, "/v2/conversations/\(conversation)/messages")
            let parts = listed.json["messages"]?.arrayValue?.first?["message_parts"]?.arrayValue ?? []
            #expect(parts.last?["image"]?["url"]?.stringValue == url)
            let served = client.fetch(url)
            #expect(served.code == 200)
            #expect(served.response.body == bytes)
            #expect(served.headers["Content-Type"] == "image/jpeg")
        }
    }
}
