import HTTP
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// How a test reaches the emulator (Hummingbird's `.router` / `.live`): in-process through the router, or over
/// a real socket to an HTTP server on an ephemeral port serving the same app.
enum TestMode: String, CaseIterable, CustomTestStringConvertible {
    case router, live
    var testDescription: String { rawValue }
}

/// The one client protocol the resource tests are written against.
protocol EmulatorClient {
    /// Sends a request with a bearer token unless `token` is nil.
    func send(
        _ method: HTTPMethod, _ target: String, body: String?, token: String?, headers: [(String, String)]
    ) -> TestResponse
}

extension TestEmulator: EmulatorClient {}

/// A `TestEmulator` served by the real `Server` on 127.0.0.1:0; requests go over a socket.
final class LiveTestEmulator: EmulatorClient {
    let base: TestEmulator
    let server: Server

    init(_ base: TestEmulator) throws {
        self.base = base
        server = Server(configuration: .init(host: "127.0.0.1", port: 0), responder: base.app)
        try server.start()
    }

    deinit { server.shutdown(timeout: 1) }

    func send(
        _ method: HTTPMethod, _ target: String, body: String? = nil, token: String? = "test-token",
        headers: [(String, String)] = []
    ) -> TestResponse {
        var head = "\(method.rawValue) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let bodyBytes = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(bodyBytes.count)\r\n" }
        head += "\r\n"
        let raw = Self.exchange(port: server.port, Array(head.utf8) + bodyBytes)
        return TestResponse(Self.parse(raw, method: method))
    }

    /// Writes `bytes`, a whole request that says `Connection: close` (e.g. with a binary body), and parses the
    /// response to `method`.
    func sendRaw(_ bytes: [UInt8], method: HTTPMethod) -> TestResponse {
        TestResponse(Self.parse(Self.exchange(port: server.port, bytes), method: method))
    }

    /// Connects to 127.0.0.1:`port`, writes `bytes`, reads until the server closes (the last request says
    /// `Connection: close`); empty when the connection fails.
    static func exchange(port: Int, _ bytes: [UInt8]) -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return [] }
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return [] }
            sent += n
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received.append(contentsOf: chunk[0..<n])
        }
        return received
    }

    /// Parses one HTTP/1.1 response (status line, fields, Content-Length body).
    static func parse(_ raw: [UInt8], method: HTTPMethod) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.indices.first(where: { raw[$0...].starts(with: separator) }) else {
            return Response(status: HTTPStatus(code: 0, reasonPhrase: "no response"))
        }
        let head = String(decoding: raw[..<end], as: UTF8.self).split(
            separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = head[0].split(separator: " ", maxSplits: 2)
        let code = Int(statusParts.count > 1 ? statusParts[1] : "") ?? 0
        var headers = HTTPHeaders()
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].trimmingASCIIWhitespace()))
        }
        let body = Array(raw[(end + 4)...])
        let length = Int(headers["Content-Length"] ?? "") ?? body.count
        return Response(
            status: HTTPStatus(code: code, reasonPhrase: statusParts.count > 2 ? String(statusParts[2]) : ""),
            headers: headers, body: method == .head ? [] : Array(body.prefix(length)))
    }
}

extension TestEmulator {
    /// A client for `mode`: this emulator itself, or a live server in front of it.
    func client(_ mode: TestMode) throws -> any EmulatorClient {
        switch mode {
        case .router: return self
        case .live: return try LiveTestEmulator(self)
        }
    }
}

extension EmulatorClient {
    func send(
        _ method: HTTPMethod, _ target: String, body: String? = nil, token: String? = "test-token",
        headers: [(String, String)] = []
    ) -> TestResponse {
        send(method, target, body: body, token: token, headers: headers)
    }
}
