import Testing

@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// `Response.dropsConnection`: the responder asks for the connection to be closed without a byte of the response
/// (fault injection). Responses to earlier pipelined requests still go out; nothing after it is processed.
@Suite struct DropConnectionTests {
    private static func dropOnPath(_ request: Request) -> Response {
        request.path.hasPrefix("/drop") ? .dropConnection : echo(request)
    }

    @Test func machine_Closes_WithoutWritingADroppedResponse() {
        var m = ConnectionStateMachine(limits: HTTPLimits())
        m.received(bytes(simpleGET("/drop") + simpleGET("/never")))
        #expect(run(&m, responder: Self.dropOnPath) == [.dispatch("GET /drop"), .close])
        m.received(bytes(simpleGET("/later")))
        #expect(run(&m) == [.close])
    }

    @Test func machine_AnswersEarlierPipelinedRequests_ThenDrops() {
        var m = ConnectionStateMachine(limits: HTTPLimits())
        m.received(bytes(simpleGET("/ok") + simpleGET("/drop") + simpleGET("/never")))
        #expect(
            run(&m, responder: Self.dropOnPath) == [
                .dispatch("GET /ok"), .write(echoResponse("GET /ok ")), .dispatch("GET /drop"), .close,
            ])
    }

    @Test func machine_WritesAnOrdinaryResponse_WhenTheFlagIsOff() {
        var m = ConnectionStateMachine(limits: HTTPLimits())
        m.received(bytes(simpleGET("/ok")))
        #expect(
            run(&m, responder: Self.dropOnPath).prefix(2) == [.dispatch("GET /ok"), .write(echoResponse("GET /ok "))])
        #expect(!Response().dropsConnection)
    }

    // Over a real socket: the client sees the connection end with no bytes (curl: "Empty reply from server"), and
    // on a pipelined connection only the earlier answer.
    @Test(arguments: [(["/drop"], 0), (["/ok", "/drop", "/never"], 1)])
    func server_ClosesTheSocket_WithoutWritingADroppedResponse(paths: [String], answered: Int) throws {
        struct Dropper: Responder {
            func respond(to request: Request) -> Response { DropConnectionTests.dropOnPath(request) }
        }
        let server = Server(configuration: .init(host: "127.0.0.1", port: 0), responder: Dropper())
        try server.start()
        defer { server.shutdown(timeout: 1) }
        let received = try Self.exchange(port: server.port, paths.map { simpleGET($0) }.joined())
        let text = String(decoding: received, as: UTF8.self)
        #expect(
            text.split(separator: "HTTP/1.1 200 OK", omittingEmptySubsequences: false).count - 1 == answered, "\(text)")
        #expect(!text.contains("/drop") && !text.contains("/never"))
    }

    /// Connects, writes `raw`, and reads until the server closes (or resets) the connection.
    private static func exchange(port: Int, _ raw: String) throws -> [UInt8] {
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
        try #require(connected == 0)
        let request = bytes(raw)
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try #require(sent == request.count)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: chunk[0..<n])
                continue
            }
            // 0: the orderly end; ECONNRESET: closed with unread pipelined bytes. A timeout means it stayed open.
            #expect(n == 0 || errno == ECONNRESET, "the server left the connection open (errno \(errno))")
            return received
        }
    }
}
