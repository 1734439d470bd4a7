import Dispatch
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Misbehaving and numerous clients, and the process lifecycle.
@Suite
struct RobustnessTests {
    /// What the slow client thread saw, shared with the test body.
    final class SlowClientReport: Sendable {
        private let state = Mutex<(sent: Int, error: String?, stop: Bool, answered: Bool)>((0, nil, false, false))

        var sent: Int { state.withLock { $0.sent } }
        var error: String? { state.withLock { $0.error } }
        var answered: Bool { state.withLock { $0.answered } }
        var shouldStop: Bool { state.withLock { $0.stop } }
        func stop() { state.withLock { $0.stop = true } }
        func didSend() { state.withLock { $0.sent += 1 } }
        func fail(_ message: String) { state.withLock { $0.error = message } }
        func sawAnswer() { state.withLock { $0.answered = true } }
    }

    @Test func otherConnections_AreServedPromptly_WhileASlowClientDribblesItsHead() throws {
        // RFC 9112 §9.5: "Servers will usually have some time-out value beyond which they will no longer maintain an
        // inactive connection" — until then a slow connection must not hold up the others.
        let emulator = try RunningEmulator()
        let port = emulator.port
        let report = SlowClientReport()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer { done.signal() }
            do {
                let slow = try Client(port: port, timeout: 5)
                let head = Array(
                    RawRequest.get("/_emulator/health", headers: ["X-Slow: \(String(repeating: "s", count: 200))"]).utf8
                )
                var index = 0
                while !report.shouldStop && index < head.count - 2 {
                    try slow.send([head[index]])
                    index += 1
                    report.didSend()
                    if slow.waitReadable(timeout: 0.2) { report.sawAnswer() }
                }
            } catch {
                report.fail("\(error)")
            }
        }
        // Wait until the slow client has started its head.
        let startDeadline = monotonicSeconds() + 5
        while report.sent < 3 && monotonicSeconds() < startDeadline { pause(0.02) }
        #expect(report.sent >= 3)

        let start = monotonicSeconds()
        let client = try emulator.connect()
        for i in 0..<50 {
            try client.send(RawRequest.get("/_emulator/health"))
            #expect(try client.readResponse().status == 200, "request \(i)")
        }
        let elapsed = monotonicSeconds() - start
        report.stop()
        done.wait()
        #expect(elapsed < 3, "50 requests took \(elapsed) s while a slow client was sending its head")
        #expect(report.error == nil)
        #expect(!report.answered, "the incomplete request was not answered")
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func slowClient_Gets408AndIsClosed_WhenItsHeadTakesOverTenSeconds() throws {
        // RFC 9110 §15.5.9: 408 Request Timeout "indicates that the server did not receive a complete request message
        // within the time that it was prepared to wait"; the header timeout defaults to 10 s (HTTPLimits).
        let emulator = try RunningEmulator()
        let slow = try emulator.connect(timeout: 3)
        let head = Array(
            RawRequest.get("/_emulator/health", headers: ["X-Slow: \(String(repeating: "s", count: 200))"]).utf8)
        let start = monotonicSeconds()
        var index = 0
        var answered = false
        // One byte every 200 ms: the server sees steady activity but never a complete head.
        while index < head.count - 2 && monotonicSeconds() - start < 14 {
            try slow.send([head[index]])
            index += 1
            if slow.waitReadable(timeout: 0.2) {
                answered = true
                break
            }
        }
        let elapsed = monotonicSeconds() - start
        #expect(answered, "the server answered or closed the slow connection")
        #expect(elapsed > 9 && elapsed < 12.5, "closed after \(elapsed) s")
        let response = try slow.readResponse()
        #expect(response.status == 408)
        #expect(response.closesConnection)
        #expect(slow.readToEnd().closed)
        #expect(try emulator.get("/_emulator/health").status == 200)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func server_KeepsServingWithoutLeaks_WhenClientsResetMidRequestOrMidResponse() throws {
        // RFC 9293 §3.10.7.4: on RST "any outstanding RECEIVEs and SEND should receive "reset" responses … Enter the
        // CLOSED state": the server drops the connection, keeps serving others and leaks no descriptor.
        let emulator = try RunningEmulator()
        #expect(try emulator.get("/_emulator/health").status == 200)
        pause(0.2)
        let baseline = emulator.openDescriptorCount
        // 32 pipelined requests whose 404 answers echo a 3000-octet path: ~100 KB of responses, more than a 4 KiB
        // receive buffer and the server's initial send buffer hold, so the server has output pending at the reset.
        let path = "/" + String(repeating: "p", count: 3000)
        let pipeline = Array(String(repeating: RawRequest.get(path), count: 32).utf8)
        for round in 0..<50 {
            let half = try Client(port: emulator.port)
            try half.send("POST /_emulator/health HTTP/1.1\r\nHost: x\r\nContent-Len")
            half.reset()

            let busy = try Client(port: emulator.port, timeout: 5, receiveBuffer: 4096)
            try busy.send(pipeline)
            let first = try busy.receiveSome()
            #expect(!first.isEmpty, "round \(round): the server started answering")
            busy.reset()

            let probe = try emulator.get("/_emulator/health", headers: ["Connection: close"])
            #expect(probe.status == 200, "round \(round)")
        }
        #expect(emulator.isRunning)
        // Every reset connection is closed on the server: its descriptor count returns to the baseline.
        let deadline = monotonicSeconds() + 5
        var count = emulator.openDescriptorCount
        while count > baseline && monotonicSeconds() < deadline {
            pause(0.05)
            count = emulator.openDescriptorCount
        }
        #expect(count <= baseline, "server holds \(count) descriptors, \(baseline) before the resets")
        #expect(emulator.terminate() == .exited(0))
    }

    @Test(arguments: [
        ("a partial head", "GET /_emulator/health HTTP/1.1\r\nHo"),
        ("a partial body", "POST /_emulator/health HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"),
    ])
    func connection_IsReleasedAtOnce_WhenAResetArrivesWithPartOfARequest(_ situation: String, _ bytes: String) throws {
        // RFC 9293 §3.10.7.4: on RST "All segment queues should be flushed"; the server must notice the reset even
        // when the bytes and the RST were both queued before its first read (regression: the descriptor was held
        // until the 10 s header timeout, or the 60 s idle timeout with a partial body).
        let emulator = try RunningEmulator()
        #expect(try emulator.get("/_emulator/health").status == 200)
        pause(0.2)
        let baseline = emulator.openDescriptorCount
        // Stopped, the server cannot read before the reset: the kernel completes the handshakes from the listen
        // backlog and queues the bytes and the RST, so the server meets both at its first read.
        emulator.process.send(signal: SIGSTOP)
        for _ in 0..<10 {
            let client = try Client(port: emulator.port)
            try client.send(bytes)
            client.reset()
        }
        emulator.process.send(signal: SIGCONT)
        pause(0.3)
        let deadline = monotonicSeconds() + 2
        var count = emulator.openDescriptorCount
        while count > baseline && monotonicSeconds() < deadline {
            pause(0.05)
            count = emulator.openDescriptorCount
        }
        #expect(count <= baseline, "\(situation): \(count) descriptors 2 s after the resets, \(baseline) before")
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func server_AnswersEveryConnection_When1100AreOpenAtOnce() throws {
        // RFC 9112 §9.4: "A client ought to limit the number of simultaneous open connections that it maintains to a
        // given server" — yet the server must cope with many: ≥ 1024 at once (beyond FD_SETSIZE, so no select()).
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 4096 {
            limit.rlim_cur = min(limit.rlim_max, 8192)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let emulator = try RunningEmulator()
        var clients: [Client] = []
        clients.reserveCapacity(1100)
        for _ in 0..<1100 {
            clients.append(try emulator.connect(timeout: 10))
        }
        for client in clients {
            try client.send(RawRequest.get("/_emulator/health"))
        }
        var ok = 0
        for client in clients {
            if try client.readResponse().status == 200 { ok += 1 }
        }
        #expect(ok == 1100)
        // All 1100 are still open (keep-alive) at once: the server holds a descriptor for each.
        #expect(emulator.openDescriptorCount >= 1100)
        clients.removeAll()
        #expect(try emulator.get("/_emulator/health").status == 200)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func sigterm_ExitsZeroWithinTwoSeconds_WhenAnIdleKeepAliveConnectionIsOpen() throws {
        // RFC 9112 §9.5: "A client or server that wishes to time out SHOULD issue a graceful close on the
        // connection"; the emulator's contract (Runner.swift): SIGTERM → stop accepting, close idle, exit 0.
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send(RawRequest.get("/_emulator/health"))
        #expect(try client.readResponse().status == 200)
        let start = monotonicSeconds()
        emulator.process.send(signal: SIGTERM)
        let end = client.readToEnd(timeout: 3)
        #expect(end.closed && end.bytes.isEmpty, "the idle connection is closed without a response")
        #expect(emulator.process.wait(timeout: 3) == .exited(0))
        let elapsed = monotonicSeconds() - start
        #expect(elapsed < 2, "shutdown took \(elapsed) s")
    }

    @Test func sigterm_LetsTheRequestInFlightFinish_WhenItsBodyIsStillArriving() throws {
        // RFC 9112 §9.6: "If a server performs an immediate close of a TCP connection, there is a significant risk
        // that the client will not be able to read the last HTTP response"; a request in flight is finished first.
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send(RawRequest.make("POST", "/_emulator/health", headers: ["Content-Length: 4"], body: "ab"))
        pause(0.1)
        emulator.process.send(signal: SIGTERM)
        pause(0.2)
        try client.send("cd")
        let response = try client.readResponse()
        #expect(response.status == 405)
        #expect(response.closesConnection)
        #expect(emulator.process.wait(timeout: 3) == .exited(0))
    }
}
