import Dispatch
import HTTP
import Logging
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An emulator on a fresh `:memory:` store with the embedded seed, a frozen clock and incrementing ids,
/// answered in-process through `App` (no sockets).
struct TestEmulator {
    let emulator: Emulator
    let app: App
    let clock: EmulatorClock

    /// 2024-01-15T10:00:00.000Z
    static let start: Int64 = 1_705_312_800_000

    init(configure: (inout Config) -> Void = { _ in }, seed: Seed = .embedded) throws {
        var config = Config()
        config.databasePath = ":memory:"
        configure(&config)
        let clock = EmulatorClock(Self.start)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try Store(path: ":memory:")
        try store.load(seed)
        emulator = Emulator(
            config: config, store: store, time: clock, ids: .incrementing(), seed: seed, logger: logger)
        app = emulator.makeResponder()
        self.clock = clock
    }

    /// Moves the frozen clock forward and runs the 202 jobs that fall due (default: past the 1 s async delay).
    @discardableResult
    func advance(milliseconds: Int64 = 1_000) throws -> Int {
        clock.advance(by: milliseconds)
        return try emulator.jobs.runDue()
    }

    /// Sends a request through the app, with a bearer token unless `token` is nil.
    func send(
        _ method: HTTPMethod, _ target: String, body: String?, token: String?, headers: [(String, String)]
    ) -> TestResponse {
        var fields: [(String, String)] = [("Host", "localhost")]
        if let token { fields.append(("Authorization", "Bearer \(token)")) }
        if body != nil { fields.append(("Content-Type", "application/json")) }
        fields.append(contentsOf: headers)
        let request = Request(
            method: method, target: target, headers: HTTPHeaders(fields), body: Array((body ?? "").utf8))
        var response = app.respond(to: request)
        if let producer = response.stream, method != .head {
            // A streamed body (a report CSV) is collected whole, as a client reading to the end would.
            response.body = Self.collect(producer)
            response.stream = nil
        }
        ResponseRecorder.record(request, response)
        return TestResponse(response)
    }

    /// Runs `producer` on a stream with no connection and returns everything it wrote once the stream ends (at most
    /// 30 s: a stream that never ends is a test failure, not a hang).
    static func collect(_ producer: ResponseStream.Producer) -> [UInt8] {
        let received = LockedBox<[UInt8]>([])
        let ended = DispatchSemaphore(value: 0)
        let stream = ResponseStream(sink: { bytes in received.withLock { $0.append(contentsOf: bytes) } })
        stream.onClose { ended.signal() }
        producer(stream)
        let result = ended.wait(timeout: .now() + 30)
        #expect(result == .success, "the streamed body did not end")
        return received.withLock { $0 }
    }
}

/// With `FRESHCHAT_RECORD_RESPONSES=<dir>`, the responses of `TestEmulator.send` and `ControlPlaneTests.Harness.send`
/// are appended to `<dir>/responses.jsonl` as the end-to-end client writes them (`{method, target, status,
/// content_type, body}`), for `.ci/openapi-check` to validate against the OpenAPI document.
enum ResponseRecorder {
    static let file: String? = getenv("FRESHCHAT_RECORD_RESPONSES").flatMap { pointer in
        let directory = String(cString: pointer)
        return directory.isEmpty ? nil : directory + "/responses.jsonl"
    }

    static func record(_ request: Request, _ response: Response) {
        // A dropped connection (fault rule) writes nothing: there is no response to check.
        guard let file, !response.dropsConnection else { return }
        let contentType = response.headers["Content-Type"]
        let isJSON = contentType?.lowercased().hasPrefix("application/json") ?? false
        let body = isJSON ? String(validating: response.body, as: UTF8.self) : nil
        let entry: JSONValue = [
            "method": .string(request.method.rawValue), "target": .string(request.target),
            "status": .integer(Int64(response.status.code)), "content_type": .optional(contentType),
            "body": .optional(body),
        ]
        let line = Array((entry.serialized() + "\n").utf8)
        // One write(2) with O_APPEND per line: lines of concurrent tests do not interleave.
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

/// A response with its body parsed as JSON where possible.
struct TestResponse {
    let response: Response
    var code: Int { response.status.code }
    var headers: HTTPHeaders { response.headers }
    var text: String { String(decoding: response.body, as: UTF8.self) }
    var json: JSONValue { (try? JSONParser.parse(response.body)) ?? .null }

    init(_ response: Response) { self.response = response }
}

/// Asserts that `response` is the JSON error `{"code","status","message"}` with this code and status, and that
/// the message mentions `mentioning` when given.
func expectError(
    _ response: TestResponse, _ code: Int, _ status: String, mentioning: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.code == code, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.json["code"] == .integer(Int64(code)), sourceLocation: sourceLocation)
    #expect(response.json["status"]?.stringValue == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
    if let mentioning {
        let message = response.json["message"]?.stringValue ?? ""
        #expect(message.contains(mentioning), "message '\(message)'", sourceLocation: sourceLocation)
    }
}
