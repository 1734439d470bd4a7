import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A response as read off the wire.
struct HTTPResponse {
    var version: String
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of header `name` (case-insensitive).
    func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object.
    func jsonObject() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HarnessError("body is not a JSON object: \(bodyText)")
        }
        return object
    }

    /// Whether `Connection` lists `close`.
    var closesConnection: Bool {
        headerValues("Connection").contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }
        }
    }
}

/// How reading to the end of a connection ended.
struct EndOfStream {
    /// Bytes received before the end.
    var bytes: [UInt8]
    /// The peer closed (read returned 0, or the connection was reset); false when the read timed out.
    var closed: Bool
    /// The end was a reset (ECONNRESET) rather than an orderly FIN.
    var reset: Bool
}

/// A tiny blocking HTTP/1.1 client over a POSIX socket. Every read and write has a timeout
/// (SO_RCVTIMEO / SO_SNDTIMEO), so no test can hang on a silent server.
final class Client {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var isClosed = false
    /// Sent bytes not yet parsed into complete requests (only while recording).
    private var unparsed: [UInt8] = []
    /// Requests sent whose final response has not been read yet, oldest first (only while recording).
    private var awaiting: [(method: String, target: String)] = []

    /// Connects to 127.0.0.1:`port`.
    /// - Parameters:
    ///   - timeout: seconds any single read or write may block.
    ///   - receiveBuffer: an SO_RCVBUF to set before connecting (small values make the server's writes back up).
    init(port: Int, timeout: Double = 5, receiveBuffer: Int32? = nil) throws {
        signal(SIGPIPE, SIG_IGN)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket failed: errno \(errno)") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let err = errno
            Glibc.close(fd)
            throw HarnessError("connect to port \(port) failed: \(String(cString: strerror(err)))")
        }
    }

    deinit { close() }

    // MARK: - Writing

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Writes all of `bytes` (blocking, bounded by the send timeout).
    func send(_ bytes: [UInt8]) throws {
        if ResponseRecorder.isOn { noteSent(bytes) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            throw HarnessError(
                "send failed after \(offset) of \(bytes.count) bytes: \(String(cString: strerror(errno)))")
        }
    }

    // MARK: - Reading

    /// Receives once into the buffer. Returns the byte count, 0 at end of stream.
    /// - Throws: on timeout or a socket error.
    @discardableResult
    private func receive() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return n
            }
            if n == 0 { return 0 }
            let err = errno
            if err == EINTR { continue }
            if err == EAGAIN || err == EWOULDBLOCK { throw HarnessError("timed out waiting for the server") }
            throw HarnessError("recv failed: \(String(cString: strerror(err)))")
        }
    }

    /// Reads one complete response (status line, header fields, Content-Length content). Interim 1xx responses
    /// are returned like any other, without content; so are responses to HEAD (pass `method: "HEAD"`).
    func readResponse(method: String = "GET") throws -> HTTPResponse {
        var headEnd: Int?
        while true {
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headEnd != nil { break }
            if try receive() == 0 {
                throw HarnessError(
                    "connection closed before a complete response head (received: \(String(decoding: buffer, as: UTF8.self)))"
                )
            }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeSubrange(0..<(headEnd! + 4))
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw HarnessError("malformed status line: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw HarnessError("malformed header line: \(line)") }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = HTTPResponse(
            version: String(parts[0]), status: status, reason: parts.count > 2 ? String(parts[2]) : "",
            headers: headers, body: [])
        if status < 200 || status == 204 || status == 304 || method == "HEAD" {
            if ResponseRecorder.isOn { recordFinal(response) }
            return response
        }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            response.body = try readChunkedBody()
            if ResponseRecorder.isOn { recordFinal(response) }
            return response
        }
        guard let lengthText = response.header("Content-Length"), let length = Int(lengthText) else {
            throw HarnessError("response without Content-Length: \(head)")
        }
        while buffer.count < length {
            if try receive() == 0 {
                throw HarnessError("connection closed after \(buffer.count) of \(length) content bytes")
            }
        }
        response.body = Array(buffer[0..<length])
        buffer.removeSubrange(0..<length)
        if ResponseRecorder.isOn { recordFinal(response) }
        return response
    }

    /// A chunked body (RFC 9112 §7.1): `size CRLF data CRLF` until the last chunk `0 CRLF`, then (no trailer fields
    /// here) the final CRLF.
    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine()
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw HarnessError("malformed chunk size line: \(line)")
            }
            if size == 0 {
                guard try readLine().isEmpty else { throw HarnessError("trailer fields after the last chunk") }
                return body
            }
            while buffer.count < size + 2 {
                if try receive() == 0 { throw HarnessError("connection closed inside a chunk") }
            }
            guard buffer[size] == 13, buffer[size + 1] == 10 else { throw HarnessError("chunk without its CRLF") }
            body.append(contentsOf: buffer[0..<size])
            buffer.removeSubrange(0..<(size + 2))
        }
    }

    /// One line through its CRLF, without it.
    private func readLine() throws -> String {
        while true {
            if let end = Self.find([13, 10], in: buffer) {
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeSubrange(0..<(end + 2))
                return line
            }
            if try receive() == 0 { throw HarnessError("connection closed inside a chunked body") }
        }
    }

    // MARK: - Recording (FRESHCHAT_RECORD_RESPONSES)

    /// Splits the sent bytes into requests (request line, header fields, Content-Length content); anything that does
    /// not parse as a plain request (malformed, chunked) is dropped, so it is never paired with a response.
    private func noteSent(_ bytes: [UInt8]) {
        unparsed += bytes
        while let headEnd = Self.find([13, 10, 13, 10], in: unparsed) {
            let lines = String(decoding: unparsed[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
            let words = lines[0].split(separator: " ", omittingEmptySubsequences: false)
            var length = 0
            var plain = words.count == 3 && words[2].hasPrefix("HTTP/1.") && words[1].hasPrefix("/")
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].lowercased()
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if name == "content-length" { length = Int(value) ?? -1 }
                if name == "transfer-encoding" { plain = false }
            }
            guard plain, length >= 0 else {
                unparsed.removeAll()
                return
            }
            guard unparsed.count >= headEnd + 4 + length else { return }
            awaiting.append((String(words[0]), String(words[1])))
            unparsed.removeSubrange(0..<(headEnd + 4 + length))
        }
    }

    /// Pairs a final response with the oldest request awaiting one.
    private func recordFinal(_ response: HTTPResponse) {
        guard response.status >= 200, !awaiting.isEmpty else { return }
        let request = awaiting.removeFirst()
        ResponseRecorder.record(method: request.method, target: request.target, response: response)
    }

    /// Reads until the peer closes or `timeout` seconds pass without the stream ending.
    func readToEnd(timeout: Double = 5) -> EndOfStream {
        let deadline = monotonicSeconds() + timeout
        var bytes = buffer
        buffer.removeAll()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while monotonicSeconds() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = max(1, Int32((deadline - monotonicSeconds()) * 1000))
            if Glibc.poll(&entry, 1, remaining) <= 0 { continue }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                bytes.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return EndOfStream(bytes: bytes, closed: true, reset: false)
            } else if errno != EAGAIN && errno != EINTR {
                return EndOfStream(bytes: bytes, closed: true, reset: errno == ECONNRESET)
            }
        }
        return EndOfStream(bytes: bytes, closed: false, reset: false)
    }

    /// Waits up to `timeout` seconds for bytes to arrive; returns whether any did (or the stream ended).
    func waitReadable(timeout: Double) -> Bool {
        if !buffer.isEmpty { return true }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&entry, 1, Int32(timeout * 1000)) > 0
    }

    /// Reads whatever arrives within the receive timeout, at most one recv.
    func receiveSome() throws -> [UInt8] {
        if buffer.isEmpty { try receive() }
        defer { buffer.removeAll() }
        return buffer
    }

    // MARK: - Closing

    /// Closes with SO_LINGER {1, 0}: the kernel sends RST instead of FIN and drops unsent data.
    func reset() {
        guard !isClosed else { return }
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// Closes the socket (orderly).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

/// With `FRESHCHAT_RECORD_RESPONSES=<dir>`, every request/response pair a `Client` reads is appended to
/// `<dir>/responses.jsonl` as one JSON line `{method, target, status, content_type, body}` (the body as text when it
/// is JSON, else null), for `.ci/openapi-check` to validate against the OpenAPI document's schemas.
enum ResponseRecorder {
    static let directory: String? = ProcessInfo.processInfo.environment["FRESHCHAT_RECORD_RESPONSES"].flatMap {
        $0.isEmpty ? nil : $0
    }
    static var isOn: Bool { directory != nil }

    static func record(method: String, target: String, response: HTTPResponse) {
        guard let directory else { return }
        let contentType = response.header("Content-Type")
        let isJSON = contentType?.lowercased().hasPrefix("application/json") ?? false
        let entry: [String: Any] = [
            "method": method, "target": target, "status": response.status, "content_type": contentType ?? NSNull(),
            "body": isJSON ? response.bodyText : NSNull(),
        ]
        guard var line = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]) else { return }
        line.append(10)
        // One write(2) with O_APPEND per line: lines of concurrent tests do not interleave.
        let fd = open(directory + "/responses.jsonl", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { Glibc.close(fd) }
        _ = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
