import Testing

@testable import HTTP

// MARK: - Bytes

/// The UTF-8 bytes of `s`.
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A minimal valid HTTP/1.1 request for `target`, used as the "next pipelined request" in many tests.
func simpleGET(_ target: String = "/next", extra: String = "") -> String {
    "GET \(target) HTTP/1.1\r\nHost: example.com\r\n\(extra)\r\n"
}

// MARK: - Parser harness

/// A parsed request reduced to comparable values.
struct ParsedRequest: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var version: HTTPVersion
    /// Field lines as `name: value`, in arrival order.
    var headers: [String]
    var body: [UInt8]

    init(_ request: Request) {
        method = request.method.rawValue
        target = request.target
        version = request.version
        headers = request.headers.map { "\($0.name): \($0.value)" }
        body = request.body
    }

    var bodyString: String { String(decoding: body, as: UTF8.self) }

    var description: String { "\(method) \(target) \(version) \(headers) body=\(bodyString.debugDescription)" }
}

/// One thing the parser produced.
enum ParserOutput: Equatable {
    case continueExpected
    case request(ParsedRequest)
    case failure(HTTPParseError)
}

extension ParserOutput {
    /// The request, when this is one.
    var request: ParsedRequest? {
        if case .request(let r) = self { return r }
        return nil
    }

    /// The error, when this is a failure.
    var error: HTTPParseError? {
        if case .failure(let e) = self { return e }
        return nil
    }
}

/// Feeds `chunks` one after another to a fresh parser, taking every event after each append. Stops at the
/// first error (the parser is unusable afterwards).
func feed(_ chunks: [ArraySlice<UInt8>], limits: HTTPLimits = HTTPLimits()) -> [ParserOutput] {
    var parser = RequestParser(limits: limits)
    var out: [ParserOutput] = []
    for chunk in chunks {
        parser.append(chunk)
        while true {
            do {
                guard let event = try parser.next() else { break }
                switch event {
                case .continueExpected: out.append(.continueExpected)
                case .request(let request): out.append(.request(ParsedRequest(request)))
                }
            } catch {
                out.append(.failure(error))
                return out
            }
        }
    }
    return out
}

/// The outputs without `continueExpected`, which legitimately depends on how the bytes were split.
func framed(_ outputs: [ParserOutput]) -> [ParserOutput] {
    outputs.filter { $0 != .continueExpected }
}

/// How the bytes of a vector are cut into appends.
enum Splits {
    /// Every offset (exhaustive) plus one byte at a time.
    case everyOffset
    /// A sample of offsets (every `stride`-th, plus both ends) plus one byte at a time; for vectors too large
    /// to cut everywhere.
    case sampled(stride: Int)
}

/// The ways `raw` is cut into appends: whole, at the chosen offsets into two, and one byte at a time.
func cuts(of raw: [UInt8], _ splits: Splits) -> [(label: String, chunks: [ArraySlice<UInt8>])] {
    var out: [(label: String, chunks: [ArraySlice<UInt8>])] = [("whole", [raw[...]])]
    out.append(("byte at a time", raw.indices.map { raw[$0..<$0 + 1] }))
    var offsets: [Int]
    switch splits {
    case .everyOffset:
        offsets = Array(0...raw.count)
    case .sampled(let stride):
        offsets = Array(Swift.stride(from: 0, through: raw.count, by: stride)) + [raw.count - 1, raw.count]
    }
    for offset in offsets where offset >= 0 && offset <= raw.count {
        out.append(("split at \(offset)", [raw[..<offset], raw[offset...]]))
    }
    return out
}

/// Parses `raw` whole, split at every chosen offset and byte by byte; every way must frame the same requests
/// and none may fail. Returns the requests.
@discardableResult
func expectParses(
    _ raw: [UInt8], limits: HTTPLimits = HTTPLimits(), splits: Splits = .everyOffset,
    sourceLocation: SourceLocation = #_sourceLocation
) -> [ParsedRequest] {
    let whole = framed(feed([raw[...]], limits: limits))
    for output in whole {
        if case .failure(let error) = output {
            Issue.record("expected success, got \(error)", sourceLocation: sourceLocation)
            return []
        }
    }
    for (label, chunks) in cuts(of: raw, splits).dropFirst() {
        let got = framed(feed(chunks, limits: limits))
        if got != whole {
            Issue.record("\(label): \(got) != whole \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    return whole.compactMap {
        if case .request(let r) = $0 { return r }
        return nil
    }
}

@discardableResult
func expectParses(
    _ raw: String, limits: HTTPLimits = HTTPLimits(), splits: Splits = .everyOffset,
    sourceLocation: SourceLocation = #_sourceLocation
) -> [ParsedRequest] {
    expectParses(bytes(raw), limits: limits, splits: splits, sourceLocation: sourceLocation)
}

/// Parses exactly one request from `raw` (checked across splits), and `raw` followed by a second pipelined
/// request (both come out, in order). Returns the first request.
@discardableResult
func expectRequest(
    _ raw: String, limits: HTTPLimits = HTTPLimits(), splits: Splits = .everyOffset,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParsedRequest? {
    let requests = expectParses(raw, limits: limits, splits: splits, sourceLocation: sourceLocation)
    guard requests.count == 1 else {
        Issue.record("expected one request, got \(requests)", sourceLocation: sourceLocation)
        return nil
    }
    let pipelined = expectParses(
        raw + simpleGET("/second"), limits: limits, splits: splits, sourceLocation: sourceLocation)
    #expect(pipelined.map(\.target) == [requests[0].target, "/second"], sourceLocation: sourceLocation)
    #expect(pipelined.first == requests[0], sourceLocation: sourceLocation)
    return requests[0]
}

/// `raw` is rejected with `error` (status `status`) whole, at every chosen split and byte by byte; through a
/// `ConnectionStateMachine` the answer is `writeAndClose` with that status and `Connection: close`, and a
/// request pipelined after it is never dispatched.
func expectRejects(
    _ raw: [UInt8], _ error: HTTPParseError, status: Int, limits: HTTPLimits = HTTPLimits(),
    splits: Splits = .everyOffset, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(error.status.code == status, "status of \(error)", sourceLocation: sourceLocation)
    for (label, chunks) in cuts(of: raw, splits) {
        let got = framed(feed(chunks, limits: limits))
        if got != [.failure(error)] {
            Issue.record("\(label): expected [failure(\(error))], got \(got)", sourceLocation: sourceLocation)
            break
        }
    }
    expectMachineRejects(
        raw + bytes(simpleGET("/after")), status: status, limits: limits, sourceLocation: sourceLocation)
}

func expectRejects(
    _ raw: String, _ error: HTTPParseError, status: Int, limits: HTTPLimits = HTTPLimits(),
    splits: Splits = .everyOffset, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejects(bytes(raw), error, status: status, limits: limits, splits: splits, sourceLocation: sourceLocation)
}

/// Through a state machine, `raw` yields exactly one `writeAndClose` with `status` and `Connection: close`,
/// nothing is dispatched, and the machine only closes afterwards, even when more bytes arrive.
func expectMachineRejects(
    _ raw: [UInt8], status: Int, limits: HTTPLimits = HTTPLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var machine = ConnectionStateMachine(limits: limits)
    machine.received(raw)
    let steps = run(&machine)
    guard steps.count == 1, case .writeAndClose(let text) = steps[0] else {
        Issue.record("expected one writeAndClose, got \(steps)", sourceLocation: sourceLocation)
        return
    }
    #expect(text.hasPrefix("HTTP/1.1 \(status) "), "\(text)", sourceLocation: sourceLocation)
    #expect(headerLines(text).contains("Connection: close"), "\(text)", sourceLocation: sourceLocation)
    machine.received(bytes(simpleGET("/later")))
    #expect(run(&machine) == [.close], sourceLocation: sourceLocation)
}

// MARK: - State machine harness

/// An action of the state machine with written bytes as text, minus the `Date` line (it changes every second).
enum Step: Equatable {
    case dispatch(String)
    case write(String)
    case writeAndClose(String)
    case close
    case needMore
    /// A streamed response's head, and whether its pieces are chunked; the machine stops there.
    case stream(String, chunked: Bool)
}

/// Response bytes as text without the `Date:` field line of the head.
func withoutDate(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
    if let blank = lines.firstIndex(of: ""), let date = lines[..<blank].firstIndex(where: { $0.hasPrefix("Date: ") }) {
        lines.remove(at: date)
    }
    return lines.joined(separator: "\r\n")
}

/// The field lines of a serialised response head (status line excluded).
func headerLines(_ text: String) -> [String] {
    let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
    let head = lines.prefix { !$0.isEmpty }
    return head.dropFirst().map(String.init)
}

/// A responder for machine tests: echoes `METHOD target body` with 200.
func echo(_ request: Request) -> Response {
    let text = "\(request.method) \(request.target) \(String(decoding: request.body, as: UTF8.self))"
    return Response(status: .ok, body: bytes(text))
}

/// Runs the machine until it needs more bytes or closes, answering dispatched requests with `responder`.
func run(
    _ machine: inout ConnectionStateMachine, responder: (Request) -> Response = echo
) -> [Step] {
    var steps: [Step] = []
    while steps.count < 1000 {
        switch machine.next() {
        case .dispatch(let request):
            steps.append(.dispatch("\(request.method) \(request.target)"))
            switch machine.respond(responder(request), to: request) {
            case .write(let b): steps.append(.write(withoutDate(b)))
            case .writeAndClose(let b):
                steps.append(.writeAndClose(withoutDate(b)))
                return steps
            case .close:
                steps.append(.close)
                return steps
            case .stream(let b, let chunked):
                steps.append(.stream(withoutDate(b), chunked: chunked))
                return steps
            case let other:
                Issue.record("respond returned \(other)")
                return steps
            }
        case .write(let b): steps.append(.write(withoutDate(b)))
        case .writeAndClose(let b):
            steps.append(.writeAndClose(withoutDate(b)))
            return steps
        case .close:
            steps.append(.close)
            return steps
        case .needMore:
            steps.append(.needMore)
            return steps
        case .stream(let b, let chunked):
            Issue.record("next() returned a stream: \(withoutDate(b)) chunked \(chunked)")
            return steps
        }
    }
    return steps
}

/// The serialised 200 answer `echo` gives, as the machine writes it (without `Date`).
func echoResponse(_ body: String, close: Bool = false, keepAlive10: Bool = false, headOnly: Bool = false) -> String {
    var text = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n"
    if close { text += "Connection: close\r\n" }
    if keepAlive10 { text += "Connection: keep-alive\r\n" }
    text += "\r\n"
    if !headOnly { text += body }
    return text
}

// MARK: - Byte classes, spelled out from the RFCs independently of HTTPGrammar

/// tchar (RFC 9110 §5.6.2).
func isTchar(_ b: UInt8) -> Bool {
    if (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) { return true }
    return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
}

/// field-vchar / SP / HTAB / obs-text (RFC 9110 §5.5).
func isFieldValueByte(_ b: UInt8) -> Bool {
    b == 0x09 || (0x20...0x7E).contains(b) || b >= 0x80
}

/// HEXDIG (RFC 5234 B.1; case-insensitive).
func isHexDigit(_ b: UInt8) -> Bool {
    (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
}
