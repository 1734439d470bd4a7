/// The life of one connection as a pure state machine: bytes in, actions out. The socket code in
/// `Connection` only performs the actions, so keep-alive, pipelining, `Connection: close`, half-close and
/// framing errors are all tested without sockets.
public struct ConnectionStateMachine: Sendable {
    /// What the owner must do next.
    public enum Action: Sendable, Equatable {
        /// Call the responder with this request, then pass its response to `respond(_:to:)`.
        case dispatch(Request)
        /// Write these bytes and continue with `next()`.
        case write([UInt8])
        /// Write these bytes, then close the connection; no further request is processed.
        case writeAndClose([UInt8])
        /// Close the connection now (after writing what earlier actions produced); nothing more is written.
        case close
        /// Nothing to do until more bytes arrive.
        case needMore
        /// Write this response head, then start the response's stream (`Response.stream`), framing its pieces as
        /// chunks when `chunked`; the connection closes when the stream ends and no further request is processed.
        case stream([UInt8], chunked: Bool)

        public static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case (.dispatch(let a), .dispatch(let b)): return a.method == b.method && a.target == b.target
            case (.write(let a), .write(let b)), (.writeAndClose(let a), .writeAndClose(let b)): return a == b
            case (.close, .close), (.needMore, .needMore): return true
            case (.stream(let a, let x), .stream(let b, let y)): return a == b && x == y
            default: return false
            }
        }
    }

    private var parser: RequestParser
    private var inputClosed = false
    private var closing = false
    private var shuttingDown = false
    private var inFlight = false

    /// Creates the machine for a new connection.
    public init(limits: HTTPLimits) {
        parser = RequestParser(limits: limits)
    }

    /// Whether a request is partially received or being answered (used by timeouts and graceful shutdown).
    public var isIdle: Bool { parser.isIdle && !inFlight }

    /// Whether the head of a request is being received (slowloris timeout applies).
    public var isReadingHead: Bool { parser.isReadingHead }

    /// Records received bytes; follow with `next()`.
    public mutating func received(_ bytes: some Collection<UInt8>) {
        guard !closing else { return }
        parser.append(bytes)
    }

    /// Records that the peer closed its sending side (read returned 0). Buffered complete requests are
    /// still answered (RFC 9112 §9.6), then the connection closes.
    public mutating func receivedEndOfInput() {
        inputClosed = true
    }

    /// Graceful shutdown: no new request is started; an idle connection closes at the next `next()`.
    public mutating func shutdown() {
        shuttingDown = true
    }

    /// The next action to perform.
    public mutating func next() -> Action {
        if closing { return .close }
        if inFlight { return .needMore }
        if shuttingDown && parser.isIdle {
            closing = true
            return .close
        }
        let event: RequestParser.Event?
        do {
            event = try parser.next()
        } catch {
            closing = true
            var response = Response.error(error.status, message: error.description)
            response.headers.add("Connection", "close")
            return .writeAndClose(Self.encode(response, method: .get, close: true))
        }
        switch event {
        case .continueExpected:
            return .write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        case .request(let request):
            if !HTTPMethod.known.contains(request.method) {
                // RFC 9110 §9.1: "An origin server that receives a request method that is unrecognized or not
                // implemented SHOULD respond with the 501 (Not Implemented) status code."
                let close = !request.keepAlive || shuttingDown
                if close { closing = true }
                let response = Response.error(.notImplemented, message: "method \(request.method) is not implemented")
                let bytes = Self.encode(response, method: request.method, close: close, version: request.version)
                return close ? .writeAndClose(bytes) : .write(bytes)
            }
            inFlight = true
            return .dispatch(request)
        case nil:
            if inputClosed {
                closing = true
                return .close
            }
            return .needMore
        }
    }

    /// Encodes the responder's answer to `request`; the connection closes after it when the request asked for
    /// `Connection: close`, the response says so, or the server is shutting down. A response that
    /// `dropsConnection` is not written at all: the answer is `.close`, and no later request is processed.
    /// A streamed response (`Response.stream`) is `.stream`: the last response on the connection, chunked for
    /// HTTP/1.1 and delimited by the close for HTTP/1.0; to HEAD it is only the head that a GET would get.
    public mutating func respond(_ response: Response, to request: Request) -> Action {
        inFlight = false
        if response.dropsConnection {
            closing = true
            return .close
        }
        if response.stream != nil && Self.allowsBody(response.status) && request.method != .head {
            closing = true
            let bytes = Self.encode(response, method: request.method, close: true, version: request.version)
            return .stream(bytes, chunked: request.version != .http1_0)
        }
        let close =
            !request.keepAlive || shuttingDown || response.headers.listContains("Connection", token: "close")
        if close { closing = true }
        let bytes = Self.encode(response, method: request.method, close: close, version: request.version)
        return close ? .writeAndClose(bytes) : .write(bytes)
    }

    /// Whether a response with `status` has content (RFC 9110 §6.4.1: not 1xx, 204 or 304).
    static func allowsBody(_ status: HTTPStatus) -> Bool {
        status.code >= 200 && status.code != 204 && status.code != 304
    }

    /// Serialises a response: status line, fields, `Date`, `Content-Length`, `Connection`, content.
    /// HEAD responses keep Content-Length but carry no content (RFC 9110 §9.3.2). A streamed response gets
    /// `Transfer-Encoding: chunked` instead of Content-Length (HTTP/1.1; neither for HTTP/1.0) and only its head.
    public static func encode(
        _ response: Response, method: HTTPMethod, close: Bool, version: HTTPVersion = .http1_1
    ) -> [UInt8] {
        let bodyAllowed = allowsBody(response.status)
        let streamed = bodyAllowed && response.stream != nil
        let sendsBody = bodyAllowed && method != .head && !streamed
        // The head is written as bytes straight into the buffer the body follows in (one allocation).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + response.headers.count * 48 + (sendsBody ? response.body.count : 0))
        let crlf: [UInt8] = [13, 10]
        func field(_ name: String, _ value: String) {
            bytes.append(contentsOf: name.utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: value.utf8)
            bytes.append(contentsOf: crlf)
        }
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        bytes.append(contentsOf: String(response.status.code).utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: response.status.reasonPhrase.utf8)
        bytes.append(contentsOf: crlf)
        for header in response.headers where !header.name.equalsIgnoringASCIICase("Connection") {
            field(header.name, header.value)
        }
        field("Date", HTTPDate.now())
        if streamed {
            if version != .http1_0 { field("Transfer-Encoding", "chunked") }
        } else if bodyAllowed && !response.headers.contains("Content-Length") {
            field("Content-Length", String(response.body.count))
        }
        if close {
            field("Connection", "close")
        } else if version == .http1_0 {
            field("Connection", "keep-alive")
        }
        bytes.append(contentsOf: crlf)
        if sendsBody { bytes.append(contentsOf: response.body) }
        return bytes
    }
}
