import Foundation
import HTTP
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Webhooks from the real binary to a receiver over real sockets (issue "Webhooks"): the four events in order, signed
/// (checked by Python's `cryptography` where it is installed, an RSA implementation independent of ours), and a
/// kill -9 between the commit and the delivery.
@Suite(.serialized)
struct WebhooksEndToEndTests {
    /// A receiver in the test process: an HTTP server recording every request.
    final class Receiver: Responder {
        struct Received {
            let headers: HTTPHeaders
            let body: [UInt8]
            var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
            var action: String { json["action"] as? String ?? "" }
        }

        private let state = Mutex<[Received]>([])
        private let server = Mutex<Server?>(nil)

        /// Listens on `port` (0: a free one).
        init(port: Int = 0) throws {
            let server = Server(configuration: Server.Configuration(host: "127.0.0.1", port: port), responder: self)
            try server.start()
            self.server.withLock { $0 = server }
        }

        func respond(to request: HTTP.Request) -> HTTP.Response {
            state.withLock { $0.append(Received(headers: request.headers, body: request.body)) }
            return HTTP.Response(status: .ok)
        }

        var port: Int { server.withLock { $0?.port ?? 0 } }
        var url: String { "http://127.0.0.1:\(port)/freshchat" }
        var received: [Received] { state.withLock { $0 } }

        /// Waits up to `timeout` seconds for `count` requests.
        func wait(for count: Int, timeout: Double = 10) -> [Received] {
            let deadline = monotonicSeconds() + timeout
            while received.count < count && monotonicSeconds() < deadline { pause(0.02) }
            return received
        }

        /// Stops listening, waiting for a request still being answered (the server must outlive its connections).
        func stop() {
            let running = server.withLock { current -> Server? in
                defer { current = nil }
                return current
            }
            running?.shutdown(timeout: 3)
        }
    }

    /// Verifies each body's `X-Freshchat-Signature` with Python's `cryptography`, loading the key as consumers do
    /// from the published Freshchat-form PEM; nil when Python or the package is missing, unless
    /// `FRESHCHAT_REQUIRE_PYTHON_CRYPTOGRAPHY=1` (set by `.ci/run`, which installs it) makes that a failure.
    static func verifyWithPython(_ received: [Receiver.Received], pem: String) throws -> Bool? {
        let required = ProcessInfo.processInfo.environment["FRESHCHAT_REQUIRE_PYTHON_CRYPTOGRAPHY"] == "1"
        let directory = try TempDirectory()
        try pem.write(toFile: directory.file("key.pem"), atomically: true, encoding: .utf8)
        var arguments = [directory.file("key.pem")]
        for (index, webhook) in received.enumerated() {
            let path = directory.file("body\(index)")
            try Data(webhook.body).write(to: URL(fileURLWithPath: path))
            arguments += [path, webhook.headers["X-Freshchat-Signature"] ?? ""]
        }
        let script = """
            import base64, sys
            try:
                from cryptography.hazmat.primitives import hashes, serialization
                from cryptography.hazmat.primitives.asymmetric import padding
            except ImportError:
                sys.exit(3)
            pem = open(sys.argv[1]).read()
            der = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
            key = serialization.load_der_public_key(der)
            args = sys.argv[2:]
            for i in range(0, len(args), 2):
                key.verify(base64.b64decode(args[i + 1]), open(args[i], "rb").read(), padding.PKCS1v15(),
                           hashes.SHA256())
            print("verified", len(args) // 2)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return required ? false : nil }
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return true
        case 3, 127: return required ? false : nil
        default: return false
        }
    }

    // Issue "Webhooks": "a story covers all four events in order"; signatures verified by an independent RSA
    // implementation; non-ASCII text byte-exact.
    @Test func story_SendsTheFourEventsInOrder_SignedOverTheExactBytes() throws {
        let receiver = try Receiver()
        defer { receiver.stop() }
        let emulator = try RunningEmulator(["--async-delay", "0", "--webhook-url", receiver.url])
        let api = StoryTests.API(emulator: emulator)
        let (_, user) = try api.call("POST", "/v2/users", #"{"first_name":"Zoë"}"#)
        let userID = try #require(user["id"] as? String)
        let create = """
            {"channel_id":"\(StoryTests.channel)","users":[{"id":"\(userID)"}],
             "messages":[{"message_parts":[{"text":{"content":"Grüße 👋 日本語"}}],
                          "actor_type":"user","actor_id":"\(userID)"}]}
            """
        let (_, created) = try api.call("POST", "/v2/conversations", create)
        let id = try #require(created["conversation_id"] as? String)
        _ = try api.eventually("/v2/conversations/\(id)", is: 200)
        #expect(
            try api.call("PUT", "/v2/conversations/\(id)", #"{"assigned_agent_id":"\#(StoryTests.agent)"}"#).0 == 200)
        #expect(try api.call("PUT", "/v2/conversations/\(id)", #"{"status":"resolved"}"#).0 == 200)
        #expect(try api.call("PUT", "/v2/conversations/\(id)", #"{"status":"reopened"}"#).0 == 200)

        let received = receiver.wait(for: 5)
        #expect(
            received.map(\.action) == [
                "message_create", "conversation_assignment", "conversation_resolution", "conversation_reopen",
                "conversation_assignment",
            ])
        #expect(received.map { $0.headers["X-Retry-Count"] } == Array(repeating: "0", count: received.count))
        let first = try #require(received.first)
        #expect(String(decoding: first.body, as: UTF8.self).contains(#""content":"Grüße 👋 日本語""#))
        let pem = try emulator.get("/_emulator/webhooks/public-key").bodyText
        #expect(pem.hasPrefix("-----BEGIN RSA PUBLIC KEY-----\n"))
        let verified = try Self.verifyWithPython(received, pem: pem)
        #expect(verified != false, "Python's cryptography rejected a signature")
        #expect(emulator.terminate() == .exited(0))
    }

    // Issue "Webhooks": "kill -9 between commit and delivery, then restart: the webhook still arrives exactly once
    // per attempt log".
    @Test func killNine_BetweenCommitAndDelivery_TheWebhookArrivesAfterRestart() throws {
        // A free port with nothing listening yet: the first run's attempts are refused.
        let reserved = try Receiver()
        let port = reserved.port
        reserved.stop()
        let url = "http://127.0.0.1:\(port)/freshchat"
        let directory = try TempDirectory()
        let database = directory.file("store.sqlite3")
        let first = try RunningEmulator(["--async-delay", "0", "--webhook-url", url], database: database)
        let api = StoryTests.API(emulator: first)
        let pem = try first.get("/_emulator/webhooks/public-key").bodyText
        let (_, user) = try api.call("POST", "/v2/users", #"{"first_name":"Ada"}"#)
        let userID = try #require(user["id"] as? String)
        let create = """
            {"channel_id":"\(StoryTests.channel)","users":[{"id":"\(userID)"}],
             "messages":[{"message_parts":[{"text":{"content":"before the crash"}}],
                          "actor_type":"user","actor_id":"\(userID)"}]}
            """
        #expect(try api.call("POST", "/v2/conversations", create).0 == 202)
        let deadline = monotonicSeconds() + 10
        var attempted = false
        while !attempted && monotonicSeconds() < deadline {
            let (_, log) = try api.call("GET", "/_emulator/webhooks/deliveries")
            let deliveries = log["deliveries"] as? [[String: Any]] ?? []
            attempted = (deliveries.first?["attempts"] as? Int ?? 0) >= 1
            if !attempted { pause(0.02) }
        }
        #expect(attempted, "the committed webhook was attempted (refused) before the crash")
        #expect(first.killHard() == .signaled(SIGKILL))

        let receiver = try Receiver(port: port)
        defer { receiver.stop() }
        let second = try RunningEmulator(database: database)
        let received = receiver.wait(for: 1)
        pause(0.3)
        #expect(receiver.received.count == 1, "exactly once")
        let webhook = try #require(received.first)
        #expect(webhook.action == "message_create")
        #expect(String(decoding: webhook.body, as: UTF8.self).contains("before the crash"))
        let after = StoryTests.API(emulator: second)
        let (_, log) = try after.call("GET", "/_emulator/webhooks/deliveries")
        let delivery = try #require((log["deliveries"] as? [[String: Any]])?.first)
        #expect(delivery["status"] as? String == "delivered")
        let attempts = try #require(delivery["attempts"] as? Int)
        #expect(webhook.headers["X-Retry-Count"] == String(attempts - 1), "the attempt log counts this one last")
        #expect(try second.get("/_emulator/webhooks/public-key").bodyText == pem, "the key survived in the store")
        #expect(try Self.verifyWithPython(received, pem: pem) != false)
        #expect(second.terminate() == .exited(0))
    }
}
