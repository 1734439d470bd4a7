#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small blocking HTTP/1.1 client on POSIX sockets: one request per connection (`Connection: close`), `http://`
/// targets only, with a connect timeout and a response timeout. It blocks its caller, so run it on a Dispatch
/// queue of its own, never on a server's event loop or a store's queue (webhook delivery does).
///
/// The response is read with the same rules the server applies to requests (RFC 9112): field lines without
/// obsolete folding or whitespace before the colon, strict chunked framing, Content-Length that is a number,
/// never both framings at once.
public struct Client: Sendable {
    /// Timeouts and size limits.
    public struct Configuration: Sendable, Equatable {
        /// Seconds to wait for the TCP connection to be established. Default 2.
        public var connectTimeout: Double
        /// Seconds from the start of writing the request until the whole response has arrived. Default 5.
        public var responseTimeout: Double
        /// The largest response header section, in octets. Default 65,536 (64 KiB).
        public var maxHeaderBytes: Int
        /// The largest response content, in octets. Default 1,048,576 (1 MiB).
        public var maxBody: Int

        /// Creates a configuration; every argument defaults to the documented default.
        public init(
            connectTimeout: Double = 2, responseTimeout: Double = 5, maxHeaderBytes: Int = 65536,
            maxBody: Int = 1 << 20
        ) {
            self.connectTimeout = connectTimeout
            self.responseTimeout = responseTimeout
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBody = maxBody
        }
    }

    /// A final (non-1xx) response.
    public struct Response: Sendable {
        /// The status code, 100–999 (RFC 9110 §15: three digits).
        public var status: Int
        /// The reason phrase, which a client ignores (RFC 9112 §4).
        public var reason: String
        /// The header fields, in order.
        public var headers: HTTPHeaders
        /// The content, de-chunked.
        public var body: [UInt8]
    }

    /// Why a request got no response.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The URL is not `http://host[:port][/path][?query]`.
        case invalidURL(String)
        /// The host name could not be resolved.
        case unresolvedHost(String)
        /// Nothing listens at the address (ECONNREFUSED).
        case connectionRefused
        /// The connection was not established within the connect timeout.
        case connectTimeout
        /// The whole response did not arrive within the response timeout.
        case responseTimeout
        /// The peer closed or reset the connection before the response was complete.
        case closedEarly
        /// The status line is not `HTTP-version SP 3DIGIT SP [reason]` (RFC 9112 §4).
        case invalidStatusLine
        /// The response breaks a framing rule (RFC 9112 §5–7).
        case invalidResponse(HTTPParseError)
        /// A socket call failed.
        case socket(call: String, errno: Int32)

        public var description: String {
            switch self {
            case .invalidURL(let url): return "invalid URL \(url): only http://host[:port]/path is supported"
            case .unresolvedHost(let host): return "cannot resolve host \(host)"
            case .connectionRefused: return "connection refused"
            case .connectTimeout: return "connect timeout"
            case .responseTimeout: return "response timeout"
            case .closedEarly: return "connection closed before a complete response"
            case .invalidStatusLine: return "malformed status line"
            case .invalidResponse(let error): return "malformed response: \(error)"
            case .socket(let call, let errno): return SocketError(call: call, errno: errno).description
            }
        }
    }

    /// Where an `http://` URL points: the address to connect to and the request-target to ask for.
    public struct Endpoint: Sendable, Equatable {
        /// The host: a name, an IPv4 literal or an IPv6 literal (without brackets).
        public var host: String
        /// The port, 80 unless given.
        public var port: Int
        /// The request-target in origin-form (RFC 9112 §3.2.1): path and query, `/` when the URL has none.
        public var target: String

        /// The Host field value (RFC 9110 §7.2): the host, bracketed when IPv6, and the port unless it is 80.
        public var authority: String {
            let name = host.contains(":") ? "[\(host)]" : host
            return port == 80 ? name : "\(name):\(port)"
        }

        /// Parses `http://host[:port][/path][?query][#fragment]` (RFC 9110 §4.2.1); nil for anything else,
        /// `https://` and userinfo included.
        public init?(url: String) {
            guard url.utf8.count > 7, url.prefix(7).lowercased() == "http://" else { return nil }
            guard url.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
            var rest = url.dropFirst(7)
            if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let authority = rest[..<end]
            let path = rest[end...]
            guard !authority.contains("@") else { return nil }
            var hostPart = authority
            var portPart: Substring?
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { return nil }
                hostPart = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if !after.isEmpty {
                    guard after.hasPrefix(":") else { return nil }
                    portPart = after.dropFirst()
                }
            } else if let colon = authority.firstIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            }
            guard !hostPart.isEmpty, HTTPGrammar.isValidHost(String(hostPart)) else { return nil }
            var port = 80
            if let portPart {
                guard let value = HTTPGrammar.parseDecimal(portPart), value >= 1, value <= 65535 else { return nil }
                port = value
            }
            host = String(hostPart)
            self.port = port
            target = path.isEmpty ? "/" : path.hasPrefix("?") ? "/" + path : String(path)
        }
    }

    /// The timeouts and limits in force.
    public let configuration: Configuration

    /// Creates a client.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sends one request on a new connection and reads the final response (skipping 1xx interim ones).
    /// `Host`, `Content-Length` and `Connection: close` are set by the client.
    /// - Parameters:
    ///   - method: the request method.
    ///   - url: an `http://` URL.
    ///   - headers: more header fields, in order.
    ///   - body: the content, sent exactly as given.
    /// - Throws: `Client.Failure`.
    public func send(_ method: HTTPMethod, _ url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [])
        throws(Failure) -> Response
    {
        guard let endpoint = Endpoint(url: url) else { throw .invalidURL(url) }
        let fd = try connect(endpoint)
        defer { close(fd) }
        var head = "\(method.rawValue) \(endpoint.target) HTTP/1.1\r\nHost: \(endpoint.authority)\r\n"
        for field in headers
        where !["Host", "Content-Length", "Connection", "Transfer-Encoding"].contains(where: {
            field.name.equalsIgnoringASCIICase($0)
        }) {
            head += "\(field.name): \(field.value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let deadline = Self.monotonic() + configuration.responseTimeout
        try write(fd, Array(head.utf8) + body, deadline: deadline)
        var parser = ResponseParser(
            maxHeaderBytes: configuration.maxHeaderBytes, maxBody: configuration.maxBody, method: method)
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            if let response = try parser.next() { return response }
            guard Self.wait(fd, for: Int16(POLLIN), until: deadline) else { throw .responseTimeout }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                parser.append(buffer[0..<n])
            } else if n == 0 {
                if let response = try parser.finish() { return response }
                throw .closedEarly
            } else if errno == ECONNRESET {
                throw .closedEarly
            } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                throw .socket(call: "recv", errno: errno)
            }
        }
    }

    // MARK: - Sockets

    private func connect(_ endpoint: Endpoint) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(endpoint.host, String(endpoint.port), &hints, &result) == 0, let first = result else {
            throw .unresolvedHost(endpoint.host)
        }
        defer { freeaddrinfo(result) }
        let deadline = Self.monotonic() + configuration.connectTimeout
        var failure = Failure.connectionRefused
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                failure = .socket(call: "socket", errno: errno)
                continue
            }
            guard (try? Socket.setNonBlocking(fd)) != nil else {
                failure = .socket(call: "fcntl", errno: errno)
                close(fd)
                continue
            }
            Socket.setNoDelay(fd)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            guard errno == EINPROGRESS else {
                failure = errno == ECONNREFUSED ? .connectionRefused : .socket(call: "connect", errno: errno)
                close(fd)
                continue
            }
            guard Self.wait(fd, for: Int16(POLLOUT), until: deadline) else {
                close(fd)
                throw .connectTimeout
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return fd }
            failure = error == ECONNREFUSED ? .connectionRefused : .socket(call: "connect", errno: error)
            close(fd)
        }
        throw failure
    }

    private func write(_ fd: Int32, _ bytes: [UInt8], deadline: Double) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                offset += n
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard Self.wait(fd, for: Int16(POLLOUT), until: deadline) else { throw .responseTimeout }
            } else if errno == EPIPE || errno == ECONNRESET {
                throw .closedEarly
            } else {
                throw .socket(call: "send", errno: errno)
            }
        }
    }

    /// Waits until `fd` is ready for `events` (or has an error or hang-up to report); false once `deadline` passed.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: Double) -> Bool {
        while true {
            let remaining = deadline - monotonic()
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&entry, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if rc > 0 { return true }
            if rc < 0 && errno != EINTR { return true }  // let the next call report the error
        }
    }

    private static func monotonic() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
