import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// The outbox and its delivery: retries on the Clock, dead deliveries, replay, order, byte-exact bodies
/// (issue "Webhooks").
@Suite struct WebhooksDeliveryTests {
    // Issue "Webhooks": "A non-2xx answer … is retried with exponential backoff (on the emulator's Clock …),
    // X-Retry-Count counting up".
    @Test func failedDelivery_IsRetriedWithBackoffOnTheClock_UntilTheReceiverAccepts() throws {
        let h = try WebhooksHarness(statuses: [500, 503])
        let key = try h.publicKey()
        try h.base.addUsers()
        _ = try h.base.startConversation()
        #expect(h.flush().count == 1)
        var delivery = try #require(h.deliveries().first)
        #expect(delivery["status"] == "pending" && delivery["attempts"] == 1 && delivery["last_status_code"] == 500)
        #expect(delivery["last_error"] == "HTTP 500")
        // First retry after 1 s of Clock time, the next after 2 s more.
        try h.base.advance(milliseconds: 999)
        #expect(h.flush().count == 1, "not due before the backoff")
        try h.base.advance(milliseconds: 1)
        #expect(h.flush().count == 2)
        try h.base.advance(milliseconds: 1_999)
        #expect(h.flush().count == 2)
        try h.base.advance(milliseconds: 1)
        let received = h.flush()
        #expect(received.map(\.retryCount) == [0, 1, 2])
        #expect(Set(received.map(\.text)).count == 1, "the same bytes every time")
        for webhook in received { expectSigned(webhook, by: key) }
        delivery = try #require(h.deliveries().first)
        #expect(delivery["status"] == "delivered" && delivery["attempts"] == 3 && delivery["last_status_code"] == 200)
        #expect(delivery["last_error"] == .null && delivery["next_attempt_time"] == .null)
        #expect(delivery["delivered_time"] == .string(Timestamp.format(TestEmulator.start + 4_000)))
        #expect(h.flush().count == 3, "a delivered webhook is not sent again")
    }

    // Issue "Webhooks": "after the last attempt (--webhook-max-attempts, default 5) the delivery is dead";
    // "POST /_emulator/webhooks/deliveries/{id}/replay sends one again".
    @Test func delivery_IsDeadAfterTheLastAttempt_AndCanBeReplayed() throws {
        let h = try WebhooksHarness(statuses: [500, 500]) { $0.webhookMaxAttempts = 2 }
        try h.base.addUsers()
        _ = try h.base.startConversation()
        h.flush()
        try h.base.advance(milliseconds: 1_000)
        h.flush()
        try h.base.advance(milliseconds: 3_600_000)
        #expect(h.flush().count == 2, "no attempt after the last")
        let dead = try #require(h.deliveries("?status=dead").first)
        #expect(dead["attempts"] == 2 && dead["next_attempt_time"] == .null)
        let id = try #require(dead["id"]?.intValue)
        let replayed = h.control(.post, "/_emulator/webhooks/deliveries/\(id)/replay")
        #expect(replayed.code == 200, "\(replayed.text)")
        #expect(replayed.json["status"] == "delivered" && replayed.json["attempts"] == 3)
        #expect(h.receiver.received.last?.retryCount == 2)
        expectError(h.control(.post, "/_emulator/webhooks/deliveries/999/replay"), 404, "DELIVERY_NOT_FOUND")
    }

    // Issue "Webhooks": "sends them in order per conversation": a retrying webhook holds back the later ones of its
    // conversation, not those of another.
    @Test func deliveries_KeepTheOrderOfTheirConversation_WhileOthersProceed() throws {
        let h = try WebhooksHarness(statuses: [500], events: ["message_create"])
        try h.base.addUsers()
        let first = try h.base.startConversation()
        #expect(h.base.sendMessage(first, Seeded.userMessage("second")).code == 200)
        let other = try h.base.startConversation(Seeded.createBody([("messages", [Seeded.userMessage("other")])]))
        let received = h.flush()
        #expect(received.count == 2)
        #expect(webhookData(received[1])?["conversation_id"] == .string(other))
        try h.base.advance(milliseconds: 1_000)
        let later = h.flush()
        #expect(later.count == 4)
        #expect(
            later.suffix(2).compactMap { webhookData($0)?["message_parts"]?.arrayValue?.first?["text"]?["content"] }
                == [
                    "Hii! Need help in receiving the refund.", "second",
                ])
        #expect(later.suffix(2).allSatisfy { webhookData($0)?["conversation_id"] == .string(first) })
    }

    // Issue "Webhooks": "non-ASCII message text verified byte-exact": UTF-8, unescaped, signed as sent.
    @Test func nonASCIIText_IsSentAsUnescapedUTF8_AndSignedByteExact() throws {
        let h = try WebhooksHarness(events: ["message_create"])
        let key = try h.publicKey()
        try h.base.addUsers()
        let id = try h.base.startConversation()
        let text = "Grüße, Zoë — 日本語 👋🏽 \"quoted\" \\ tab\t"
        #expect(h.base.sendMessage(id, Seeded.userMessage(text)).code == 200)
        let received = h.flush()
        let webhook = try #require(received.last)
        expectSigned(webhook, by: key)
        let expected = #""content":"Grüße, Zoë — 日本語 👋🏽 \"quoted\" \\ tab\t""#
        #expect(webhook.text.contains(expected), "\(webhook.text)")
        #expect(webhook.body.starts(with: Array(#"{"actor":"#.utf8)))
        let stored = try #require(h.deliveries().last?["body"])
        #expect(stored.serialized().utf8.elementsEqual(webhook.body), "the log holds the bytes sent")
        #expect(webhookData(webhook)?["message_parts"]?.arrayValue?.first?["text"]?["content"] == .string(text))
    }

    // Issue "Webhooks": "Events are written to an outbox table in the same transaction as the change".
    @Test func outbox_IsWrittenOnlyWhenTheChangeCommits_AndOnlyWithASubscription() throws {
        let h = try WebhooksHarness()
        try h.base.addUsers()
        let id = try h.base.startConversation()
        let rows = { try h.base.emulator.store.read { try $0.scalarInt("SELECT count(*) FROM webhook_event") } }
        #expect(try rows() == 1)
        expectError(
            h.base.update(id, ["status": "resolved", "assigned_agent_id": "nobody"], expect: 400), 400, "BAD_REQUEST")
        #expect(try rows() == 1, "a refused request leaves nothing")
        #expect(h.control(.put, "/_emulator/webhooks", #"{"urls":[]}"#).code == 200)
        h.base.update(id, ["status": "resolved"])
        #expect(try rows() == 1, "nobody subscribed")
    }

    // Issue "Webhooks": "A slow or dead webhook receiver never slows the API: deliveries run off the request path."
    @Test func slowReceiver_DoesNotSlowTheAPI() throws {
        let h = try WebhooksHarness()
        h.receiver.answer([200])
        let slow = try WebhookReceiver(delay: 1)
        #expect(h.control(.put, "/_emulator/webhooks", #"{"urls":["\#(slow.url)"]}"#).code == 200)
        try h.base.addUsers()
        let id = try h.base.startConversation()
        h.webhooks.start(interval: 0.005)
        defer { h.webhooks.stop() }
        #expect(slow.wait(for: 1, timeout: 2).count == 1, "the worker is sending to the slow receiver")
        let started = monotonic()
        for n in 0..<5 { #expect(h.base.sendMessage(id, Seeded.userMessage("n\(n)")).code == 200) }
        #expect(monotonic() - started < 0.5, "five messages while a delivery hangs")
        slow.delay(0)
        #expect(slow.wait(for: 6, timeout: 10).count == 6, "then the rest arrive, in order")
        #expect(
            slow.received.compactMap {
                webhookData($0)?["message_parts"]?.arrayValue?.first?["text"]?["content"]?.stringValue
            }
            .suffix(5) == ["n0", "n1", "n2", "n3", "n4"])
    }

    // A dead receiver: a refused connection is a failed attempt with its error, retried like a 500.
    @Test func refusedConnection_IsAFailedAttempt() throws {
        let h = try WebhooksHarness()
        #expect(h.control(.put, "/_emulator/webhooks", #"{"urls":["http://127.0.0.1:1/hook"]}"#).code == 200)
        try h.base.addUsers()
        _ = try h.base.startConversation()
        let flushed = h.control(.post, "/_emulator/webhooks/flush").json
        #expect(flushed == ["attempted": 1, "delivered": 0])
        let delivery = try #require(h.deliveries().first)
        #expect(delivery["last_error"] == "connection refused" && delivery["last_status_code"] == .null)
        #expect(delivery["status"] == "pending" && delivery["target"] == "http://127.0.0.1:1/hook")
    }

    // Issue "Webhooks": "Delivery faults (drop, delay, answer as if 500) go through the fault rules".
    @Test func faultRule_DropsOrAnswersAsIf500_WithoutSending() throws {
        let h = try WebhooksHarness()
        try h.base.addUsers()
        h.webhooks.setFaultRule { _ in .respond(status: 500) }
        let id = try h.base.startConversation()
        #expect(h.flush().isEmpty)
        #expect(h.deliveries().first?["last_status_code"] == 500)
        h.webhooks.setFaultRule(nil)
        try h.base.advance(milliseconds: 1_000)
        #expect(h.flush().count == 1, "retried without the rule")
        h.webhooks.setFaultRule { _ in .drop }
        h.base.update(id, ["status": "resolved"])
        #expect(h.flush().count == 1, "dropped: not sent")
        #expect(h.deliveries("?status=dead").first?["last_error"] == "dropped by a fault rule")
        try h.base.advance(milliseconds: 3_600_000)
        #expect(h.flush().count == 1, "and not retried")
    }

    private func monotonic() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

extension TestEmulator {
    /// `PUT /v2/conversations/{id}` expected to answer `code`.
    func update(_ id: String, _ body: JSONValue, expect code: Int) -> TestResponse {
        let response = send(.put, "/v2/conversations/\(id)", json: body)
        #expect(response.code == code, "\(response.text)")
        return response
    }
}
