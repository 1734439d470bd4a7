import Testing

/// HTTP/1.1 connection management and message framing, checked byte for byte over a socket.
@Suite
struct ConnectionTests {
    // MARK: - Persistence

    @Test func connection_ServesAHundredSequentialRequests_WhenKeptAlive() throws {
        // RFC 9112 §9.3: "HTTP/1.1 defaults to the use of persistent connections".
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        for i in 0..<100 {
            let path = i.isMultiple(of: 2) ? "/_emulator/health" : "/v2/accounts/configuration"
            try client.send(RawRequest.get(path, headers: ["Authorization: Bearer x"]))
            let response = try client.readResponse()
            #expect(response.status == 200, "request \(i)")
            #expect(!response.closesConnection, "request \(i)")
        }
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func connection_ClosesAfterTheResponse_WhenHTTP10WithoutKeepAlive() throws {
        // RFC 9112 §9.3: for HTTP/1.0 without "keep-alive", "the connection will close after the current response".
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send("GET /_emulator/health HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.closesConnection)
        let end = client.readToEnd()
        #expect(end.closed && end.bytes.isEmpty)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func connection_StaysOpen_WhenHTTP10WithKeepAlive() throws {
        // RFC 9112 §C.2.2: HTTP/1.0 clients that send "Connection: keep-alive" get a persistent connection.
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        for _ in 0..<3 {
            try client.send("GET /_emulator/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection")?.lowercased() == "keep-alive")
        }
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func connection_ClosesWithoutAnsweringAPipelinedRequest_WhenConnectionCloseIsSent() throws {
        // RFC 9112 §9.6: a server that receives "close" "MUST initiate closure of the connection after it sends the
        // final response … and MUST NOT process any further requests received on that connection".
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send(
            RawRequest.get("/_emulator/health", headers: ["Connection: close"]) + RawRequest.get("/second-request"))
        let first = try client.readResponse()
        #expect(first.status == 200)
        #expect(first.closesConnection)
        let end = client.readToEnd()
        #expect(end.closed, "the server closes the connection")
        #expect(end.bytes.isEmpty, "no answer to the second request: \(String(decoding: end.bytes, as: UTF8.self))")
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func pipelinedRequests_AreAnsweredInOrder_WhenTenArriveInOneWrite() throws {
        // RFC 9112 §9.3.2: "A server … MUST send the corresponding responses in the same order that the requests
        // were received."
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        var batch = ""
        for i in 0..<10 {
            batch += RawRequest.get(i.isMultiple(of: 2) ? "/_emulator/health" : "/missing-\(i)")
        }
        try client.send(batch)
        for i in 0..<10 {
            let response = try client.readResponse()
            if i.isMultiple(of: 2) {
                #expect(response.status == 200, "response \(i)")
                #expect(try response.jsonObject()["status"] as? String == "ok")
            } else {
                #expect(response.status == 404, "response \(i)")
                #expect(response.bodyText.contains("/missing-\(i)"), "response \(i): \(response.bodyText)")
            }
        }
        #expect(emulator.terminate() == .exited(0))
    }

    // MARK: - Content framing

    @Test func chunkedBody_IsFramedAndTheNextRequestServed_WhenWellFormed() throws {
        // RFC 9112 §7.1: chunked-body = *chunk last-chunk trailer-section CRLF.
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        let chunked = RawRequest.make(
            "POST", "/v2/accounts/configuration",
            headers: ["Authorization: Bearer x", "Transfer-Encoding: chunked"],
            body: "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n")
        try client.send(chunked + RawRequest.get("/_emulator/health"))
        let post = try client.readResponse()
        #expect(post.status == 405)
        #expect(!post.closesConnection)
        let next = try client.readResponse()
        #expect(next.status == 200)
        #expect(try next.jsonObject()["status"] as? String == "ok")
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func chunkedBody_Returns400AndCloses_WhenTheChunkSizeIsNotHex() throws {
        // RFC 9112 §7.1: chunk-size = 1*HEXDIG. An unparseable chunk leaves the message boundary unknown, like the
        // framing errors of RFC 9112 §6.3, where "the server MUST respond with a 400 (Bad Request) status code and
        // then close the connection".
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send(
            RawRequest.make(
                "POST", "/_emulator/health", headers: ["Transfer-Encoding: chunked"], body: "zz\r\nhello\r\n0\r\n\r\n")
                + RawRequest.get("/_emulator/health"))
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.closesConnection)
        let end = client.readToEnd()
        #expect(end.closed && end.bytes.isEmpty)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func expectContinue_Sends100BeforeTheBody_WhenContentFollows() throws {
        // RFC 9110 §15.2.1: "The 100 (Continue) status code indicates that the initial part of a request has been
        // received and has not yet been rejected by the server" (the client waits for it, RFC 9110 §10.1.1).
        let emulator = try RunningEmulator()
        let client = try emulator.connect(timeout: 3)
        try client.send(
            RawRequest.make(
                "POST", "/_emulator/health", headers: ["Content-Length: 5", "Expect: 100-continue"]))
        let interim = try client.readResponse()
        #expect(interim.version == "HTTP/1.1")
        #expect(interim.status == 100)
        try client.send("hello")
        let final = try client.readResponse()
        #expect(final.status == 405)
        try client.send(RawRequest.get("/_emulator/health"))
        #expect(try client.readResponse().status == 200)
        #expect(emulator.terminate() == .exited(0))
    }

    // MARK: - Limits

    @Test func body_Returns413BeforeItIsSent_WhenContentLengthExceedsMaxBody() throws {
        // RFC 9110 §15.5.14: 413 "the server is refusing to process a request because the request content is larger
        // than the server is willing or able to process. The server MAY terminate the request".
        let emulator = try RunningEmulator(["--max-body", "1000"])
        let client = try emulator.connect(timeout: 3)
        try client.send(RawRequest.make("POST", "/_emulator/health", headers: ["Content-Length: 1001"]))
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(try response.jsonObject()["code"] as? Int == 413)
        #expect(response.closesConnection)
        #expect(client.readToEnd().closed)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func body_IsAccepted_WhenContentLengthEqualsMaxBody() throws {
        // RFC 9112 §6.2: Content-Length frames the content; at the limit the request is read and routed.
        let emulator = try RunningEmulator(["--max-body", "1000"])
        let client = try emulator.connect()
        let body = String(repeating: "x", count: 1000)
        try client.send(
            RawRequest.make("POST", "/_emulator/health", headers: ["Content-Length: 1000"], body: body)
                + RawRequest.get("/_emulator/health"))
        #expect(try client.readResponse().status == 405)
        #expect(try client.readResponse().status == 200)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func chunkedBody_Returns413_WhenItExceedsMaxBody() throws {
        // RFC 9110 §15.5.14: the limit applies to the content however it is framed.
        let emulator = try RunningEmulator(["--max-body", "1000"])
        let client = try emulator.connect()
        let chunk = String(repeating: "y", count: 600)
        try client.send(
            RawRequest.make(
                "POST", "/_emulator/health", headers: ["Transfer-Encoding: chunked"],
                body: "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n"))
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(client.readToEnd().closed)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func requestTarget_Returns414_WhenLongerThan8192OctetsButIsRoutedAt8000() throws {
        // RFC 9112 §3: "It is RECOMMENDED that all HTTP senders and recipients support, at a minimum, request-line
        // lengths of 8000 octets"; RFC 9110 §15.5.15: 414 URI Too Long.
        let emulator = try RunningEmulator()
        let long = "/" + String(repeating: "a", count: 8192)
        let tooLong = try emulator.request(RawRequest.get(long))
        #expect(tooLong.status == 414)
        #expect(tooLong.closesConnection)
        let muchTooLong = try emulator.request(RawRequest.get("/" + String(repeating: "b", count: 20000)))
        #expect(muchTooLong.status == 414)
        let fine = "/" + String(repeating: "c", count: 7999)
        #expect(fine.utf8.count == 8000)
        let routed = try emulator.get(fine)
        #expect(routed.status == 404)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func headerSection_Returns431_WhenLargerThan64KiB() throws {
        // RFC 6585 §5: 431 Request Header Fields Too Large.
        let emulator = try RunningEmulator()
        let value = String(repeating: "v", count: 1000)
        let headers = (0..<70).map { "X-Filler-\($0): \(value)" }
        let client = try emulator.connect()
        try client.send(RawRequest.get("/_emulator/health", headers: headers))
        let response = try client.readResponse()
        #expect(response.status == 431)
        #expect(response.closesConnection)
        #expect(client.readToEnd().closed)
        // Just under the limit is fine.
        let fits = (0..<60).map { "X-Filler-\($0): \(value)" }
        #expect(try emulator.get("/_emulator/health", headers: fits).status == 200)
        #expect(emulator.terminate() == .exited(0))
    }

    // MARK: - Framing attacks

    @Test(arguments: [
        (
            "Content-Length with Transfer-Encoding",
            "POST /_emulator/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n"
        ),
        ("a duplicated Host", "GET /_emulator/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        ("no Host on HTTP/1.1", "GET /_emulator/health HTTP/1.1\r\nAccept: */*\r\n\r\n"),
        (
            "differing Content-Lengths",
            "POST /_emulator/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
        ),
        ("whitespace before the colon", "GET /_emulator/health HTTP/1.1\r\nHost : x\r\n\r\n"),
        ("obsolete line folding", "GET /_emulator/health HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n b\r\n\r\n"),
    ])
    func request_Returns400AndCloses_WhenFramingIsAmbiguous(_ situation: String, _ raw: String) throws {
        // RFC 9112 §6.1: for Content-Length with Transfer-Encoding, "Regardless, the server MUST close the connection
        // after responding to such a request"; §3.2: "A server MUST respond with a 400 (Bad Request) status code to
        // any HTTP/1.1 request message that lacks a Host header field and to any request message that contains more
        // than one Host header field line".
        let emulator = try RunningEmulator()
        let client = try emulator.connect()
        try client.send(raw + RawRequest.get("/_emulator/health"))
        let response = try client.readResponse()
        #expect(response.status == 400, "\(situation)")
        #expect(response.closesConnection, "\(situation)")
        #expect(try response.jsonObject()["code"] as? Int == 400)
        let end = client.readToEnd()
        #expect(end.closed, "\(situation): the connection is closed")
        #expect(end.bytes.isEmpty, "\(situation): the smuggled request is not answered")
        #expect(emulator.terminate() == .exited(0))
    }
}
