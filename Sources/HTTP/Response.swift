/// An HTTP response: status, header fields and content. The connection adds `Date`, `Content-Length`
/// and `Connection` when it writes it. A streamed response (`streaming(status:headers:_:)`) has no fixed content: its
/// producer writes the body in pieces.
public struct Response: Sendable {
    /// The status sent on the status line.
    public var status: HTTPStatus
    /// Header fields, in order.
    public var headers: HTTPHeaders
    /// The content. Dropped on the wire for HEAD requests (RFC 9110 §9.3.2), but still counted in Content-Length.
    public var body: [UInt8]
    /// When true nothing of this response is written: the connection closes instead, after the responses to earlier
    /// pipelined requests (fault injection: a dropped connection). Default false.
    public var dropsConnection = false
    /// The producer of a streamed body, or nil for a response with fixed content. The head goes out with
    /// `Transfer-Encoding: chunked` (HTTP/1.1; none for HTTP/1.0, whose body ends with the connection) and
    /// `Connection: close`, then the producer is started (never for HEAD). See `ResponseStream`.
    public var stream: ResponseStream.Producer?
    /// The route that answered, as `Router.route(for:path:)` names it (set by the `Router`; nil for 404, 405 or a
    /// response no router made). Lets middleware record the route without matching the path again.
    public var route: (method: HTTPMethod, pattern: String)?

    /// Creates a response.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response that is never written: the connection closes without a byte of it.
    public static var dropConnection: Response {
        var response = Response()
        response.dropsConnection = true
        return response
    }

    /// A streamed response: after the head, `producer` is handed the `ResponseStream` to write the body in pieces.
    public static func streaming(
        status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(),
        _ producer: @escaping ResponseStream.Producer
    ) -> Response {
        var response = Response(status: status, headers: headers)
        response.stream = producer
        return response
    }

    /// A JSON response with `Content-Type: application/json`.
    public static func json(_ bytes: [UInt8], status: HTTPStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: bytes)
    }

    /// A JSON error body `{"code","status","message"}`, the shape of every error this server answers
    /// (Freshchat docs L28–52: "code integer … status string … message string").
    public static func error(_ status: HTTPStatus, symbol: String? = nil, message: String) -> Response {
        var out = "{\"code\":\(status.code),\"status\":"
        JSONString.append(symbol ?? status.symbol, to: &out)
        out += ",\"message\":"
        JSONString.append(message, to: &out)
        out += "}"
        return .json(Array(out.utf8), status: status)
    }
}

/// Anything that turns a request into a response: the router, or the application wrapping it.
public protocol Responder: Sendable {
    /// Answers `request`. Never throws: errors are already responses here.
    func respond(to request: Request) -> Response

    /// Whether answering `request` may block for long (a sleep, a wait on the network or on another thread). The
    /// server answers such a request on a Dispatch queue of the connection's own rather than on its event loop, so the
    /// loop's other connections are not held up; anything else is answered inline, which is much cheaper. Default:
    /// false.
    func mayBlock(_ request: Request) -> Bool
}

extension Responder {
    /// Nothing blocks by default.
    public func mayBlock(_ request: Request) -> Bool { false }
}

/// An error that knows the response it should become (the router catches it).
public protocol ResponseError: Error {
    /// The response for this error.
    var response: Response { get }
}

/// Minimal JSON string escaping for the HTTP floor's own error bodies (RFC 8259 §7).
public enum JSONString {
    /// Appends `s` as a quoted JSON string to `out`.
    public static func append(_ s: String, to out: inout String) {
        out.unicodeScalars.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.unicodeScalars.append("\"")
    }
}
