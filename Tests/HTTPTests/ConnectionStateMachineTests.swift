import Testing

@testable import HTTP

@Suite struct ConnectionStateMachineTests {
    private func machine(_ raw: String, limits: HTTPLimits = HTTPLimits()) -> ConnectionStateMachine {
        var m = ConnectionStateMachine(limits: limits)
        m.received(bytes(raw))
        return m
    }

    // RFC 9112 §9.3: HTTP/1.1 connections persist by default.
    @Test func machine_KeepsHttp11ConnectionOpen() {
        var m = machine(simpleGET("/a"))
        #expect(run(&m) == [.dispatch("GET /a"), .write(echoResponse("GET /a ")), .needMore])
        #expect(m.isIdle)
    }

    // RFC 9112 §9.3.2: pipelined requests are answered in the order received — in one packet or byte by byte.
    @Test func machine_AnswersPipelinedRequestsInOrder() {
        let raw = simpleGET("/1") + "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" + simpleGET("/3")
        let expected: [Step] = [
            .dispatch("GET /1"), .write(echoResponse("GET /1 ")), .dispatch("POST /2"),
            .write(echoResponse("POST /2 abc")),
            .dispatch("GET /3"), .write(echoResponse("GET /3 ")), .needMore,
        ]
        var whole = machine(raw)
        #expect(run(&whole) == expected)
        var bytewise = ConnectionStateMachine(limits: HTTPLimits())
        var steps: [Step] = []
        for b in bytes(raw) {
            bytewise.received([b])
            steps += run(&bytewise).filter { $0 != .needMore }
        }
        #expect(steps + [.needMore] == expected)
    }

    // RFC 9112 §9.6: "Connection: close" → the response says so, the connection closes, and a request pipelined
    // after it is never processed.
    @Test(arguments: ["close", "Close", "keep-alive, close", "upgrade,CLOSE"])
    func machine_HonoursConnectionClose(value: String) {
        var m = machine(simpleGET("/a", extra: "Connection: \(value)\r\n") + simpleGET("/b"))
        #expect(run(&m) == [.dispatch("GET /a"), .writeAndClose(echoResponse("GET /a ", close: true))])
        m.received(bytes(simpleGET("/c")))
        #expect(run(&m) == [.close])
    }

    // RFC 9112 §9.6: once closing, received bytes are discarded rather than buffered.
    @Test func machine_DiscardsBytes_AfterClose() {
        var m = machine(simpleGET("/a", extra: "Connection: close\r\n"))
        #expect(run(&m).count == 2)
        #expect(m.isIdle)
        m.received(bytes(simpleGET("/b")))
        #expect(m.isIdle && !m.isReadingHead)
        #expect(run(&m) == [.close])
    }

    // RFC 9112 §9.3: HTTP/1.0 closes unless the client sent "Connection: keep-alive".
    @Test func machine_ClosesHttp10ByDefault_AndKeepsItWithKeepAlive() {
        var plain = machine("GET /a HTTP/1.0\r\n\r\n" + simpleGET("/b"))
        #expect(run(&plain) == [.dispatch("GET /a"), .writeAndClose(echoResponse("GET /a ", close: true))])
        var kept = machine("GET /a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n" + "GET /b HTTP/1.0\r\n\r\n")
        #expect(
            run(&kept) == [
                .dispatch("GET /a"), .write(echoResponse("GET /a ", keepAlive10: true)), .dispatch("GET /b"),
                .writeAndClose(echoResponse("GET /b ", close: true)),
            ])
    }

    // RFC 9110 §9.3.2: a HEAD response carries the Content-Length of the GET body but no content.
    @Test func machine_SendsContentLengthWithoutBody_ForHead() {
        var m = machine("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n" + simpleGET("/g"))
        #expect(
            run(&m) == [
                .dispatch("HEAD /h"), .write(echoResponse("HEAD /h ", headOnly: true)), .dispatch("GET /g"),
                .write(echoResponse("GET /g ")), .needMore,
            ])
    }

    // RFC 9110 §8.6 / §15.3.5: 204 and 304 responses carry neither Content-Length nor content.
    @Test(arguments: [204, 304])
    func machine_OmitsContentLength_ForNoContentStatuses(code: Int) {
        let status = HTTPStatus(code: code, reasonPhrase: "X")
        let bytes = ConnectionStateMachine.encode(Response(status: status, body: [1, 2]), method: .get, close: false)
        #expect(withoutDate(bytes) == "HTTP/1.1 \(code) X\r\n\r\n")
    }

    // RFC 9110 §6.6.1: every response carries a Date in IMF-fixdate form.
    @Test func machine_AddsDateHeader() {
        let text = String(
            decoding: ConnectionStateMachine.encode(Response(), method: .get, close: false), as: UTF8.self)
        let date = headerLines(text).first { $0.hasPrefix("Date: ") }
        #expect(date?.hasSuffix(" GMT") == true && date?.utf8.count == 35, "\(String(describing: date))")
    }

    // RFC 9110 §10.1.1: with Expect: 100-continue the machine writes 100 Continue before the body arrives.
    @Test func machine_Writes100Continue_BeforeBody() {
        var m = machine("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(run(&m) == [.write("HTTP/1.1 100 Continue\r\n\r\n"), .needMore])
        m.received(bytes("ok"))
        #expect(run(&m) == [.dispatch("POST /e"), .write(echoResponse("POST /e ok")), .needMore])
    }

    // RFC 9110 §10.1.1: no 100 Continue when the body is already buffered.
    @Test func machine_Skips100Continue_WhenBodyBuffered() {
        var m = machine("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok")
        #expect(run(&m) == [.dispatch("POST /e"), .write(echoResponse("POST /e ok")), .needMore])
    }

    // RFC 9110 §10.1.1: another expectation → 417 and close; the body is never read as a request.
    @Test func machine_Answers417_ForOtherExpectation() {
        expectMachineRejects(
            bytes("POST /e HTTP/1.1\r\nHost: h\r\nExpect: x\r\nContent-Length: 2\r\n\r\nok"), status: 417)
    }

    // RFC 9110 §9.1: an unknown method → 501; the connection stays usable when keep-alive.
    @Test(arguments: ["get", "BREW", "PROPFIND"])
    func machine_Answers501_ForUnknownMethod_AndStaysOpen(method: String) {
        var m = machine("\(method) /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" + simpleGET("/ok"))
        let steps = run(&m)
        #expect(steps.count == 4, "\(steps)")
        guard case .write(let text) = steps.first else {
            Issue.record("expected a 501 write, got \(steps)")
            return
        }
        #expect(text.hasPrefix("HTTP/1.1 501 Not Implemented\r\n"))
        #expect(!headerLines(text).contains("Connection: close"))
        #expect(Array(steps.dropFirst()) == [.dispatch("GET /ok"), .write(echoResponse("GET /ok ")), .needMore])
    }

    // RFC 9110 §9.1 + RFC 9112 §9.6: 501 on a request that asked to close closes.
    @Test func machine_Answers501AndCloses_WhenRequestAskedToClose() {
        var m = machine("BREW /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + simpleGET("/no"))
        let steps = run(&m)
        guard steps.count == 1, case .writeAndClose(let text) = steps[0] else {
            Issue.record("expected one writeAndClose, got \(steps)")
            return
        }
        #expect(text.hasPrefix("HTTP/1.1 501 ") && headerLines(text).contains("Connection: close"))
    }

    // RFC 9112 §9.6/§2.2: a framing error → 400 with Connection: close; the valid request before it is answered,
    // nothing after it is.
    @Test func machine_AnswersRequestsBeforeFramingError_ThenCloses() {
        var m = machine(simpleGET("/ok") + "GET /bad HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n" + simpleGET("/never"))
        let steps = run(&m)
        #expect(Array(steps.prefix(2)) == [.dispatch("GET /ok"), .write(echoResponse("GET /ok "))])
        guard steps.count == 3, case .writeAndClose(let text) = steps[2] else {
            Issue.record("expected writeAndClose last, got \(steps)")
            return
        }
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n") && headerLines(text).contains("Connection: close"))
        #expect(headerLines(text).contains("Content-Type: application/json"))
        #expect(run(&m) == [.close])
    }

    // RFC 9112 §9.6: after the peer half-closes, complete buffered requests are still answered, then close.
    @Test func machine_AnswersBufferedRequests_AfterEndOfInput() {
        var m = machine(simpleGET("/1") + simpleGET("/2"))
        m.receivedEndOfInput()
        #expect(
            run(&m) == [
                .dispatch("GET /1"), .write(echoResponse("GET /1 ")), .dispatch("GET /2"),
                .write(echoResponse("GET /2 ")),
                .close,
            ])
    }

    // RFC 9112 §9.6: a partial request at end of input is dropped and the connection closed.
    @Test func machine_Closes_OnEndOfInputWithPartialRequest() {
        var m = machine("GET /partial HTTP/1.1\r\nHo")
        #expect(run(&m) == [.needMore])
        #expect(m.isReadingHead && !m.isIdle)
        m.receivedEndOfInput()
        #expect(run(&m) == [.close])
    }

    // Graceful shutdown: an idle connection closes; one with a request answers it with Connection: close.
    @Test func machine_Shutdown_ClosesIdle_AndFinishesInFlight() {
        var idle = ConnectionStateMachine(limits: HTTPLimits())
        idle.shutdown()
        #expect(run(&idle) == [.close])
        var busy = machine(simpleGET("/a") + simpleGET("/b"))
        guard case .dispatch(let request) = busy.next() else {
            Issue.record("expected dispatch")
            return
        }
        #expect(busy.next() == .needMore)  // in flight: nothing else starts
        #expect(!busy.isIdle)
        busy.shutdown()
        guard case .writeAndClose(let b) = busy.respond(echo(request), to: request) else {
            Issue.record("expected writeAndClose")
            return
        }
        #expect(withoutDate(b) == echoResponse("GET /a ", close: true))
        #expect(busy.next() == .close)
    }

    // RFC 9112 §9.6: a response that says "Connection: close" closes the connection.
    @Test func machine_Closes_WhenResponseSaysClose() {
        var m = machine(simpleGET("/a") + simpleGET("/b"))
        let steps = run(&m) { _ in Response(status: .ok, headers: ["Connection": "close"], body: bytes("x")) }
        #expect(steps == [.dispatch("GET /a"), .writeAndClose(echoResponse("x", close: true))])
    }

    // RFC 9112 §3.2.2: the dispatched request has the absolute-form target turned into origin-form.
    @Test func machine_DispatchesAbsoluteFormAsOriginForm() {
        var m = machine("GET http://example.com/v2/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")
        #expect(Array(run(&m).prefix(1)) == [.dispatch("GET /v2/x?y=1")])
    }

    // The machine's idle/reading-head flags drive the idle and slowloris timeouts.
    @Test func machine_ReportsIdleAndReadingHead() {
        var m = ConnectionStateMachine(limits: HTTPLimits())
        #expect(m.isIdle && !m.isReadingHead)
        m.received(bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab"))
        #expect(run(&m) == [.needMore])
        #expect(!m.isIdle && !m.isReadingHead)  // head complete, body pending
        m.received(bytes("cd"))
        #expect(run(&m).first == .dispatch("POST /"))
        #expect(m.isIdle)
    }
}
