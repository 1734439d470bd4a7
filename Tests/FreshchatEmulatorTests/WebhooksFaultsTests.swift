import HTTP
import Testing

@testable import FreshchatEmulator

/// Fault rules with `target: webhooks` (issue "Webhooks": "Delivery faults (drop, delay, answer as if 500) go
/// through the fault rules of the control plane").
@Suite struct WebhooksFaultsTests {
    @discardableResult
    private func addFault(
        _ h: WebhooksHarness, _ body: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> JSONValue {
        let response = h.control(.post, "/_emulator/faults", body)
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    private func faults(_ h: WebhooksHarness) -> [JSONValue] {
        h.control(.get, "/_emulator/faults").json["faults"]?.arrayValue ?? []
    }

    @Test func answerAs500_FailsTheAttemptWithoutSending_ThenTheRetryIsDelivered() throws {
        let h = try WebhooksHarness()
        let rule = addFault(h, #"{"target":"webhooks","status":500,"times":1}"#)
        #expect(rule["target"] == "webhooks" && rule["event"] == .null && rule["remaining"] == 1)
        try h.base.addUsers()
        _ = try h.base.startConversation()
        #expect(h.flush().isEmpty, "the rule answered instead of the receiver")
        let delivery = try #require(h.deliveries().first)
        #expect(delivery["status"] == "pending" && delivery["attempts"] == 1 && delivery["last_status_code"] == 500)
        #expect(delivery["last_error"] == "HTTP 500 (fault rule)")
        try h.base.advance(milliseconds: 1_000)
        let received = h.flush()
        #expect(received.map(\.retryCount) == [1], "the retry reaches the receiver, counting the faulted attempt")
        #expect(faults(h).first?["hits"] == 1 && faults(h).first?["remaining"] == 0)
    }

    @Test func drop_WithAnEvent_DropsOnlyThatEvent_AndTheDeliveryIsDead() throws {
        let h = try WebhooksHarness()
        addFault(h, #"{"target":"webhooks","event":"conversation_resolution","drop_connection":true}"#)
        try h.base.addUsers()
        let id = try h.base.startConversation()
        #expect(h.flush().map { $0.json["action"] } == ["message_create"])
        h.base.update(id, ["status": "resolved"])
        #expect(h.flush().count == 1, "the resolution was not sent")
        let dead = h.deliveries("?status=dead")
        #expect(dead.map { $0["event"] } == ["conversation_resolution"])
        #expect(dead.first?["last_error"] == "dropped by a fault rule")
        let rule = try #require(faults(h).first)
        #expect(rule["matched"] == 1 && rule["hits"] == 1, "the message_create delivery did not match")
    }

    @Test func latency_DelaysTheAttempt_ThenSendsIt() throws {
        let h = try WebhooksHarness()
        addFault(h, #"{"target":"webhooks","latency_ms":30}"#)
        try h.base.addUsers()
        _ = try h.base.startConversation()
        let received = h.flush()
        #expect(received.count == 1 && received.first?.retryCount == 0)
        #expect(h.deliveries().first?["status"] == "delivered")
        #expect(faults(h).first?["hits"] == 1)
    }

    @Test func path_MatchesTheReceiversURLPath() throws {
        let h = try WebhooksHarness()
        addFault(h, #"{"target":"webhooks","path":"/elsewhere/*","status":503}"#)
        addFault(h, #"{"target":"webhooks","path":"/hooks/{name}","status":502}"#)
        try h.base.addUsers()
        _ = try h.base.startConversation()
        #expect(h.flush().isEmpty)
        #expect(h.deliveries().first?["last_status_code"] == 502)
        #expect(faults(h).map { $0["matched"] } == [0, 1])
    }

    @Test func webhookRules_DoNotTouchAPIRequests_AndAPIRulesDoNotTouchWebhooks() throws {
        let h = try WebhooksHarness()
        addFault(h, #"{"target":"webhooks","status":500}"#)
        addFault(h, #"{"path":"/hooks/*","status":503}"#)
        #expect(h.control(.get, "/v2/accounts/configuration").code == 200)
        try h.base.addUsers()
        _ = try h.base.startConversation()
        #expect(h.flush().isEmpty)
        #expect(h.deliveries().first?["last_status_code"] == 500)
        #expect(faults(h).map { $0["hits"] } == [1, 0])
        #expect(faults(h).last?["target"] == "api")
    }

    @Test(arguments: [
        (#"{"target":"email","status":500}"#, "target"),
        (#"{"event":"message_create","status":500}"#, "event"),
        (#"{"target":"webhooks","event":"message_delete","status":500}"#, "event"),
        (#"{"target":"webhooks","method":"POST","status":500}"#, "method"),
        (#"{"target":"webhooks","token":"t","status":500}"#, "token"),
        (#"{"target":"webhooks","status":500,"retry_after":3}"#, "retry_after"),
        (#"{"target":"webhooks"}"#, "status"),
    ])
    func invalidWebhookRule_Is400NamingTheField(body: String, field: String) throws {
        let h = try WebhooksHarness()
        let response = h.control(.post, "/_emulator/faults", body)
        #expect(response.code == 400, "\(response.text)")
        #expect(response.json["message"]?.stringValue?.contains(field) == true, "\(response.text)")
        #expect(faults(h).isEmpty, "nothing added")
    }
}
