import HTTP
import Testing

@testable import FreshchatEmulator

/// The send step checks each message against the account's approved templates (seed/whatsapp_templates.json):
/// unknown or unapproved → OBM001, header of another kind → OBM003, a params count that does not match → OBM002.
/// The request itself is answered 202; the failure shows on the message one async delay later.
@Suite struct OutboundMessagesTemplateTests {
    /// The docs' payload examples, verbatim.
    enum DocsExample {
        /// docs L2974 (the object example; L3088 is the same).
        static let object = """
            { "message_id": "5841b28c-7869-474f-9b25-c2b1ba9aa7b9", "from": { "phone_number": "+919999999999" }, "provider": "whatsapp", "to": [ { "phone_number": "+919999999999" } ], "data": { "message_template": { "storage": "conversation", "template_name": "shipping_update", "namespace": "XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX", "language": { "policy": "deterministic", "code": "en_US" }, "rich_template_data": { "body": { "params": [{ "data": "Username"} ] } } } }, "request_id": "5841b28c-7869-474f-9b25-c2b1ba9aa7b9", "status": "Failed", "created_on": 1566970961, "failure_code": "OBM001", "failure_reason": "no template exists" }
            """
        /// docs L3152: quick reply buttons.
        static let quickReply = """
            { "from": { "phone_number": "+919999999999" }, "provider": "whatsapp", "to": [{ "phone_number": "+919999999999"}], "data": { "message_template": { "storage": "conversation", "template_name": "shipping_update_2", "namespace": "XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX", "language": { "policy": "deterministic", "code": "en_US" }, "rich_template_data": { "body": { "params": [{ "data": "Username"} ] } } } } }
            """
        /// docs L3184: rich media with interactive buttons (no provider, a leading space in the name).
        static let richMedia = """
            { "from": { "phone_number": "+919999999999"}, "to": [{ "phone_number": "+919999999999"}], "data": { "message_template": { "storage": "none", "namespace": "XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX", "template_name": " shipping_update_3", "language": { "policy": "deterministic", "code": "en_US" }, "rich_template_data": { "header": { "type": "image", "media_url": "https://sample.in/sample.jpg" }, "body": { "params": [{ "data": "Username"} ]} } } } }
            """
        /// docs L3262: dynamic URL button (no provider).
        static let dynamicButton = """
            { "from": { "phone_number": "+919999999999" }, "to": [ { "phone_number": "+919999999999" } ], "data": { "message_template": { "storage": "none", "namespace": "XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX", "template_name": "sample_dynamic_button", "language": { "policy": "deterministic", "code": "en" }, "rich_template_data": { "button": { "subType": "url", "params": [ { "data": "live-chat-software" } ] } } } } }
            """
        /// docs L3122: image and text — not JSON (no comma after the language object).
        static let imageAndText = """
            { "from": { "phone_number": "+919999999999" }, "to": [{ "phone_number": "+919999999999" }], "data": { "message_template": { "storage": "none", "namespace": "XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX", "template_name": "shipping_update_1", "language": { "policy": "deterministic", "code": "en_US" } "rich_template_data": { "header": { "type": "image", "media_url": "https://sample.in/sample.jpg" }, "body": { "params": [{ "data": "Username"} ] } } } } }
            """

        static func parsed(_ text: String) -> JSONValue { (try? JSONParser.parse(text)) ?? .null }
    }

    /// rich_template_data bodies for the seeded templates.
    enum Rich {
        /// A text header with `text` params or a `media` header (image, video, document), a body with `body` params
        /// and a button with `button` params; nil leaves the component out.
        static func make(text: Int? = nil, media: String? = nil, body: Int? = nil, button: Int? = nil) -> JSONValue {
            var rich = JSONObject()
            if let text { rich["header"] = ["type": "text", "params": Outbound.params(text)] }
            if let media { rich["header"] = ["type": .string(media), "media_url": "https://sample.in/media"] }
            if let body { rich["body"] = ["params": Outbound.params(body)] }
            if let button { rich["button"] = ["subType": "url", "params": Outbound.params(button)] }
            return .object(rich)
        }

        /// A request for seeded template `name` (in its seeded language) with `rich`.
        static func using(_ name: String, _ rich: JSONValue) -> JSONValue {
            Outbound.using(name, code: name == "sample_dynamic_button" ? "en" : "en_US", rich: rich)
        }
    }

    // MARK: - OBM001: no template exists

    // docs L2974, L3088: the examples' template (namespace XXXXXXXX_…, shipping_update) is not the account's, and the
    // message is "status": "Failed", "failure_code": "OBM001", "failure_reason": "no template exists"; so is L3152's.
    @Test(arguments: [DocsExample.object, DocsExample.quickReply])
    func docsExamples_AreAccepted_AndFailWithOBM001(body: String) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.post, Outbound.path, body: body)
        #expect(response.code == 202, "\(response.text)")
        let id = response.json["request_id"]?.stringValue ?? ""
        #expect(emulator.outboundStatuses(id) == ["Accepted"])
        try emulator.advance()
        let failure = emulator.outboundFailure(id)
        #expect(failure?.code == "OBM001")
        #expect(failure?.reason == "no template exists")
    }

    // docs L2980: "providermandatory" — the examples at L3184 and L3262 leave it out and are refused; with provider
    // they are accepted and fail with OBM001 (their namespace is the docs' placeholder).
    @Test(arguments: [DocsExample.richMedia, DocsExample.dynamicButton])
    func docsExamplesWithoutProvider_Are400_AndWithProviderFailWithOBM001(body: String) throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.send(.post, Outbound.path, body: body), 400, "BAD_REQUEST", mentioning: "provider is mandatory")
        let fixed = DocsExample.parsed(body).setting("provider", "whatsapp")
        #expect(try emulator.outcome(of: fixed) == "OBM001")
    }

    // docs L3122 is not JSON (a comma is missing after the language object): 400 naming the body.
    @Test func docsImageExample_IsNotJSON_400() throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.send(.post, Outbound.path, body: DocsExample.imageAndText), 400, "BAD_REQUEST",
            mentioning: "not valid JSON")
    }

    // docs L3009: template_name "Identifier of a template within a namespace"; L3012: namespace; L3015–3022: the
    // language code. A template is found by all three, exactly as seeded (L3184's " shipping_update_3" keeps its
    // leading space and matches nothing).
    @Test(arguments: [
        ("template_name", "hello_world_2"), ("template_name", "Hello_World"), ("template_name", " hello_world"),
        ("namespace", "XXXXXXXX_XXXX_XXXX_XXXX_XXXXXXXXXXXX"), ("language.code", "en"), ("language.code", "en_us"),
    ])
    func unknownTemplate_FailsWithOBM001(member: String, value: String) throws {
        let emulator = try TestEmulator()
        #expect(try emulator.outcome(of: Outbound.template([(member, .string(value))])) == "OBM001")
    }

    // docs L2927: "After the provider approves the template, Freshchat provides the template identifier and namespace
    // obtained from the third-party provider"; a template the provider has not approved cannot be sent.
    @Test(arguments: ["PENDING", "REJECTED", "approved"])
    func unapprovedTemplate_FailsWithOBM001(status: String) throws {
        let emulator = try TestEmulator.with(templates: [Outbound.orderUpdate(status: status)])
        let body = Outbound.using("order_update", rich: ["body": ["params": Outbound.params(2)]])
        #expect(try emulator.outcome(of: body) == "OBM001")
        try emulator.setTemplateStatus("order_update", "APPROVED")
        emulator.clock.advance(by: OutboundMessage.blockMillis)
        #expect(try emulator.outcome(of: body) == "Sent", "approved, and 30 minutes later (docs L3268)")
    }

    // MARK: - Matching templates are sent

    // docs L3278 (hello_world: a text header and a body, one param each), L3122 (shipping_update_1: an image header
    // and one body param), L3262 (sample_dynamic_button: one button param), with the account's namespace.
    @Test(arguments: [
        ("hello_world", Rich.make(text: 1, body: 1)), ("shipping_update_1", Rich.make(media: "image", body: 1)),
        ("sample_dynamic_button", Rich.make(button: 1)), ("sample_dynamic_button", Rich.make(body: 0, button: 1)),
    ])
    func matchingTemplate_IsSent(name: String, rich: JSONValue) throws {
        let emulator = try TestEmulator()
        #expect(try emulator.outcome(of: Rich.using(name, rich)) == "Sent")
    }

    // MARK: - OBM002: parameter count

    // docs L3041–3052: "The template message is: Hi {{1}}, your order no. {{2}} has been placed." takes one value
    // per placeholder. A count that differs from the template's fails with OBM002, naming the component.
    @Test(arguments: [
        ("hello_world", Rich.make(text: 1, body: 2), "body has 2 params, the template expects 1"),
        ("hello_world", Rich.make(text: 1, body: 0), "body has 0 params, the template expects 1"),
        ("hello_world", Rich.make(text: 1), "body has 0 params, the template expects 1"),
        ("hello_world", Rich.make(text: 2, body: 1), "header has 2 params, the template expects 1"),
        ("hello_world", Rich.make(text: 0, body: 1), "header has 0 params, the template expects 1"),
        ("hello_world", Rich.make(body: 1), "header has 0 params, the template expects 1"),
        ("hello_world", Rich.make(text: 1, body: 1, button: 1), "button has 1 params, the template expects 0"),
        ("shipping_update_1", Rich.make(media: "image", body: 2), "body has 2 params, the template expects 1"),
        ("sample_dynamic_button", Rich.make(button: 0), "button has 0 params, the template expects 1"),
        ("sample_dynamic_button", Rich.make(), "button has 0 params, the template expects 1"),
        ("sample_dynamic_button", Rich.make(body: 1, button: 1), "body has 1 params, the template expects 0"),
    ])
    func paramsCountMismatch_FailsWithOBM002(name: String, rich: JSONValue, reason: String) throws {
        let emulator = try TestEmulator()
        let id = emulator.outboundRequest(Rich.using(name, rich))
        try emulator.advance()
        let failure = emulator.outboundFailure(id)
        #expect(failure?.code == "OBM002")
        #expect(failure?.reason == "parameter count mismatch: \(reason)")
    }

    // MARK: - OBM003: header kind

    // docs L3027–3030: the header is text (params) or an image, document or video (media_url). A header of another
    // kind than the template's, a missing media header, or a header for a template without one fails with OBM003.
    @Test(arguments: [
        ("hello_world", Rich.make(media: "image", body: 1), "an image header, the template a text header"),
        ("shipping_update_1", Rich.make(body: 1), "no header, the template an image header"),
        ("shipping_update_1", Rich.make(media: "video", body: 1), "a video header, the template an image header"),
        ("shipping_update_1", Rich.make(text: 0, body: 1), "a text header, the template an image header"),
        ("sample_dynamic_button", Rich.make(text: 0, button: 1), "a text header, the template no header"),
        ("sample_dynamic_button", Rich.make(media: "document", button: 1), "a document header, the template no header"),
    ])
    func headerOfAnotherKind_FailsWithOBM003(name: String, rich: JSONValue, reason: String) throws {
        let emulator = try TestEmulator()
        let id = emulator.outboundRequest(Rich.using(name, rich))
        try emulator.advance()
        let failure = emulator.outboundFailure(id)
        #expect(failure?.code == "OBM003")
        #expect(failure?.reason == "header mismatch: the request has \(reason)")
    }

    // MARK: - The deprecated template_data

    // docs L3023–3024: "template_dataDEPRECATED … exists only for backward compatibility. To specify the values that
    // are used to populate the variable parameters in a plain text message, use the rich_template_data attribute" —
    // a request that still sends only template_data has them read as the body params, and gets them back.
    @Test func templateData_WithoutRichTemplateData_IsReadAsTheBodyParams() throws {
        let emulator = try TestEmulator.with(templates: [Outbound.orderUpdate()])
        let body = Outbound.template([
            ("template_name", "order_update"), ("rich_template_data", nil), ("template_data", Outbound.params(2)),
        ])
        let id = emulator.outboundRequest(body)
        let template = emulator.outboundMessages(id).first?["data"]?["message_template"]
        #expect(template?["template_data"] == [["data": "p1"], ["data": "p2"]])
        #expect(template?["rich_template_data"] == nil)
        try emulator.advance()
        #expect(emulator.outboundStatuses(id) == ["Sent"])
        let short = body.setting("data.message_template.template_data", Outbound.params(1))
        #expect(try emulator.outcome(of: short) == "OBM002")
    }

    // docs L3025: "rich_template_dataMANDATORY" — when both are sent, rich_template_data gives the params and
    // template_data is only echoed.
    @Test func templateData_IsIgnored_WhenRichTemplateDataIsSent() throws {
        let emulator = try TestEmulator.with(templates: [Outbound.orderUpdate()])
        let rich: JSONValue = ["body": ["params": Outbound.params(2)]]
        let body = Outbound.using("order_update", rich: rich).setting(
            "data.message_template.template_data", Outbound.params(1))
        let id = emulator.outboundRequest(body)
        let template = emulator.outboundMessages(id).first?["data"]?["message_template"]
        #expect(template?.objectValue?.keys.suffix(2) == ["template_data", "rich_template_data"])
        try emulator.advance()
        #expect(emulator.outboundStatuses(id) == ["Sent"])
        let mismatched = body.setting("data.message_template.rich_template_data.body.params", Outbound.params(1))
        #expect(try emulator.outcome(of: mismatched) == "OBM002")
    }
}
