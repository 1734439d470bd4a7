import Testing

@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// `Round.beforeAnswersLeave`: work a responder leaves unfinished on the event loop (a store's round commit) runs
/// before any answer queued since leaves; when it fails, those answers are replaced by one 500 and the connection
/// closes.
@Suite struct RoundTests {
    /// Answers `GET /<name>` with `<name>`; `/hold-ok` and `/hold-fail` also hold the answers until a settlement that
    /// succeeds or fails. Each settlement notes whether the client could already read a byte at that moment.
    struct Holder: Responder {
        /// The client socket of the test (set before it sends), and what each settlement saw.
        let client: LockedBox<Int32>
        let seen: LockedBox<[String]>

        func respond(to request: Request) -> Response {
            let name = String(request.path.dropFirst())
            if name.hasPrefix("hold") {
                let fails = name == "hold-fail"
                let client = self.client
                let seen = self.seen
                let held = Round.beforeAnswersLeave {
                    var byte: UInt8 = 0
                    let fd = client.withLock { $0 }
                    let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
                    seen.withLock { $0.append(n > 0 ? "client had bytes" : "client had nothing") }
                    return !fails
                }
                seen.withLock { $0.append(held ? "held" : "not held") }
            }
            return Response(status: .ok, body: Array(name.utf8))
        }
    }

    static func serve() throws -> (Server, LockedBox<Int32>, LockedBox<[String]>) {
        let client = LockedBox<Int32>(-1)
        let seen = LockedBox<[String]>([])
        let server = Server(
            configuration: .init(host: "127.0.0.1", port: 0), responder: Holder(client: client, seen: seen))
        try server.start()
        return (server, client, seen)
    }

    @Test func offTheLoop_NothingIsHeld() {
        #expect(!Round.isOnEventLoop)
        #expect(!Round.beforeAnswersLeave { true })
    }

    // The settlement runs before the held answer is sent: at that moment the client has received nothing, although
    // the answer to the request before it (not held) was queued in the same round.
    @Test func aHeldAnswer_LeavesAfterTheSettlement() throws {
        let (server, client, seen) = try Self.serve()
        defer { server.shutdown(timeout: 1) }
        let socket = try TestSocket(port: server.port)
        client.withLock { $0 = socket.fd }
        try socket.send(
            simpleGET("/first") + simpleGET("/hold-ok") + simpleGET("/last", extra: "Connection: close\r\n"))
        let text = try socket.readToEnd()
        #expect(seen.withLock { $0 } == ["held", "client had nothing"])
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count - 1 == 3, "\(text)")
        #expect(text.hasSuffix("last"), "\(text)")
    }

    // A failed settlement: the answers queued since it was asked for (`/hold-fail`'s and `/after`'s) are replaced by
    // one 500 with `Connection: close`; the earlier answer stands; the server goes on serving.
    @Test func aFailedSettlement_ReplacesTheHeldAnswersWithOne500_AndCloses() throws {
        let (server, client, seen) = try Self.serve()
        defer { server.shutdown(timeout: 1) }
        let socket = try TestSocket(port: server.port)
        client.withLock { $0 = socket.fd }
        try socket.send(simpleGET("/before") + simpleGET("/hold-fail") + simpleGET("/after"))
        let text = try socket.readToEnd()
        #expect(seen.withLock { $0 } == ["held", "client had nothing"])
        let answers = text.components(separatedBy: "HTTP/1.1 ")
        #expect(answers.count == 3, "\(text)")
        #expect(answers[1].hasPrefix("200 OK") && answers[1].hasSuffix("before"), "\(text)")
        #expect(answers[2].hasPrefix("500 Internal Server Error"), "\(text)")
        #expect(answers[2].contains("Connection: close"), "\(text)")
        #expect(answers[2].contains(#""code":500"#) && answers[2].contains("not made"), "\(text)")
        #expect(!text.contains("after"), "\(text)")

        let next = try TestSocket(port: server.port)
        try next.send(simpleGET("/again", extra: "Connection: close\r\n"))
        #expect(try next.readToEnd().hasSuffix("again"))
    }
}
