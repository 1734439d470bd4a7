import Dispatch
import Synchronization
import Testing

@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// Streamed responses (`Response.streaming`): the head, then pieces as the producer writes them — chunked for
/// HTTP/1.1 (RFC 9112 §7.1), delimited by the close for HTTP/1.0 — and the stream's end on finish, hang-up, a slow
/// client, the idle timeout and shutdown.
@Suite struct StreamingTests {
    private static let eventStream: HTTPHeaders = ["Content-Type": "text/event-stream"]

    private static func streamOnPath(_ request: Request) -> Response {
        guard request.path.hasPrefix("/stream") else { return echo(request) }
        return .streaming(headers: eventStream) { $0.write("never started in machine tests") }
    }

    // MARK: - The state machine

    @Test func machine_StreamsChunked_ForHTTP11_AndProcessesNothingAfter() {
        var m = ConnectionStateMachine(limits: HTTPLimits())
        m.received(bytes(simpleGET("/ok") + simpleGET("/stream") + simpleGET("/never")))
        #expect(
            run(&m, responder: Self.streamOnPath) == [
                .dispatch("GET /ok"), .write(echoResponse("GET /ok ")), .dispatch("GET /stream"),
                .stream(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\n", chunked: true),
            ])
        #expect(run(&m) == [.close])
    }

    @Test func machine_StreamsCloseDelimited_ForHTTP10() {
        var m = ConnectionStateMachine(limits: HTTPLimits())
        m.received(bytes("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
        #expect(
            run(&m, responder: Self.streamOnPath) == [
                .dispatch("GET /stream"),
                .stream(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n", chunked: false),
            ])
    }

    // RFC 9110 §9.3.2: HEAD gets the head a GET would get and no content; the stream is never started and the
    // connection stays usable.
    @Test func machine_AnswersHEAD_WithTheHeadOnly() {
        var m = ConnectionStateMachine(limits: HTTPLimits())
        m.received(bytes("HEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n" + simpleGET("/next")))
        #expect(
            run(&m, responder: Self.streamOnPath) == [
                .dispatch("HEAD /stream"),
                .write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"),
                .dispatch("GET /next"), .write(echoResponse("GET /next ")), .needMore,
            ])
    }

    // MARK: - Over a socket

    /// A responder whose `/stream` answer hands the stream to `producer`; anything else is echoed.
    private struct Streamer: Responder {
        let producer: ResponseStream.Producer
        func respond(to request: Request) -> Response {
            request.path.hasPrefix("/stream") ? .streaming(headers: eventStream, producer) : echo(request)
        }
    }

    private static func server(
        limits: HTTPLimits = HTTPLimits(), _ producer: @escaping ResponseStream.Producer
    ) throws -> Server {
        let server = Server(
            configuration: .init(host: "127.0.0.1", port: 0, limits: limits), responder: Streamer(producer: producer))
        try server.start()
        return server
    }

    // Each piece goes out as one chunk when it is written, not when the body is complete.
    @Test func server_SendsEachPieceAsAChunk_AsItIsWritten() throws {
        let next = DispatchSemaphore(value: 0)
        let server = try Self.server { stream in
            DispatchQueue(label: "test.producer").async {
                stream.write("a")
                next.wait()
                stream.write("hello\n")
                stream.write([])  // ignored: an empty chunk would end the body
                next.wait()
                stream.finish()
            }
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/stream"))
        let head = try client.readHead()
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(headerLines(head).contains("Transfer-Encoding: chunked"))
        #expect(headerLines(head).contains("Connection: close"))
        #expect(!head.contains("Content-Length"))
        #expect(try client.read(count: 6) == "1\r\na\r\n")
        next.signal()
        #expect(try client.read(count: 11) == "6\r\nhello\n\r\n")
        next.signal()
        #expect(try client.readToEnd() == "0\r\n\r\n")
    }

    // HEAD: the head only, the producer never runs, and the connection serves the next request.
    @Test func server_AnswersHEAD_WithoutStartingTheStream() throws {
        let started = LockedBox(0)
        let server = try Self.server { stream in
            started.withLock { $0 += 1 }
            stream.write("never")
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port)
        try client.send("HEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n" + simpleGET("/next", extra: "Connection: close\r\n"))
        let head = try client.readHead()
        #expect(headerLines(head).contains("Transfer-Encoding: chunked"))
        #expect(!headerLines(head).contains("Connection: close"))
        let rest = try client.readToEnd()
        #expect(rest.hasPrefix("HTTP/1.1 200 OK\r\n") && rest.hasSuffix("GET /next "), "\(rest)")
        #expect(started.withLock { $0 } == 0)
    }

    @Test func server_SendsAnHTTP10StreamRaw_AndClosesToEndIt() throws {
        let server = try Self.server { stream in
            stream.write("one ")
            stream.write("two")
            stream.finish()
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port)
        try client.send("GET /stream HTTP/1.0\r\n\r\n")
        let head = try client.readHead()
        #expect(!head.contains("Transfer-Encoding") && !head.contains("Content-Length"))
        #expect(headerLines(head).contains("Connection: close"))
        #expect(try client.readToEnd() == "one two")
    }

    // A client that hangs up ends the stream: the close handler runs, writes are refused and the connection's slot
    // is free again (with a limit of one connection, the next client is served).
    @Test func server_EndsTheStream_WhenTheClientHangsUp() throws {
        let closed = DispatchSemaphore(value: 0)
        let streams = LockedBox<[ResponseStream]>([])
        let server = try Self.server(limits: HTTPLimits(maxConnections: 1)) { stream in
            streams.withLock { $0.append(stream) }
            stream.onClose { closed.signal() }
            stream.write(": open\n\n")
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/stream"))
        _ = try client.readHead()
        #expect(try client.read(count: 13) == "8\r\n: open\n\n\r\n")
        #expect(server.connectionCount == 1)
        // The stream holds the only connection slot: another client waits in the backlog, unanswered.
        let next = try TestSocket(port: server.port)
        try next.send(simpleGET("/after", extra: "Connection: close\r\n"))
        #expect(!next.waitReadable(timeout: 0.3))
        client.close()
        #expect(closed.wait(timeout: .now() + 5) == .success)
        let stream = try #require(streams.withLock { $0.first })
        #expect(!stream.isOpen)
        #expect(!stream.write("late"))
        let late = LockedBox(false)
        stream.onClose { late.withLock { $0 = true } }
        #expect(late.withLock { $0 })  // registered after the end: runs at once
        #expect(try next.readToEnd().hasSuffix("GET /after "))
        #expect(try eventually { server.connectionCount == 0 })
    }

    // Shutdown ends every stream: the close handler runs, the body gets its last chunk and the connection closes.
    @Test func server_EndsStreams_OnShutdown() throws {
        let closed = DispatchSemaphore(value: 0)
        let server = try Self.server { stream in
            stream.onClose { closed.signal() }
            stream.write("x")
        }
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/stream"))
        _ = try client.readHead()
        #expect(try client.read(count: 6) == "1\r\nx\r\n")
        let done = DispatchSemaphore(value: 0)
        DispatchQueue(label: "test.producer").async {
            server.shutdown(timeout: 3)
            done.signal()
        }
        #expect(closed.wait(timeout: .now() + 2) == .success)
        #expect(try client.readToEnd() == "0\r\n\r\n")
        client.close()
        #expect(done.wait(timeout: .now() + 2) == .success)
        #expect(server.connectionCount == 0)
    }

    // A client that does not read is dropped once more than maxStreamBuffer bytes wait for it; memory stays bounded.
    @Test func server_DropsAClientThatFallsTooFarBehind() throws {
        let closed = DispatchSemaphore(value: 0)
        let refusedAfter = LockedBox<Int?>(nil)
        let server = try Self.server(limits: HTTPLimits(maxStreamBuffer: 64 * 1024)) { stream in
            stream.onClose { closed.signal() }
            DispatchQueue(label: "test.producer").async {
                let piece = [UInt8](repeating: 0x61, count: 4096)
                for i in 0..<(64 * 1024) {  // at most 256 MiB
                    if !stream.write(piece) {
                        refusedAfter.withLock { $0 = i }
                        return
                    }
                    if i % 16 == 0 { usleep(1000) }
                }
            }
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port, receiveBuffer: 4096)
        try client.send(simpleGET("/stream"))
        #expect(closed.wait(timeout: .now() + 20) == .success)
        #expect(try eventually { refusedAfter.withLock { $0 } != nil })
        #expect(try eventually { server.connectionCount == 0 })
    }

    // A producer that waits for its pieces to go out (`waitUntilSent`) goes at the pace of a slow client: with a
    // stream buffer of 64 KiB it sends 4 MiB in 16 KiB pieces to a client that reads late and slowly, and is never dropped. The same
    // producer without waiting is dropped (the test above).
    @Test func server_PacesAWaitingProducer_ToASlowClient() throws {
        let pieces = 256
        let piece = [UInt8](repeating: 0x62, count: 16 * 1024)
        let server = try Self.server(limits: HTTPLimits(maxStreamBuffer: 64 * 1024)) { stream in
            DispatchQueue(label: "test.producer").async {
                for _ in 0..<pieces {
                    guard stream.waitUntilSent() else { return }
                    stream.write(piece)
                }
                stream.finish()
            }
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port, receiveBuffer: 4096)
        try client.send(simpleGET("/stream"))
        usleep(300_000)  // the client reads nothing for a while
        _ = try client.readHead()
        var received = 0
        while true {
            let chunk = try client.read(count: 8192)
            if chunk.isEmpty { break }
            received += chunk.utf8.count
        }
        // Each piece is a chunk: size line, data, CRLF; then the last chunk.
        #expect(received == pieces * ("4000\r\n".utf8.count + piece.count + 2) + "0\r\n\r\n".utf8.count)
    }

    // A client that hangs up wakes a producer waiting for its piece to go out: `waitUntilSent` answers false.
    @Test func server_WakesAWaitingProducer_WhenTheClientHangsUp() throws {
        let stopped = DispatchSemaphore(value: 0)
        let written = LockedBox(0)
        let server = try Self.server { stream in
            DispatchQueue(label: "test.producer").async {
                let piece = [UInt8](repeating: 0x63, count: 256 * 1024)
                while stream.waitUntilSent() {
                    stream.write(piece)
                    written.withLock { $0 += 1 }
                }
                stopped.signal()
            }
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port, receiveBuffer: 4096)
        try client.send(simpleGET("/stream"))
        _ = try client.readHead()
        _ = try client.read(count: 1000)
        // Once the socket buffers are full the producer is blocked, not dropped: writing on, it would have passed the
        // 1 MiB stream buffer long ago.
        usleep(300_000)
        let blockedAt = written.withLock { $0 }
        usleep(300_000)
        #expect(written.withLock { $0 } == blockedAt)
        #expect(server.connectionCount == 1)
        client.close()
        #expect(stopped.wait(timeout: .now() + 5) == .success)
    }

    // The idle timeout counts time without progress: a stream that keeps writing outlives it, a silent one does not.
    @Test func server_KeepsAWritingStream_PastTheIdleTimeout() throws {
        let server = try Self.server(limits: HTTPLimits(idleTimeout: 0.4)) { stream in
            DispatchQueue(label: "test.producer").async {
                for _ in 0..<10 {
                    stream.write(":\n\n")
                    usleep(100_000)
                }
                stream.finish()
            }
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/stream"))
        _ = try client.readHead()
        #expect(try client.readToEnd() == String(repeating: "3\r\n:\n\n\r\n", count: 10) + "0\r\n\r\n")
    }

    @Test func server_ClosesASilentStream_AtTheIdleTimeout() throws {
        let closed = DispatchSemaphore(value: 0)
        let server = try Self.server(limits: HTTPLimits(idleTimeout: 0.3)) { stream in
            stream.onClose { closed.signal() }
        }
        defer { server.shutdown(timeout: 1) }
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/stream"))
        _ = try client.readHead()
        #expect(closed.wait(timeout: .now() + 5) == .success)
        #expect(try client.readToEnd() == "")
    }
}

/// A value behind a lock, shareable with escaping closures (a `Mutex` itself cannot be captured).
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { value in
            var copy = value
            defer { value = copy }
            return body(&copy)
        }
    }
}

/// Polls `condition` for up to 5 seconds.
func eventually(_ condition: () -> Bool) throws -> Bool {
    for _ in 0..<500 {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// A blocking client socket with a 10-second receive timeout, for tests that read a response piece by piece.
final class TestSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let fd: Int32
    private var buffer: [UInt8] = []
    private var isClosed = false

    init(port: Int, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close()
            throw Failure(description: "connect failed: errno \(errno)")
        }
    }

    deinit { close() }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    func send(_ text: String) throws {
        let data = bytes(text)
        let sent = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == data.count else { throw Failure(description: "send failed: errno \(errno)") }
    }

    /// Whether bytes (or the end) arrive within `timeout` seconds.
    func waitReadable(timeout: Double) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(timeout * 1000)) > 0
    }

    /// Receives more bytes into the buffer; false at the end of the stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "recv failed (errno \(errno)) with \(buffer.count) bytes buffered")
    }

    /// The response head, through the blank line.
    func readHead() throws -> String {
        let blank = bytes("\r\n\r\n")
        while true {
            if let end = buffer.indices.first(where: { buffer[$0...].starts(with: blank) }) {
                let head = Array(buffer[..<(end + 4)])
                buffer.removeFirst(end + 4)
                return String(decoding: head, as: UTF8.self)
            }
            guard try fill() else { throw Failure(description: "closed before the end of the head") }
        }
    }

    /// Exactly `count` bytes.
    func read(count: Int) throws -> String {
        while buffer.count < count {
            guard try fill() else { break }
        }
        let taken = Array(buffer.prefix(count))
        buffer.removeFirst(taken.count)
        return String(decoding: taken, as: UTF8.self)
    }

    /// Everything until the server closes.
    func readToEnd() throws -> String {
        while try fill() {}
        defer { buffer = [] }
        return String(decoding: buffer, as: UTF8.self)
    }
}
