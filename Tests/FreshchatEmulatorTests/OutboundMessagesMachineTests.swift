import Testing

@testable import FreshchatEmulator

/// The outbound message lifecycle as a pure state machine (docs L2985–2990) and the sending rules, without store or
/// clock.
@Suite struct OutboundMessagesMachineTests {
    typealias Machine = OutboundMessage.Machine
    static let failure = OutboundMessage.Failure.noTemplate

    // docs L2987–2989: Accepted → Sent → Delivered.
    @Test func machine_GoesAcceptedSentDelivered() {
        var machine = Machine()
        #expect(machine.status == .accepted)
        #expect(machine.send(failing: nil) == .sent)
        #expect(machine.status == .sent)
        #expect(machine.deliver() == .delivered)
        #expect(machine == Machine(.delivered))
    }

    // docs L2990: "Failed: Message delivery failed. If status is failed, the failure_code and failure_reason
    // attributes are present".
    @Test func machine_Fails_WithTheFailure() {
        var machine = Machine()
        #expect(machine.send(failing: Self.failure) == .failed(Self.failure))
        #expect(machine.status == .failed)
        #expect(machine.failure == Self.failure)
    }

    // Each step starts from one state only; anywhere else it does nothing and changes nothing.
    @Test(arguments: OutboundMessage.Status.allCases)
    func machine_IgnoresStepsFromOtherStates(status: OutboundMessage.Status) {
        let start = Machine(status, failure: status == .failed ? Self.failure : nil)
        var machine = start
        if status != .accepted {
            #expect(machine.send(failing: nil) == nil)
            #expect(machine.send(failing: Self.failure) == nil)
            #expect(machine == start)
        }
        if status != .sent {
            #expect(machine.deliver() == nil)
            #expect(machine == start)
        }
    }

    // docs L2990: the failure attributes belong to Failed messages only.
    @Test func machine_KeepsAFailure_OnlyWhenFailed() {
        #expect(Machine(.sent, failure: Self.failure).failure == nil)
        #expect(Machine(.failed, failure: Self.failure).failure == Self.failure)
    }

    // docs L2990: "If status is failed, the failure_code and failure_reason attributes are present in the response
    // object" — the message's `machine` writes its status and failure, and `json` shows them.
    @Test func message_Machine_UpdatesTheMessage() {
        var message = Self.message(createdOn: 0)
        #expect(message.machine.send(failing: Self.failure) != nil)
        #expect(message.status == .failed)
        #expect(message.failure == Self.failure)
        #expect(message.json["failure_code"] == "OBM001")
    }

    // MARK: - Sending rules

    static func message(createdOn: Int64, header: OutboundMessage.MessageTemplate.Header? = nil) -> OutboundMessage {
        let template = OutboundMessage.MessageTemplate(
            storage: .none, templateName: "t", namespace: "n", language: .init(policy: "deterministic", code: "en"),
            templateData: nil, richTemplateData: .init(header: header, body: .init(params: ["a"]), button: nil))
        return OutboundMessage(
            messageID: "m", requestID: "r", from: "+919999999999", provider: "whatsapp", to: "+14155550100",
            messageTemplate: template, status: .accepted, createdOn: createdOn)
    }

    static func template(status: String = "APPROVED", bodyParams: Int64 = 1) -> WhatsAppTemplate? {
        WhatsAppTemplate(json: [
            "template_name": "t", "namespace": "n", "language_code": "en", "status": .string(status), "header": .null,
            "body": ["text": "{{1}}", "params_count": .integer(bodyParams)], "button": .null,
        ])
    }

    // docs L2974: no template → OBM001 "no template exists"; an unapproved one too (docs L2927).
    @Test func failure_IsNoTemplate_WhenMissingOrUnapproved() {
        let message = Self.message(createdOn: 0)
        #expect(message.failure(template: nil, lastFailure: nil) == .noTemplate)
        #expect(message.failure(template: Self.template(status: "PENDING"), lastFailure: nil) == .noTemplate)
        #expect(message.failure(template: Self.template(), lastFailure: nil) == nil)
    }

    // docs L3268: "only after 30 minutes from the initial failure", to the millisecond.
    @Test func failure_IsBlocked_UntilThirtyMinutesAfterTheLastFailure() {
        let failedOn: Int64 = 1_000_000
        let block = OutboundMessage.blockMillis
        #expect(block == 1_800_000)
        #expect(
            Self.message(createdOn: failedOn + block - 1).failure(template: Self.template(), lastFailure: failedOn)?
                .code == "OBM004")
        #expect(
            Self.message(createdOn: failedOn + block).failure(template: Self.template(), lastFailure: failedOn) == nil)
    }

    // docs L3028: header type "text, image, document, video"; seed/README.md: the template shape. A seeded document
    // that is not a template is no template; only APPROVED (exactly) is approved (docs L2927).
    @Test func whatsAppTemplate_RejectsBrokenSeedDocuments() {
        #expect(WhatsAppTemplate(json: ["namespace": "n", "language_code": "en"]) == nil)
        #expect(
            WhatsAppTemplate(json: [
                "template_name": "t", "namespace": "n", "language_code": "en", "header": ["type": "location"],
            ]) == nil)
        #expect(Self.template()?.isApproved == true)
        #expect(Self.template(status: "approved")?.isApproved == false)
    }
}
