import HTTP
import Testing

@testable import FreshchatEmulator

/// docs L3268: "If the request to send a templated message contains an incorrect template name, the request fails. If
/// a template with the name specified in the request is approved, you can send a message with the approved template
/// name only after 30 minutes from the initial failure." A message with a template name requested less than 30
/// minutes (Clock time) after a message with that name failed OBM001 is accepted (202) and then Failed with OBM004.
@Suite struct OutboundMessagesRuleTests {
    /// `order_update` with its two body params.
    static let orderUpdate = Outbound.using("order_update", rich: ["body": ["params": Outbound.params(2)]])

    /// An emulator whose `order_update` failed OBM001 at start + 1 s (it was pending) and was then approved.
    static func failedThenApproved() throws -> TestEmulator {
        let emulator = try TestEmulator.with(templates: [Outbound.orderUpdate(status: "PENDING")])
        #expect(try emulator.outcome(of: orderUpdate) == "OBM001")
        try emulator.setTemplateStatus("order_update", "APPROVED")
        return emulator
    }

    /// The time of the failure in `failedThenApproved`.
    static let failedOn = TestEmulator.start + 1_000

    // docs L3268: "only after 30 minutes from the initial failure" — at 29:59 and 29:59.999 after it still Failed
    // (OBM004), from 30:00 on Sent.
    @Test(
        arguments: [
            (1_799_000, "OBM004"), (1_799_999, "OBM004"), (1_800_000, "Sent"), (3_600_000, "Sent"),
        ] as [(Int64, String)])
    func approvedTemplate_IsSent_Only30MinutesAfterTheFailure(after offset: Int64, expected: String) throws {
        let emulator = try Self.failedThenApproved()
        try emulator.advance(milliseconds: Self.failedOn + offset - emulator.clock.now)
        #expect(emulator.clock.now == Self.failedOn + offset)
        #expect(try emulator.outcome(of: Self.orderUpdate) == expected)
    }

    // The OBM004 reason names the failure and when the template can be used again.
    @Test func blockedMessage_SaysWhenTheTemplateCanBeUsedAgain() throws {
        let emulator = try Self.failedThenApproved()
        let id = emulator.outboundRequest(Self.orderUpdate)
        try emulator.advance()
        let failure = emulator.outboundFailure(id)
        #expect(failure?.code == "OBM004")
        #expect(
            failure?.reason
                == "template order_update failed at 2024-01-15T10:00:01.000Z; a message with it can be sent only after"
                + " 30 minutes from that failure, from 2024-01-15T10:30:01.000Z")
    }

    // docs L3268: the rule is about the template *name*: a failure of hello_world in a language it does not have
    // blocks the approved hello_world en_US; another template name is not blocked.
    @Test func theRule_IsKeyedOnTheTemplateName() throws {
        let emulator = try TestEmulator()
        #expect(try emulator.outcome(of: Outbound.template([("language.code", "en")])) == "OBM001")
        #expect(try emulator.outcome(of: Outbound.make()) == "OBM004")
        let shipping = Outbound.using(
            "shipping_update_1",
            rich: [
                "header": ["type": "image", "media_url": "https://sample.in/a.jpg"],
                "body": ["params": Outbound.params(1)],
            ])
        #expect(try emulator.outcome(of: shipping) == "Sent")
    }

    // docs L3268: "from the initial failure" — failing again inside the window does not move it.
    @Test func failingAgainInsideTheWindow_DoesNotExtendIt() throws {
        let emulator = try Self.failedThenApproved()
        try emulator.advance(milliseconds: 20 * 60_000)
        let unknownLanguage = Self.orderUpdate.setting("data.message_template.language.code", "de")
        #expect(try emulator.outcome(of: unknownLanguage) == "OBM001")
        try emulator.advance(milliseconds: Self.failedOn + OutboundMessage.blockMillis - emulator.clock.now)
        #expect(try emulator.outcome(of: Self.orderUpdate) == "Sent")
    }

    // After the window, a new failure of the name is a new initial failure and opens a new window.
    @Test func aFailureAfterTheWindow_OpensANewWindow() throws {
        let emulator = try Self.failedThenApproved()
        try emulator.advance(milliseconds: Self.failedOn + OutboundMessage.blockMillis - emulator.clock.now)
        let unknownLanguage = Self.orderUpdate.setting("data.message_template.language.code", "de")
        #expect(try emulator.outcome(of: unknownLanguage) == "OBM001")
        let secondFailure = emulator.clock.now
        try emulator.advance(milliseconds: OutboundMessage.blockMillis - 1_000 - 1)
        #expect(try emulator.outcome(of: Self.orderUpdate) == "OBM004")
        try emulator.advance(milliseconds: secondFailure + OutboundMessage.blockMillis - emulator.clock.now)
        #expect(try emulator.outcome(of: Self.orderUpdate) == "Sent")
    }

    // docs L3268 is about "an incorrect template name": a params count mismatch (OBM002) or a header mismatch
    // (OBM003) opens no window.
    @Test func otherFailures_OpenNoWindow() throws {
        let emulator = try TestEmulator()
        let twoBodyParams = Outbound.make([("data.message_template.rich_template_data.body.params", Outbound.params(2))]
        )
        #expect(try emulator.outcome(of: twoBodyParams) == "OBM002")
        let imageHeader = Outbound.make([
            ("data.message_template.rich_template_data.header", ["type": "image", "media_url": "https://sample.in/a"])
        ])
        #expect(try emulator.outcome(of: imageHeader) == "OBM003")
        #expect(try emulator.outcome(of: Outbound.make()) == "Sent")
    }

    // docs L3268: "you can send a message with the approved template name only after 30 minutes from the initial
    // failure" — a message requested just before the failure, and handed to the provider after it, was not requested
    // 30 minutes after the failure either: it is blocked too.
    @Test func aMessageRequestedJustBeforeTheFailure_IsBlocked() throws {
        let emulator = try TestEmulator()
        let failing = emulator.outboundRequest(Outbound.template([("language.code", "en")]))
        try emulator.advance(milliseconds: 500)
        let correct = emulator.outboundRequest()
        try emulator.advance(milliseconds: 500)
        #expect(emulator.outboundFailure(failing)?.code == "OBM001")
        #expect(emulator.outboundStatuses(correct) == ["Accepted"])
        try emulator.advance(milliseconds: 500)
        #expect(emulator.outboundFailure(correct)?.code == "OBM004")
    }

    // docs L3268: "only after 30 minutes"; ARCHITECTURE.md: "every timestamp comes from Clock". Retrying does not
    // open the template again; setting the Clock to 30 minutes after the failure does.
    @Test func theWindow_IsClockTime() throws {
        let emulator = try Self.failedThenApproved()
        for _ in 0..<3 {
            #expect(try emulator.outcome(of: Self.orderUpdate) == "OBM004")
        }
        emulator.clock.set(Self.failedOn + OutboundMessage.blockMillis)
        #expect(try emulator.outcome(of: Self.orderUpdate) == "Sent")
    }
}
