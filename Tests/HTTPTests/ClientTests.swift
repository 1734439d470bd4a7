import Synchronization
import Testing

@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// The blocking HTTP/1.1 client (webhook delivery): URLs, a round trip over a real socket, timeouts, and the
/// response parser fed in every split.
@Suite struct ClientTests {
    /// A server on port 0 answering with `respond`, recording the requests.
    final class Peer: Sendable {
        final class Handler: Responder {
            let requests = Mutex<[Request]>([])
            let respond: @Sendable (Request) -> Response

            init(respond: @escaping @Sendable (Request) -> Response) { self.respond = respond }

            func respond(to request: Request) -> Response {
                requests.withLock { $0.append(request) }
                return respond(request)
            }
        }

        let handler: Handler
        let server: Server

        init(_ respond: @escaping @Sendable (Request) -> Response) throws {
            handler = Handler(respond: respond)
            server = Server(configuration: Server.Configuration(host: "127.0.0.1", port: 0), responder: handler)
            try server.start()
        }

        /// Waits for a request still being answered: the server must outlive its connections.
        deinit { server.shutdown(timeout: 3) }

        var url: String { "http://127.0.0.1:\(server.port)" }
        var requests: [Request] { handler.requests.withLock { $0 } }
    }

    // MARK: - URLs

    // RFC 9110 §4.2.1: http-URI = "http" "://" authority path-abempty [ "?" query ]; default port 80.
    @Test(arguments: [
        ("http://example.com", "example.com", 80, "/", "example.com"),
        ("HTTP://example.com:8080/a/b?x=1#frag", "example.com", 8080, "/a/b?x=1", "example.com:8080"),
        ("http://127.0.0.1:9/hook", "127.0.0.1", 9, "/hook", "127.0.0.1:9"),
        ("http://[::1]:8000?q", "::1", 8000, "/?q", "[::1]:8000"),
    ])
    func endpoint_ParsesHTTPURLs(url: String, host: String, port: Int, target: String, authority: String) throws {
        let endpoint = try #require(Client.Endpoint(url: url))
        #expect(endpoint.host == host && endpoint.port == port && endpoint.target == target)
        #expect(endpoint.authority == authority)
    }

    @Test(arguments: [
        "https://example.com/", "ftp://x/", "http://", "http://user:pw@x/", "http://x:0/", "http://x:65536/",
        "http://x:y/", "http://[::1/", "http://a b/", "example.com/hook", "http://x/é",
    ])
    func endpoint_RejectsOtherURLs(url: String) {
        #expect(Client.Endpoint(url: url) == nil)
    }

    // MARK: - Round trips

    @Test func send_PostsTheExactBody_WithHostLengthAndClose() throws {
        let peer = try Peer { request in
            Response(status: .created, headers: ["X-Echo": request.headers["X-Custom"] ?? ""], body: request.body)
        }
        let body = Array(#"{"text":"Grüße 👋"}"#.utf8)
        let response = try Client().send(
            .post, peer.url + "/in?x=1", headers: HTTPHeaders([("X-Custom", "v"), ("Content-Length", "999")]),
            body: body)
        #expect(response.status == 201 && response.body == body && response.headers["X-Echo"] == "v")
        let request = try #require(peer.requests.first)
        #expect(request.target == "/in?x=1" && request.body == body)
        #expect(request.headers["Host"] == "127.0.0.1:\(peer.server.port)")
        #expect(request.headers.values("Content-Length") == [String(body.count)])
        #expect(request.headers["Connection"] == "close")
    }

    @Test func send_ReportsARefusedConnection() throws {
        #expect(throws: Client.Failure.connectionRefused) { try Client().send(.post, "http://127.0.0.1:1/") }
        #expect(throws: Client.Failure.invalidURL("https://x/")) { try Client().send(.post, "https://x/") }
    }

    @Test func send_GivesUpAfterTheResponseTimeout() throws {
        let peer = try Peer { _ in
            usleep(600_000)
            return Response()
        }
        let client = Client(configuration: Client.Configuration(responseTimeout: 0.15))
        let started = Self.now()
        #expect(throws: Client.Failure.responseTimeout) { try client.send(.post, peer.url) }
        #expect(Self.now() - started < 0.5)
    }

    // A listener whose accept queue is full drops SYNs (Linux), so connecting hangs until the connect timeout.
    @Test func send_GivesUpAfterTheConnectTimeout() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(bound == 0 && listen(listener, 0) == 0)
        let port = try Socket.boundPort(listener)
        let client = Client(configuration: Client.Configuration(connectTimeout: 0.2, responseTimeout: 0.2))
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        var outcome: Client.Failure?
        for _ in 0..<8 {
            let started = Self.now()
            do {
                _ = try client.send(.post, "http://127.0.0.1:\(port)/")
            } catch .connectTimeout {
                outcome = .connectTimeout
                #expect(Self.now() - started < 1)
                break
            } catch {
                // Connected into the backlog, then timed out waiting for an answer: fill the queue and retry.
            }
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            fillers.append(filler)
        }
        #expect(outcome == .connectTimeout)
    }

    // MARK: - Response parser

    /// Parses `raw` fed in pieces of `split` bytes (0: whole), then the end of the stream.
    static func parse(_ raw: String, split: Int = 0, method: HTTPMethod = .post) throws(Client.Failure)
        -> Client.Response?
    {
        var parser = Client.ResponseParser(maxHeaderBytes: 256, maxBody: 64, method: method)
        let bytes = Array(raw.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = split == 0 ? bytes.count : min(bytes.count, offset + split)
            parser.append(bytes[offset..<end])
            offset = end
            if let response = try parser.next() { return response }
        }
        return try parser.finish()
    }

    static let vectors: [(String, Int, String)] = [
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, "hello"),
        ("HTTP/1.1 201 \r\nContent-Length: 0\r\n\r\n", 201, ""),
        ("HTTP/1.1 204\r\n\r\n", 204, ""),
        (
            "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n",
            500, "abcde"
        ),
        ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, "ok"),
        ("HTTP/1.0 200 OK\nServer: x\n\nuntil close", 200, "until close"),
        ("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 304, ""),
    ]

    // RFC 9112 §6.3: the framing of each vector, whole and split at every offset.
    @Test func responseParser_ReadsEachFraming_InAnySplit() throws {
        for (raw, status, body) in Self.vectors {
            for split in 0...min(raw.utf8.count, 40) {
                let response = try #require(try Self.parse(raw, split: split), "\(raw.debugDescription) / \(split)")
                #expect(response.status == status && String(decoding: response.body, as: UTF8.self) == body)
            }
        }
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", method: .head)?.body == [])
    }

    @Test(arguments: [
        ("HTTP/1.1 2000 OK\r\n\r\n", Client.Failure.invalidStatusLine),
        ("HTTP/1.1 099 X\r\n\r\n", .invalidStatusLine),
        ("HTTP/2.0 200 OK\r\n\r\n", .invalidResponse(.unsupportedVersion)),
        ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", .invalidResponse(.invalidHeaderName)),
        ("HTTP/1.1 200 OK\r\nName : x\r\n\r\n", .invalidResponse(.whitespaceBeforeColon)),
        ("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", .invalidResponse(.obsoleteLineFolding)),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n", .invalidResponse(.invalidContentLength)),
        (
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            .invalidResponse(.conflictingFraming)
        ),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZ\r\n", .invalidResponse(.invalidChunk)),
        ("HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n", .invalidResponse(.bodyTooLarge(limit: 64))),
        ("HTTP/1.1 200 OK\r\nX: \(String(repeating: "a", count: 300))\r\n\r\n", .invalidResponse(.headersTooLarge)),
    ])
    func responseParser_RejectsABrokenResponse(raw: String, failure: Client.Failure) {
        #expect(throws: failure) { try Self.parse(raw) }
    }

    @Test func responseParser_NeedsTheWholeBody_BeforeTheClose() throws {
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel") == nil)
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel") == nil)
    }

    private static func now() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
