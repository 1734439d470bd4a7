import HTTP
import Synchronization
import Testing
import _CryptoExtras

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// A webhook receiver: a real HTTP server on port 0 that records every request and answers with the next status of
/// a script (200 once the script is used up), optionally after a delay.
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Received: Sendable {
        let path: String
        let headers: HTTPHeaders
        let body: [UInt8]

        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
        var retryCount: Int? { headers["X-Retry-Count"].flatMap { Int($0) } }
    }

    private final class Recorder: Responder {
        let state: Mutex<(received: [Received], statuses: [Int], delay: Double)>

        init(statuses: [Int], delay: Double) { state = Mutex(([], statuses, delay)) }

        func respond(to request: Request) -> Response {
            let (status, delay) = state.withLock { s -> (Int, Double) in
                s.received.append(Received(path: String(request.path), headers: request.headers, body: request.body))
                return (s.statuses.isEmpty ? 200 : s.statuses.removeFirst(), s.delay)
            }
            if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
            return Response(status: HTTPStatus(code: status, reasonPhrase: "Scripted"), body: Array("ok".utf8))
        }
    }

    private let recorder: Recorder
    private let server: Server

    /// Starts a receiver answering `statuses` in turn, then 200, each after `delay` seconds.
    init(statuses: [Int] = [], delay: Double = 0) throws {
        recorder = Recorder(statuses: statuses, delay: delay)
        server = Server(configuration: Server.Configuration(host: "127.0.0.1", port: 0), responder: recorder)
        try server.start()
    }

    /// Waits for a request still being answered: the server must outlive its connections.
    deinit { server.shutdown(timeout: 3) }

    /// The URL webhooks are sent to.
    var url: String { "http://127.0.0.1:\(server.port)/hooks/freshchat" }

    /// Everything received so far, in order.
    var received: [Received] { recorder.state.withLock { $0.received } }

    /// Sets the delay before each answer.
    func delay(_ seconds: Double) { recorder.state.withLock { $0.delay = seconds } }

    /// Replaces the status script.
    func answer(_ statuses: [Int]) { recorder.state.withLock { $0.statuses = statuses } }

    /// Waits up to `timeout` seconds until `count` requests arrived; returns what arrived.
    func wait(for count: Int, timeout: Double = 5) -> [Received] {
        var waited = 0.0
        while received.count < count && waited < timeout {
            usleep(10_000)
            waited += 0.01
        }
        return received
    }
}

/// A host (control plane included) in front of a `TestEmulator`, subscribed to a receiver.
struct WebhooksHarness {
    let base: TestEmulator
    let host: EmulatorHost
    let receiver: WebhookReceiver

    /// Creates the emulator and receiver and subscribes the receiver (to `events`, all four by default).
    init(
        statuses: [Int] = [], events: [String]? = nil, configure: (inout Config) -> Void = { _ in }
    ) throws {
        base = try TestEmulator(configure: configure)
        host = EmulatorHost(emulator: base.emulator)
        receiver = try WebhookReceiver(statuses: statuses)
        var body: JSONObject = ["urls": [.string(receiver.url)]]
        if let events { body["events"] = .array(events.map { .string($0) }) }
        let response = control(.put, "/_emulator/webhooks", JSONValue.object(body).serialized())
        #expect(response.code == 200, "\(response.text)")
    }

    var webhooks: Webhooks { base.emulator.webhooks }

    /// A control-plane or API request through the host.
    func control(_ method: HTTPMethod, _ target: String, _ body: String? = nil) -> TestResponse {
        var fields: [(String, String)] = [("Host", "localhost"), ("Authorization", "Bearer test-token")]
        if body != nil { fields.append(("Content-Type", "application/json")) }
        return TestResponse(
            host.respond(
                to: Request(
                    method: method, target: target, headers: HTTPHeaders(fields), body: Array((body ?? "").utf8))))
    }

    /// `POST /_emulator/webhooks/flush`, then what the receiver got.
    @discardableResult
    func flush(sourceLocation: SourceLocation = #_sourceLocation) -> [WebhookReceiver.Received] {
        let response = control(.post, "/_emulator/webhooks/flush")
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return receiver.received
    }

    /// `GET /_emulator/webhooks/deliveries` with `query`.
    func deliveries(_ query: String = "") -> [JSONValue] {
        control(.get, "/_emulator/webhooks/deliveries" + query).json["deliveries"]?.arrayValue ?? []
    }

    /// The published public key, loaded with swift-crypto from the Freshchat-form PEM (relabelled, as consumers do).
    func publicKey(sourceLocation: SourceLocation = #_sourceLocation) throws -> _RSA.Signing.PublicKey {
        let response = control(.get, "/_emulator/webhooks/public-key")
        #expect(response.code == 200, sourceLocation: sourceLocation)
        let pem = response.text.replacing("RSA PUBLIC KEY", with: "PUBLIC KEY")
        return try _RSA.Signing.PublicKey(pemRepresentation: pem)
    }
}

/// Asserts that `received` carries Freshchat's headers and a valid signature of its exact body bytes.
func expectSigned(
    _ received: WebhookReceiver.Received, by key: _RSA.Signing.PublicKey,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(received.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
    #expect(received.headers["X-Freshchat-Payload-Version"] != nil, sourceLocation: sourceLocation)
    #expect(received.retryCount != nil, sourceLocation: sourceLocation)
    guard let text = received.headers["X-Freshchat-Signature"], let bytes = Base64.decode(text) else {
        Issue.record("no base64 X-Freshchat-Signature", sourceLocation: sourceLocation)
        return
    }
    let signature = _RSA.Signing.RSASignature(rawRepresentation: bytes)
    #expect(
        key.isValidSignature(signature, for: received.body, padding: .insecurePKCS1v1_5),
        "signature of \(received.text)", sourceLocation: sourceLocation)
}

/// The `data.<key>` object of a webhook body.
func webhookData(_ received: WebhookReceiver.Received) -> JSONValue? {
    guard let action = received.json["action"]?.stringValue, let kind = WebhookEvent.Action(rawValue: action) else {
        return nil
    }
    return received.json["data"]?[kind.dataKey]
}
