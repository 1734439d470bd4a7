import HTTP
import Logging
import Testing

@testable import FreshchatEmulator

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
        return TestResponse(app.respond(to: request))
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
