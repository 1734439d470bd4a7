import HTTP
import Testing

@testable import FreshchatEmulator

/// Send outbound messages (docs L3265–3300) and the lifecycle of each message (docs L2985–2992). Validation, the
/// template checks, the 30-minute rule and the list are in the sibling `OutboundMessages*Tests` files.
@Suite struct OutboundMessagesTests {
    // MARK: - The 202 response

    // docs L3281: "A successful request returns 202 along with the following response object." L3291: { "request_id":
    // "0fcdd6b6-…", "request_process_time": "1", "link": { "rel": "string", "href": "string" } }.
    @Test func send_Returns202_WithRequestIDProcessTimeAndLink() throws {
        let emulator = try TestEmulator()
        let response = emulator.sendOutbound(Outbound.make())
        #expect(response.code == 202)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.json.objectValue?.keys == ["request_id", "request_process_time", "link"])
        let id = response.json["request_id"]?.stringValue ?? ""
        #expect(isUUID(id))
        #expect(response.json["request_process_time"] == "1")
        #expect(
            response.json["link"] == [
                "rel": "outbound_messages", "href": .string("/v2/outbound-messages?request_id=\(id)"),
            ])
    }

    // docs L3300: link.href "Reference to access the request." — following it lists the request's messages.
    @Test func send_LinkHref_ListsTheRequestsMessages() throws {
        let emulator = try TestEmulator()
        _ = emulator.outboundRequest()
        let response = emulator.sendOutbound(Outbound.make(to: ["+14155550100", "+14155550101"]))
        let href = response.json["link"]?["href"]?.stringValue ?? ""
        let messages = emulator.listOutbound(href)["outbound_messages"]?.arrayValue ?? []
        #expect(messages.map { $0["to"]?["phone_number"] } == ["+14155550100", "+14155550101"])
        #expect(messages.allSatisfy { $0["request_id"] == response.json["request_id"] })
    }

    // docs L3296: request_process_time "Time taken to process the request, specified in seconds." — the async delay
    // after which the messages are processed, in whole seconds rounded up ("1" with the default 1 s, as L3291).
    @Test(arguments: [(0.0, "0"), (0.001, "1"), (1.0, "1"), (2.5, "3"), (60.0, "60")])
    func send_RequestProcessTime_IsTheAsyncDelayInSeconds(delay: Double, expected: String) throws {
        let emulator = try TestEmulator(configure: { $0.asyncDelay = delay })
        #expect(emulator.sendOutbound(Outbound.make()).json["request_process_time"] == .string(expected))
    }

    // MARK: - Lifecycle

    // docs L2985–2989: status "Accepted … Sent: Message is sent to the recipient. Delivered: Message is delivered to
    // the recipient." Accepted at once, Sent one async delay (1 s) later, Delivered one more delay later.
    @Test(arguments: TestMode.allCases)
    func message_IsAccepted_ThenSent_ThenDelivered_AsTheClockAdvances(mode: TestMode) throws {
        let emulator = try TestEmulator()
        let client = try emulator.client(mode)
        let response = client.send(.post, Outbound.path, body: Outbound.make().serialized())
        #expect(response.code == 202, "\(response.text)")
        let href = response.json["link"]?["href"]?.stringValue ?? ""
        func status() -> JSONValue? { client.send(.get, href).json["outbound_messages"]?.arrayValue?.first?["status"] }
        #expect(status() == "Accepted")
        #expect(try emulator.advance(milliseconds: 999) == 0)
        #expect(status() == "Accepted")
        #expect(try emulator.advance(milliseconds: 1) == 1)
        #expect(status() == "Sent")
        #expect(try emulator.advance(milliseconds: 999) == 0)
        #expect(status() == "Sent")
        #expect(try emulator.advance(milliseconds: 1) == 1)
        #expect(status() == "Delivered")
        #expect(try emulator.advance(milliseconds: 3_600_000) == 0)
        #expect(status() == "Delivered")
    }

    // docs L2987–2989 (Accepted, Sent, Delivered) on the Clock; ARCHITECTURE.md: "202 flows are real jobs … outbound
    // messages Accepted → Sent → Delivered or Failed". The steps follow --async-delay: with 2.5 s, Sent at 2.5 s and
    // Delivered at 5 s.
    @Test func lifecycle_FollowsTheConfiguredAsyncDelay() throws {
        let emulator = try TestEmulator(configure: { $0.asyncDelay = 2.5 })
        let id = emulator.outboundRequest()
        try emulator.advance(milliseconds: 2_499)
        #expect(emulator.outboundStatuses(id) == ["Accepted"])
        try emulator.advance(milliseconds: 1)
        #expect(emulator.outboundStatuses(id) == ["Sent"])
        try emulator.advance(milliseconds: 2_499)
        #expect(emulator.outboundStatuses(id) == ["Sent"])
        try emulator.advance(milliseconds: 1)
        #expect(emulator.outboundStatuses(id) == ["Delivered"])
    }

    // docs L2987–2989: Accepted → Sent → Delivered, in that order. With --async-delay 0 both steps are due at once and
    // run in order: Delivered at the next run.
    @Test func lifecycle_WithZeroDelay_IsDeliveredAtTheNextRun() throws {
        let emulator = try TestEmulator(configure: { $0.asyncDelay = 0 })
        let id = emulator.outboundRequest()
        #expect(emulator.outboundStatuses(id) == ["Accepted"])
        #expect(try emulator.advance(milliseconds: 0) == 2)
        #expect(emulator.outboundStatuses(id) == ["Delivered"])
    }

    // docs L2990: "Failed: Message delivery failed." — final: the delivery step leaves a Failed message alone.
    @Test func failedMessage_StaysFailed_AfterTheDeliveryStep() throws {
        let emulator = try TestEmulator()
        let id = emulator.outboundRequest(Outbound.template([("template_name", "no_such_template")]))
        try emulator.advance()
        #expect(emulator.outboundStatuses(id) == ["Failed"])
        #expect(try emulator.advance() == 1, "the delivery job ran")
        #expect(emulator.outboundStatuses(id) == ["Failed"])
        #expect(emulator.outboundFailure(id)?.code == "OBM001")
    }

    // MARK: - One message per recipient

    // docs L2978: message_id "Identifier of an outbound message, auto-generated when a request to send an outbound
    // message is triggered"; L2984: request_id identifies the request and "all outbound messages sent through the
    // processing of the request". One message per entry of `to`, in its order, each with its own message_id.
    @Test func multipleRecipients_GetOneMessageEach_WithDistinctMessageIDs() throws {
        let emulator = try TestEmulator()
        let recipients = ["+14155550100", "+447700900123", "+919999999999", "+14155550100"]
        let id = emulator.outboundRequest(Outbound.make(to: recipients))
        let messages = emulator.outboundMessages(id)
        #expect(messages.map { $0["to"] } == recipients.map { ["phone_number": .string($0)] })
        let messageIDs = messages.compactMap { $0["message_id"]?.stringValue }
        #expect(messageIDs.count == 4)
        #expect(Set(messageIDs).count == 4)
        #expect(messageIDs.allSatisfy(isUUID))
        #expect(!messageIDs.contains(id))
        #expect(messages.allSatisfy { $0["request_id"] == .string(id) })
        try emulator.advance(milliseconds: 2_000)
        #expect(emulator.outboundStatuses(id) == ["Delivered", "Delivered", "Delivered", "Delivered"])
    }

    // docs L2984: each request has its own request_id; two requests do not share messages.
    @Test func twoRequests_HaveDistinctRequestIDs_AndKeepTheirOwnMessages() throws {
        let emulator = try TestEmulator()
        let first = emulator.outboundRequest(Outbound.make(to: ["+14155550100"]))
        let second = emulator.outboundRequest(Outbound.make(to: ["+14155550101", "+14155550102"]))
        #expect(first != second)
        #expect(emulator.outboundMessages(first).count == 1)
        #expect(emulator.outboundMessages(second).count == 2)
    }

    // MARK: - The outbound message object

    // docs L3372: the list entry { "message_id", "from": {…}, "provider": "whatsapp", "to": { "phone_number": … },
    // "data": { "message_template": {…} }, "request_id", "status", "created_on": 1566970961 }; L2993: created_on
    // "Timestamp of when the request to send the message is triggered, specified in the epoch format".
    @Test func message_HasEveryDocumentedAttribute_InTheDocsOrder() throws {
        let emulator = try TestEmulator()
        emulator.clock.advance(by: 1_999)
        let body = Outbound.make()
        let id = emulator.outboundRequest(body)
        try emulator.advance(milliseconds: 2_000)
        let message = emulator.outboundMessages(id).first ?? .null
        #expect(
            message.objectValue?.keys == [
                "message_id", "from", "provider", "to", "data", "request_id", "status", "created_on",
            ])
        #expect(message["from"] == ["phone_number": "+919999999999"])
        #expect(message["provider"] == "whatsapp")
        #expect(message["to"] == ["phone_number": "+919999999999"])
        #expect(message["data"] == body["data"])
        #expect(message["request_id"] == .string(id))
        #expect(message["status"] == "Delivered")
        #expect(message["created_on"] == .integer(TestEmulator.start / 1000 + 1), "epoch seconds, rounded down")
    }

    // docs L2990: "If status is failed, the failure_code and failure_reason attributes are present in the response
    // object." L3372: they come last: "status": "Failed", "created_on": …, "failure_code": "OBM001",
    // "failure_reason": "no template exists".
    @Test func failedMessage_EndsWithFailureCodeAndReason() throws {
        let emulator = try TestEmulator()
        let id = emulator.outboundRequest(Outbound.template([("namespace", "XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX")]))
        #expect(emulator.outboundMessages(id).first?.objectValue?.keys.contains("failure_code") == false)
        try emulator.advance()
        let message = emulator.outboundMessages(id).first ?? .null
        #expect(message.objectValue?.keys.suffix(4) == ["status", "created_on", "failure_code", "failure_reason"])
        #expect(message["status"] == "Failed")
        #expect(message["failure_code"] == "OBM001")
        #expect(message["failure_reason"] == "no template exists")
    }

    // docs L3003–3007: storage "Possible values: none … conversation"; a request without it is stored and answered
    // as none (L3006: the conversation shows the default "Proactive message was sent to the user").
    @Test(arguments: [("conversation", "conversation"), ("none", "none"), (nil, "none")] as [(String?, String)])
    func storage_IsEchoed_AndDefaultsToNone(sent: String?, answered: String) throws {
        let emulator = try TestEmulator()
        let id = emulator.outboundRequest(Outbound.template([("storage", sent.map { .string($0) })]))
        let template = emulator.outboundMessages(id).first?["data"]?["message_template"]
        #expect(template?["storage"] == .string(answered))
        #expect(template?.objectValue?.keys.first == "storage")
    }

    // docs L2983: data is the message template object; members the docs do not define are not kept, the documented
    // ones come back in the examples' order (L3278: storage, template_name, namespace, language, rich_template_data;
    // L3262: button { subType, params }).
    @Test func messageTemplate_KeepsOnlyDocumentedMembers_InTheDocsOrder() throws {
        let emulator = try TestEmulator()
        let body = Outbound.using(
            "sample_dynamic_button", code: "en",
            rich: ["button": ["params": Outbound.params(1), "extra": 1, "subType": "url"], "footer": ["x": 1]]
        ).setting("data.message_template.colour", "blue").setting("data.message_template.language.extra", true)
        let id = emulator.outboundRequest(body)
        let template = emulator.outboundMessages(id).first?["data"]?["message_template"]
        #expect(
            template
                == [
                    "storage": "none", "template_name": "sample_dynamic_button",
                    "namespace": .string(Outbound.namespace),
                    "language": ["policy": "deterministic", "code": "en"],
                    "rich_template_data": ["button": ["subType": "url", "params": [["data": "p1"]]]],
                ])
        try emulator.advance()
        #expect(emulator.outboundStatuses(id) == ["Sent"])
    }

    // docs L3088: the object example used as a payload carries message_id, request_id, status, created_on and
    // failure_*; these are response attributes (L2978, L2984, L2991–2993) and the emulator assigns its own.
    @Test func responseAttributesInTheRequest_AreIgnored() throws {
        let emulator = try TestEmulator()
        let body = Outbound.make([
            ("message_id", "5841b28c-7869-474f-9b25-c2b1ba9aa7b9"),
            ("request_id", "5841b28c-7869-474f-9b25-c2b1ba9aa7b9"),
            ("status", "Failed"), ("created_on", 1_566_970_961), ("failure_code", "OBM001"),
        ])
        let id = emulator.outboundRequest(body)
        #expect(id != "5841b28c-7869-474f-9b25-c2b1ba9aa7b9")
        let message = emulator.outboundMessages(id).first ?? .null
        #expect(message["message_id"] != "5841b28c-7869-474f-9b25-c2b1ba9aa7b9")
        #expect(message["status"] == "Accepted")
        #expect(message["created_on"] == .integer(TestEmulator.start / 1000))
        #expect(message["failure_code"] == nil)
    }
}
