/// An incremental HTTP/1.1 request parser (RFC 9112). Bytes go in with `append`, complete requests come
/// out of `next()`. It never reads ahead of what the rules allow and is never lenient about framing:
/// every violation throws an `HTTPParseError` after which the connection must be closed.
///
/// A value type with no I/O: the connection owns one and tests feed it bytes in any split.
public struct RequestParser: Sendable {
    /// What `next()` produces.
    public enum Event: Sendable {
        /// The head of a request with `Expect: 100-continue` was read and its content has not all arrived:
        /// the server should send `100 Continue` (RFC 9110 §10.1.1).
        case continueExpected
        /// A complete request.
        case request(Request)
    }

    private enum State: Sendable {
        case requestLine
        case headers(Head)
        case body(Head, remaining: Int)
        case chunkSize(Head)
        case chunkData(Head, remaining: Int)
        case chunkDataEnd(Head)
        case trailers(Head, bytes: Int)
    }

    private struct Head: Sendable {
        var method: HTTPMethod
        var target: String
        var version: HTTPVersion
        var headers = HTTPHeaders()
        var headerBytes = 0
        var body: [UInt8] = []
    }

    /// The limits applied while parsing.
    public let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var index = 0
    /// How many bytes of the current, unfinished line (from `index`) were already searched for LF, so that
    /// a line arriving in many small pieces is scanned once rather than once per piece.
    private var scanned = 0
    private var state = State.requestLine

    /// Creates a parser with the given limits.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if index > 0 && index == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            index = 0
        } else if index > 4096 && index * 2 > buffer.count {
            buffer.removeSubrange(0..<index)
            index = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Whether no part of a request has been received (nothing buffered, between requests).
    public var isIdle: Bool {
        if case .requestLine = state { return index == buffer.count }
        return false
    }

    /// Whether the head of the current request is still being received (for the slowloris timeout).
    public var isReadingHead: Bool {
        switch state {
        case .requestLine: return index < buffer.count
        case .headers: return true
        default: return false
        }
    }

    /// The next event, or nil when more bytes are needed.
    /// - Throws: `HTTPParseError` for any framing violation; the parser is then unusable.
    public mutating func next() throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .requestLine:
                guard let line = try readLine(limit: limits.maxRequestTarget + 64, tooLong: .targetTooLong)
                else { return nil }
                // RFC 9112 §2.2: "SHOULD ignore at least one empty line (CRLF) received prior to the request-line".
                if line.isEmpty { continue }
                state = .headers(try parseRequestLine(line))
            case .headers(var head):
                // The state lets go of the head while it grows, so that adding a field does not copy the fields so
                // far (an enum payload bound with `var` is a second reference to them).
                state = .requestLine
                let remainingBudget = limits.maxHeaderBytes - head.headerBytes
                guard let line = try readLine(limit: max(remainingBudget, 0), tooLong: .headersTooLarge) else {
                    state = .headers(head)
                    return nil
                }
                if line.isEmpty {
                    // The body (or all of it) may already be buffered: keep going unless there is an event.
                    if let event = try finishHead(head) { return event }
                    continue
                }
                head.headerBytes += line.count + 2
                if head.headerBytes > limits.maxHeaderBytes { throw .headersTooLarge }
                let (name, value) = try parseFieldLine(line)
                head.headers.add(name, value)
                state = .headers(head)
            case .body(var head, let remaining):
                let available = buffer.count - index
                if available == 0 { return nil }
                state = .requestLine  // the body grows without a copy (as for .headers)
                let take = min(available, remaining)
                head.body.append(contentsOf: buffer[index..<index + take])
                index += take
                if take == remaining {
                    state = .requestLine
                    return .request(makeRequest(head))
                }
                state = .body(head, remaining: remaining - take)
                return nil
            case .chunkSize(let head):
                // RFC 9112 §7.1: the chunked coding's lines end in CRLF; §2.2's bare-LF allowance covers only
                // the start-line and header fields, so a bare LF here is a framing error.
                guard let line = try readLine(limit: 4096, tooLong: .invalidChunk, requireCRLF: true) else {
                    return nil
                }
                let size = try parseChunkSize(line)
                if head.body.count + size > limits.maxBody { throw .bodyTooLarge(limit: limits.maxBody) }
                state = size == 0 ? .trailers(head, bytes: 0) : .chunkData(head, remaining: size)
            case .chunkData(var head, let remaining):
                let available = buffer.count - index
                if available == 0 { return nil }
                state = .requestLine  // the body grows without a copy (as for .headers)
                let take = min(available, remaining)
                head.body.append(contentsOf: buffer[index..<index + take])
                index += take
                state = take == remaining ? .chunkDataEnd(head) : .chunkData(head, remaining: remaining - take)
                if take != remaining { return nil }
            case .chunkDataEnd(let head):
                // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
                guard buffer.count - index >= 2 else {
                    if buffer.count - index == 1 && buffer[index] != 13 { throw .invalidChunk }
                    return nil
                }
                guard buffer[index] == 13 && buffer[index + 1] == 10 else { throw .invalidChunk }
                index += 2
                state = .chunkSize(head)
            case .trailers(let head, let bytes):
                guard
                    let line = try readLine(
                        limit: max(limits.maxHeaderBytes - bytes, 0), tooLong: .headersTooLarge, requireCRLF: true)
                else { return nil }
                if line.isEmpty {
                    state = .requestLine
                    return .request(makeRequest(head))
                }
                let total = bytes + line.count + 2
                if total > limits.maxHeaderBytes { throw .headersTooLarge }
                _ = try parseFieldLine(line)  // RFC 9112 §7.1.2: trailer fields are validated, then dropped
                state = .trailers(head, bytes: total)
            }
        }
    }

    // MARK: - Lines

    /// Reads one line ending in CRLF (or a lone LF, RFC 9112 §2.2 "MAY recognize a single LF", unless
    /// `requireCRLF`), without the terminator. A CR not followed by LF is an error; so is a line longer than
    /// `limit` octets (without its terminator), reported as `tooLong`.
    private mutating func readLine(
        limit: Int, tooLong: HTTPParseError, requireCRLF: Bool = false
    ) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        var i = index + scanned
        let end = buffer.count
        while i < end {
            let b = buffer[i]
            if b == 10 {
                var lineEnd = i
                if lineEnd > index && buffer[lineEnd - 1] == 13 {
                    lineEnd -= 1
                } else if requireCRLF {
                    throw .invalidChunk
                }
                let line = buffer[index..<lineEnd]
                if line.contains(13) { throw .bareCarriageReturn }
                index = i + 1
                scanned = 0
                return line
            }
            if i - index > limit { throw tooLong }
            i += 1
        }
        scanned = end - index
        return nil
    }

    // MARK: - Request line (RFC 9112 §3)

    private func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Head {
        guard let sp1 = line.firstIndex(of: 32) else { throw .invalidRequestLine }
        guard let sp2 = line[(sp1 + 1)...].firstIndex(of: 32) else {
            if line.count - (sp1 - line.startIndex) > limits.maxRequestTarget { throw .targetTooLong }
            throw .invalidRequestLine
        }
        let methodBytes = line[line.startIndex..<sp1]
        let targetBytes = line[(sp1 + 1)..<sp2]
        let versionBytes = line[(sp2 + 1)...]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPGrammar.isTokenChar) else { throw .invalidMethod }
        if targetBytes.count > limits.maxRequestTarget { throw .targetTooLong }
        guard !targetBytes.isEmpty else { throw .invalidRequestLine }
        let version = try parseVersion(versionBytes)
        // request-target characters: visible ASCII only (RFC 3986), no whitespace or controls.
        guard targetBytes.allSatisfy({ $0 > 32 && $0 < 127 }) else { throw .invalidTarget }
        let method = HTTPMethod(rawValue: String(decoding: methodBytes, as: UTF8.self))
        var target = String(decoding: targetBytes, as: UTF8.self)
        if targetBytes.first != UInt8(ascii: "/") {
            if method == .options && target == "*" {
                // asterisk-form (RFC 9112 §3.2.4)
            } else if let origin = Self.originForm(ofAbsolute: target) {
                target = origin  // absolute-form (RFC 9112 §3.2.2): a server MUST accept it
            } else {
                throw .invalidTarget
            }
        }
        return Head(method: method, target: target, version: version)
    }

    private func parseVersion(_ v: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        // HTTP-version = HTTP-name "/" DIGIT "." DIGIT
        let s = v.startIndex
        guard v.count == 8, v[s] == 72, v[s + 1] == 84, v[s + 2] == 84, v[s + 3] == 80, v[s + 4] == 47,
            HTTPGrammar.isDigit(v[s + 5]), v[s + 6] == 46, HTTPGrammar.isDigit(v[s + 7])
        else { throw .invalidVersion }
        let major = Int(v[s + 5] - 48)
        let minor = Int(v[s + 7] - 48)
        guard major == 1 else { throw .unsupportedVersion }
        return minor == 0 ? .http1_0 : .http1_1
    }

    private static func originForm(ofAbsolute target: String) -> String? {
        let lower = target.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            let path = rest[slash...]
            return path.first == "?" ? "/" + path : String(path)
        }
        return nil
    }

    // MARK: - Field lines (RFC 9112 §5)

    private func parseFieldLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String) {
        guard let first = line.first else { throw .invalidHeaderName }
        if first == 32 || first == 9 { throw .obsoleteLineFolding }
        guard let colon = line.firstIndex(of: 58) else { throw .invalidHeaderName }
        let nameBytes = line[line.startIndex..<colon]
        guard !nameBytes.isEmpty else { throw .invalidHeaderName }
        if let last = nameBytes.last, last == 32 || last == 9 { throw .whitespaceBeforeColon }
        guard nameBytes.allSatisfy(HTTPGrammar.isTokenChar) else { throw .invalidHeaderName }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd && (line[valueStart] == 32 || line[valueStart] == 9) { valueStart += 1 }
        while valueEnd > valueStart && (line[valueEnd - 1] == 32 || line[valueEnd - 1] == 9) { valueEnd -= 1 }
        let valueBytes = line[valueStart..<valueEnd]
        let name = String(decoding: nameBytes, as: UTF8.self)
        guard valueBytes.allSatisfy(HTTPGrammar.isFieldValueChar) else { throw .invalidHeaderValue(name: name) }
        return (name, String(decoding: valueBytes, as: UTF8.self))
    }

    // MARK: - Framing (RFC 9112 §6)

    private mutating func finishHead(_ head: Head) throws(HTTPParseError) -> Event? {
        let headers = head.headers
        // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, and for any request with more than one Host
        // field line or an invalid Host value.
        let hosts = headers.values("Host")
        if head.version == .http1_1 && hosts.isEmpty { throw .invalidHost }
        guard hosts.count <= 1, hosts.allSatisfy(HTTPGrammar.isValidHost) else { throw .invalidHost }
        let transferEncodings = headers.values("Transfer-Encoding")
        let contentLengths = headers.values("Content-Length")
        var expectsContinue = false
        // RFC 9110 §10.1.1: every member of every Expect field line must be 100-continue, else 417.
        for expect in headers.values("Expect") {
            let members = expect.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
            guard !members.isEmpty, members.allSatisfy({ $0.equalsIgnoringASCIICase("100-continue") }) else {
                throw .unsupportedExpectation(expect)
            }
            expectsContinue = head.version == .http1_1
        }
        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty { throw .conflictingFraming }
            if head.version == .http1_0 { throw .invalidTransferEncoding }
            // RFC 9110 §5.6.1: empty list elements (also ones made only of whitespace) are ignored.
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map {
                $0.trimmingASCIIWhitespace().lowercased()
            }.filter { !$0.isEmpty }
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1 else {
                throw .invalidTransferEncoding
            }
            if codings.count > 1 { throw .unsupportedTransferCoding(codings[0]) }
            state = .chunkSize(head)
            return expectsContinue && !hasBufferedBytes ? .continueExpected : nil
        }
        var length = 0
        if !contentLengths.isEmpty {
            var value: Int?
            for field in contentLengths {
                for part in field.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let n = HTTPGrammar.parseDecimal(part.trimmingASCIIWhitespace()) else {
                        throw .invalidContentLength
                    }
                    if let v = value, v != n { throw .invalidContentLength }
                    value = n
                }
            }
            length = value ?? 0
        }
        if length > limits.maxBody { throw .bodyTooLarge(limit: limits.maxBody) }
        if length == 0 {
            state = .requestLine
            return .request(makeRequest(head))
        }
        state = .body(head, remaining: length)
        if expectsContinue && buffer.count - index < length { return .continueExpected }
        return nil
    }

    private var hasBufferedBytes: Bool { index < buffer.count }

    private func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        // chunk-size = 1*HEXDIG ; chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
        var size = 0
        var digits = 0
        var i = line.startIndex
        while i < line.endIndex, let v = PercentDecoding.hexValue(line[i]) {
            digits += 1
            if digits > 15 { throw .invalidChunk }  // overflow guard: 15 hex digits < Int.max
            size = size << 4 | Int(v)
            i += 1
        }
        guard digits > 0 else { throw .invalidChunk }
        guard HTTPGrammar.isChunkExtensions(line[i...]) else { throw .invalidChunk }
        return size
    }

    private func makeRequest(_ head: Head) -> Request {
        Request(method: head.method, target: head.target, version: head.version, headers: head.headers, body: head.body)
    }
}
