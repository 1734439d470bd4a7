extension Client {
    /// An incremental HTTP/1.1 response parser (RFC 9112), the client-side twin of `RequestParser` with the same
    /// field-line and chunked rules. Bytes go in with `append`; `next()` yields the final response once complete,
    /// skipping 1xx interim responses (RFC 9110 §15.2); `finish()` is called at end of stream for a body delimited
    /// by the connection closing (RFC 9112 §6.3 item 8).
    ///
    /// A value type with no I/O: tests feed it bytes in any split.
    public struct ResponseParser: Sendable {
        private enum State: Sendable {
            case statusLine
            case headers(Head)
            case body(Head, remaining: Int)
            case untilClose(Head)
            case chunkSize(Head)
            case chunkData(Head, remaining: Int)
            case chunkDataEnd(Head)
            case trailers(Head, bytes: Int)
            case done
        }

        private struct Head: Sendable {
            var status: Int
            var reason: String
            var headers = HTTPHeaders()
            var headerBytes = 0
            var body: [UInt8] = []
        }

        private let maxHeaderBytes: Int
        private let maxBody: Int
        private let method: HTTPMethod
        private var buffer: [UInt8] = []
        private var index = 0
        private var state = State.statusLine

        /// Creates a parser for the response to a `method` request.
        public init(maxHeaderBytes: Int = 65536, maxBody: Int = 1 << 20, method: HTTPMethod = .post) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBody = maxBody
            self.method = method
        }

        /// Adds received bytes.
        public mutating func append(_ bytes: some Collection<UInt8>) {
            if index > 4096 && index * 2 > buffer.count {
                buffer.removeSubrange(0..<index)
                index = 0
            }
            buffer.append(contentsOf: bytes)
        }

        /// The final response once it is complete, else nil.
        /// - Throws: `Client.Failure.invalidStatusLine` or `.invalidResponse` for a framing violation.
        public mutating func next() throws(Client.Failure) -> Client.Response? {
            while true {
                switch state {
                case .done:
                    return nil
                case .statusLine:
                    guard let line = try readLine(limit: maxHeaderBytes, tooLong: .headersTooLarge) else { return nil }
                    if line.isEmpty { continue }  // RFC 9112 §2.2: an empty line before the start-line is ignored
                    state = .headers(try Self.parseStatusLine(line))
                case .headers(var head):
                    guard
                        let line = try readLine(
                            limit: max(maxHeaderBytes - head.headerBytes, 0), tooLong: .headersTooLarge)
                    else { return nil }
                    if line.isEmpty {
                        if let response = try finishHead(head) { return response }
                        continue
                    }
                    head.headerBytes += line.count + 2
                    if head.headerBytes > maxHeaderBytes { throw .invalidResponse(.headersTooLarge) }
                    let (name, value) = try Self.parseFieldLine(line)
                    head.headers.add(name, value)
                    state = .headers(head)
                case .body(var head, let remaining):
                    let take = min(buffer.count - index, remaining)
                    if take == 0 { return nil }
                    head.body.append(contentsOf: buffer[index..<index + take])
                    index += take
                    if take == remaining { return complete(head) }
                    state = .body(head, remaining: remaining - take)
                    return nil
                case .untilClose(var head):
                    head.body.append(contentsOf: buffer[index...])
                    index = buffer.count
                    if head.body.count > maxBody { throw .invalidResponse(.bodyTooLarge(limit: maxBody)) }
                    state = .untilClose(head)
                    return nil
                case .chunkSize(let head):
                    guard let line = try readLine(limit: 4096, tooLong: .invalidChunk, requireCRLF: true) else {
                        return nil
                    }
                    let size = try Self.parseChunkSize(line)
                    if head.body.count + size > maxBody { throw .invalidResponse(.bodyTooLarge(limit: maxBody)) }
                    state = size == 0 ? .trailers(head, bytes: 0) : .chunkData(head, remaining: size)
                case .chunkData(var head, let remaining):
                    let take = min(buffer.count - index, remaining)
                    if take == 0 { return nil }
                    head.body.append(contentsOf: buffer[index..<index + take])
                    index += take
                    state = take == remaining ? .chunkDataEnd(head) : .chunkData(head, remaining: remaining - take)
                    if take != remaining { return nil }
                case .chunkDataEnd(let head):
                    // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
                    guard buffer.count - index >= 2 else {
                        if buffer.count - index == 1 && buffer[index] != 13 { throw .invalidResponse(.invalidChunk) }
                        return nil
                    }
                    guard buffer[index] == 13 && buffer[index + 1] == 10 else { throw .invalidResponse(.invalidChunk) }
                    index += 2
                    state = .chunkSize(head)
                case .trailers(let head, let bytes):
                    guard
                        let line = try readLine(
                            limit: max(maxHeaderBytes - bytes, 0), tooLong: .headersTooLarge, requireCRLF: true)
                    else { return nil }
                    if line.isEmpty { return complete(head) }
                    if bytes + line.count + 2 > maxHeaderBytes { throw .invalidResponse(.headersTooLarge) }
                    _ = try Self.parseFieldLine(line)  // RFC 9112 §7.1.2: validated, then dropped
                    state = .trailers(head, bytes: bytes + line.count + 2)
                }
            }
        }

        /// The end of the stream: completes a response whose body is delimited by the close; nil when the
        /// response is incomplete (the caller reports `closedEarly`).
        /// - Throws: `Client.Failure` for a framing violation in bytes not yet parsed.
        public mutating func finish() throws(Client.Failure) -> Client.Response? {
            if let response = try next() { return response }
            guard case .untilClose(let head) = state else { return nil }
            return complete(head)
        }

        private mutating func complete(_ head: Head) -> Client.Response {
            state = .done
            return Client.Response(status: head.status, reason: head.reason, headers: head.headers, body: head.body)
        }

        // MARK: - Lines

        /// One line ending in CRLF (or a lone LF, RFC 9112 §2.2, unless `requireCRLF`), without the terminator.
        private mutating func readLine(
            limit: Int, tooLong: HTTPParseError, requireCRLF: Bool = false
        ) throws(Client.Failure) -> ArraySlice<UInt8>? {
            guard let lf = buffer[index...].firstIndex(of: 10) else {
                if buffer.count - index > limit { throw .invalidResponse(tooLong) }
                return nil
            }
            var end = lf
            if end > index && buffer[end - 1] == 13 {
                end -= 1
            } else if requireCRLF {
                throw .invalidResponse(.invalidChunk)
            }
            if end - index > limit { throw .invalidResponse(tooLong) }
            let line = buffer[index..<end]
            if line.contains(13) { throw .invalidResponse(.bareCarriageReturn) }
            index = lf + 1
            return line
        }

        /// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); the trailing SP may be
        /// missing when there is no reason, as some servers send it.
        private static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(Client.Failure) -> Head {
            let a = Array(line)
            guard a.count >= 12, a[0] == 72, a[1] == 84, a[2] == 84, a[3] == 80, a[4] == 47,
                HTTPGrammar.isDigit(a[5]), a[6] == 46, HTTPGrammar.isDigit(a[7]), a[8] == 32,
                a[9...11].allSatisfy(HTTPGrammar.isDigit), a.count == 12 || a[12] == 32
            else { throw .invalidStatusLine }
            guard a[5] == 49 else { throw .invalidResponse(.unsupportedVersion) }
            let status = Int(a[9] - 48) * 100 + Int(a[10] - 48) * 10 + Int(a[11] - 48)
            guard status >= 100 else { throw .invalidStatusLine }
            let reason = a.count > 13 ? a[13...] : []
            guard reason.allSatisfy(HTTPGrammar.isFieldValueChar) else { throw .invalidStatusLine }
            return Head(status: status, reason: String(decoding: reason, as: UTF8.self))
        }

        /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5), with the request parser's rules.
        private static func parseFieldLine(_ line: ArraySlice<UInt8>) throws(Client.Failure) -> (String, String) {
            guard let first = line.first else { throw .invalidResponse(.invalidHeaderName) }
            if first == 32 || first == 9 { throw .invalidResponse(.obsoleteLineFolding) }
            guard let colon = line.firstIndex(of: 58) else { throw .invalidResponse(.invalidHeaderName) }
            let nameBytes = line[line.startIndex..<colon]
            guard !nameBytes.isEmpty else { throw .invalidResponse(.invalidHeaderName) }
            if let last = nameBytes.last, last == 32 || last == 9 { throw .invalidResponse(.whitespaceBeforeColon) }
            guard nameBytes.allSatisfy(HTTPGrammar.isTokenChar) else { throw .invalidResponse(.invalidHeaderName) }
            let name = String(decoding: nameBytes, as: UTF8.self)
            var start = colon + 1
            var end = line.endIndex
            while start < end && (line[start] == 32 || line[start] == 9) { start += 1 }
            while end > start && (line[end - 1] == 32 || line[end - 1] == 9) { end -= 1 }
            guard line[start..<end].allSatisfy(HTTPGrammar.isFieldValueChar) else {
                throw .invalidResponse(.invalidHeaderValue(name: name))
            }
            return (name, String(decoding: line[start..<end], as: UTF8.self))
        }

        /// chunk-size = 1*HEXDIG, then chunk extensions (RFC 9112 §7.1).
        private static func parseChunkSize(_ line: ArraySlice<UInt8>) throws(Client.Failure) -> Int {
            var size = 0
            var i = line.startIndex
            while i < line.endIndex, let v = PercentDecoding.hexValue(line[i]) {
                guard i - line.startIndex < 15 else { throw .invalidResponse(.invalidChunk) }
                size = size << 4 | Int(v)
                i += 1
            }
            guard i > line.startIndex, HTTPGrammar.isChunkExtensions(line[i...]) else {
                throw .invalidResponse(.invalidChunk)
            }
            return size
        }

        // MARK: - Framing (RFC 9112 §6.3)

        private mutating func finishHead(_ head: Head) throws(Client.Failure) -> Client.Response? {
            // RFC 9110 §15.2: a client must be able to parse 1xx interim responses before the final one.
            if head.status < 200 {
                state = .statusLine
                return nil
            }
            // RFC 9112 §6.3 items 1–2: responses to HEAD, and 204 and 304, have no content.
            if method == .head || head.status == 204 || head.status == 304 { return complete(head) }
            let transferEncodings = head.headers.values("Transfer-Encoding")
            let contentLengths = head.headers.values("Content-Length")
            if !transferEncodings.isEmpty {
                // RFC 9112 §6.3 item 3: both "ought to be handled as an error".
                if !contentLengths.isEmpty { throw .invalidResponse(.conflictingFraming) }
                let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map {
                    $0.trimmingASCIIWhitespace().lowercased()
                }.filter { !$0.isEmpty }
                // Item 4: chunked last → chunked; otherwise the body runs until the connection closes.
                if codings.last == "chunked" {
                    guard codings.count == 1 else { throw .invalidResponse(.unsupportedTransferCoding(codings[0])) }
                    state = .chunkSize(head)
                } else {
                    state = .untilClose(head)
                }
                return nil
            }
            if !contentLengths.isEmpty {
                var value: Int?
                for field in contentLengths {
                    for part in field.split(separator: ",", omittingEmptySubsequences: false) {
                        guard let n = HTTPGrammar.parseDecimal(part.trimmingASCIIWhitespace()), value ?? n == n else {
                            throw .invalidResponse(.invalidContentLength)
                        }
                        value = n
                    }
                }
                let length = value ?? 0
                if length > maxBody { throw .invalidResponse(.bodyTooLarge(limit: maxBody)) }
                if length == 0 { return complete(head) }
                state = .body(head, remaining: length)
                return nil
            }
            // Item 8: no framing → the body is everything until the server closes.
            state = .untilClose(head)
            return nil
        }
    }
}
