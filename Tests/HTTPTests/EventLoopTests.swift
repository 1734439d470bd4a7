import CEpoll
import Dispatch
import Foundation
import Testing

@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// The server's event loops: requests answered inline on a loop, and the ones a responder says may block answered off
/// it (`Responder.mayBlock`), so one slow answer holds up only its own connection.
@Suite struct EventLoopTests {
    /// `/slow` sleeps `sleepMillis` and says it may block (unless `declares` is false); anything else is echoed.
    private struct Sleeper: Responder {
        let sleepMillis: UInt32
        var declares = true
        func respond(to request: Request) -> Response {
            if request.path == "/slow" { usleep(sleepMillis * 1000) }
            return echo(request)
        }
        func mayBlock(_ request: Request) -> Bool { declares && request.path == "/slow" }
    }

    private static func server(_ responder: Sleeper, loops: Int = 1) throws -> Server {
        let server = Server(configuration: .init(host: "127.0.0.1", port: 0, eventLoops: loops), responder: responder)
        try server.start()
        return server
    }

    private static func millis(since start: UInt64) -> Double { Double(EventLoop.now() - start) / 1_000_000 }

    // On a single loop, a request that may block does not hold up another connection's request.
    @Test func server_AnswersOtherConnections_WhileAnOffloadedRequestSleeps() throws {
        let server = try Self.server(Sleeper(sleepMillis: 800))
        defer { server.shutdown(timeout: 2) }
        let slow = try TestSocket(port: server.port)
        try slow.send(simpleGET("/slow"))
        usleep(50_000)  // the slow request is in the responder
        let start = EventLoop.now()
        let quick = try TestSocket(port: server.port)
        try quick.send(simpleGET("/quick"))
        let head = try quick.readHead()
        let elapsed = Self.millis(since: start)
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(elapsed < 600, "the quick request waited \(elapsed) ms for the sleeping one")
        #expect(try slow.readHead().hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    // The contrast that shows the test above can fail: a responder that sleeps without saying so holds up the loop.
    @Test func server_HoldsUpTheLoop_WhenASleepingResponderDoesNotSaySo() throws {
        let server = try Self.server(Sleeper(sleepMillis: 800, declares: false))
        defer { server.shutdown(timeout: 2) }
        let slow = try TestSocket(port: server.port)
        try slow.send(simpleGET("/slow"))
        usleep(50_000)
        let start = EventLoop.now()
        let quick = try TestSocket(port: server.port)
        try quick.send(simpleGET("/quick"))
        _ = try quick.readHead()
        #expect(Self.millis(since: start) >= 500)
    }

    // Pipelined requests behind an offloaded one are answered after it, in order (RFC 9112 §9.3.2).
    @Test func server_AnswersPipelinedRequests_InOrder_AfterAnOffloadedOne() throws {
        let server = try Self.server(Sleeper(sleepMillis: 200))
        defer { server.shutdown(timeout: 2) }
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/slow") + simpleGET("/after") + simpleGET("/slow") + simpleGET("/last"))
        var targets: [String] = []
        for _ in 0..<4 {
            let head = try client.readHead()
            let length = headerLines(head).first { $0.hasPrefix("Content-Length: ") }.map { Int($0.dropFirst(16))! }
            let body = try client.read(count: length ?? 0)
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
            targets.append(body)
        }
        #expect(targets.map { $0.contains("/slow") } == [true, false, true, false])
        #expect(targets[1].contains("/after"))
        #expect(targets[3].contains("/last"))
    }

    // A client that hangs up while its offloaded request is being answered costs nothing: the server keeps serving.
    @Test func server_KeepsServing_WhenTheClientOfAnOffloadedRequestHangsUp() throws {
        let server = try Self.server(Sleeper(sleepMillis: 300))
        defer { server.shutdown(timeout: 2) }
        let gone = try TestSocket(port: server.port)
        try gone.send(simpleGET("/slow"))
        usleep(50_000)
        gone.close()
        #expect(try eventually { server.connectionCount == 0 })
        usleep(400_000)  // the answer came back to a closed connection
        let next = try TestSocket(port: server.port)
        try next.send(simpleGET("/slow"))
        #expect(try next.readHead().hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    // An offloaded request gets a thread at once, even when every worker of Dispatch's global queue is busy (its width
    // is the CPU count: on one CPU, offloading there made a control-plane request wait seconds).
    @Test func server_AnswersAnOffloadedRequestAtOnce_WhileTheGlobalQueueIsBusy() throws {
        let server = try Self.server(Sleeper(sleepMillis: 1))
        defer { server.shutdown(timeout: 2) }
        let release = DispatchSemaphore(value: 0)
        let busy = 64
        for _ in 0..<busy { DispatchQueue.global().async { release.wait() } }
        defer { for _ in 0..<busy { release.signal() } }
        let start = EventLoop.now()
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/slow"))
        #expect(try client.readHead().hasPrefix("HTTP/1.1 200 OK\r\n"))
        let elapsed = Self.millis(since: start)
        #expect(elapsed < 500, "the offloaded request waited \(elapsed) ms")
    }

    // Connections are spread over the loops, and every loop serves.
    @Test func server_ServesOnEveryLoop() throws {
        let server = try Self.server(Sleeper(sleepMillis: 0), loops: 3)
        defer { server.shutdown(timeout: 2) }
        let clients = try (0..<6).map { _ in try TestSocket(port: server.port) }
        for (index, client) in clients.enumerated() { try client.send(simpleGET("/c\(index)")) }
        for client in clients { #expect(try client.readHead().hasPrefix("HTTP/1.1 200 OK\r\n")) }
        #expect(server.connectionCount == 6)
    }

    // A shut-down server closes its listener: nothing is accepted any more.
    @Test func shutdown_ClosesTheListener() throws {
        let server = try Self.server(Sleeper(sleepMillis: 0))
        let port = server.port
        server.shutdown(timeout: 1)
        #expect(throws: TestSocket.Failure.self) { _ = try TestSocket(port: port) }
    }

    // A connection lingering after its last response (`Connection: close`, the client has not closed yet) holds up
    // shutdown for at most a moment, not for the whole 2 s linger: the client still gets the whole response, then the
    // end of the stream.
    @Test func shutdown_EndsALingeringConnectionSoon() throws {
        let server = try Self.server(Sleeper(sleepMillis: 0))
        let client = try TestSocket(port: server.port)
        try client.send(simpleGET("/bye", extra: "Connection: close\r\n"))
        let head = try client.readHead()
        #expect(head.contains("Connection: close"))
        let start = EventLoop.now()
        server.shutdown(timeout: 5)
        #expect(Self.millis(since: start) < 1_500, "the linger is 2 s")
        #expect(try client.readToEnd().hasSuffix("GET /bye "))
    }

    // One loop per CPU of the affinity mask (as /proc/self/status lists it), at most 8.
    // A server dropped without shutdown() closes its listener at the next connection attempt instead of leaving the
    // loop a listener nobody accepts on (level-triggered epoll would report it forever).
    @Test func droppedServer_ClosesItsListener_AtTheNextConnection() throws {
        var port = 0
        do {
            let server = try Self.server(Sleeper(sleepMillis: 0))
            port = server.port
            let client = try TestSocket(port: port)
            try client.send(simpleGET("/before"))
            #expect(try client.readHead().hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
        let late = try? TestSocket(port: port)  // may connect into the backlog before the listener closes
        _ = late?.waitReadable(timeout: 1)
        #expect(try eventually { (try? TestSocket(port: port)) == nil })
    }

    @Test func defaultLoopCount_IsTheAffinityMasksCPUs_AtMostEight() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed:") })
        let cpus = line.dropFirst("Cpus_allowed:".count).reduce(0) { count, character in
            count + (character.hexDigitValue?.nonzeroBitCount ?? 0)
        }
        #expect(cpus >= 1)
        #expect(EventLoop.defaultCount == min(cpus, 8))
    }

    /// A pipe's read end on a loop: notes when it is ready and, once asked for, when the loop's round ends.
    private final class PipeHandler: EventLoopHandler, @unchecked Sendable {
        let name: String
        let readFD: Int32
        let writeFD: Int32
        let loop: EventLoop
        let log: LockedBox<[String]>

        init(_ name: String, loop: EventLoop, log: LockedBox<[String]>) {
            var fds: [Int32] = [0, 0]
            precondition(pipe(&fds) == 0)
            self.name = name
            readFD = fds[0]
            writeFD = fds[1]
            self.loop = loop
            self.log = log
        }

        func ready(_ events: UInt32) {
            var byte: UInt8 = 0
            _ = read(readFD, &byte, 1)
            log.withLock { $0.append("\(name) ready") }
            loop.atEndOfRound(self)
        }

        func tick(_ now: UInt64) {}

        func endOfRound() { log.withLock { $0.append("\(name) end") } }

        func poke() {
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)
        }

        deinit {
            Glibc.close(readFD)
            Glibc.close(writeFD)
        }
    }

    // What a handler holds for the end of the round (a connection's output) waits until every descriptor that was
    // ready together has been handled: answers go out after the round's requests are read and answered.
    @Test func atEndOfRound_RunsAfterEveryReadyDescriptorOfTheRound() throws {
        let loop = try EventLoop(label: "test.rounds")
        loop.start()
        defer { loop.stop() }
        let log = LockedBox<[String]>([])
        let first = PipeHandler("first", loop: loop, log: log)
        let second = PipeHandler("second", loop: loop, log: log)
        let done = DispatchSemaphore(value: 0)
        loop.execute {
            _ = loop.register(first.readFD, events: EPOLLIN.rawValue, handler: first)
            _ = loop.register(second.readFD, events: EPOLLIN.rawValue, handler: second)
            // Both become readable before the loop waits again: one epoll_wait reports them together.
            first.poke()
            second.poke()
        }
        loop.execute { done.signal() }
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(try eventually { log.withLock { $0.count } == 4 })
        let entries = log.withLock { $0 }
        #expect(Set(entries.prefix(2)) == ["first ready", "second ready"], "\(entries)")
        #expect(Set(entries.suffix(2)) == ["first end", "second end"], "\(entries)")
    }

    // Tasks handed to a loop run on its thread, in the order given.
    @Test func execute_RunsTasksOnTheLoop_InOrder() throws {
        let loop = try EventLoop(label: "test.loop")
        loop.start()
        defer { loop.stop() }
        let seen = LockedBox<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        for index in 0..<100 {
            loop.execute {
                precondition(loop.inLoop)
                seen.withLock { $0.append(index) }
                if index == 99 { done.signal() }
            }
        }
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(seen.withLock { $0 } == Array(0..<100))
        #expect(!loop.inLoop)
    }
}
