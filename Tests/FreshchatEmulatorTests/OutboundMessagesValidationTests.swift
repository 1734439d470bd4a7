import HTTP
import Testing

@testable import FreshchatEmulator

/// The request rules of `POST /v2/outbound-messages/whatsapp` (docs L2978–3052): each broken rule is a 400 naming
/// the field by its dotted path, and nothing is stored or queued. Each rule is also shown passing at its edge.
@Suite struct OutboundMessagesValidationTests {
    /// Sends the docs' request with `changes`; expects a 400 whose message mentions `mentioning`, and that nothing
    /// was stored or queued.
    func expectRefused(
        _ changes: [(String, JSONValue?)], mentioning: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.sendOutbound(Outbound.make(changes)), 400, "BAD_REQUEST", mentioning: mentioning,
            sourceLocation: sourceLocation)
        let list = emulator.listOutbound("/v2/outbound-messages", sourceLocation: sourceLocation)
        #expect(list["outbound_messages"] == [], sourceLocation: sourceLocation)
        #expect(try emulator.advance(milliseconds: 10_000) == 0, "nothing queued", sourceLocation: sourceLocation)
    }

    /// Sends the docs' request with `changes`; expects 202.
    func expectAccepted(_ changes: [(String, JSONValue?)], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let emulator = try TestEmulator()
        let response = emulator.sendOutbound(Outbound.make(changes))
        #expect(response.code == 202, "\(response.text)", sourceLocation: sourceLocation)
    }

    // MARK: - The body

    // The request body is the outbound message object (docs L3278): a JSON object.
    @Test(arguments: ["", "[]", "nope", "\"text\""])
    func body_ThatIsNotAJSONObject_Is400(body: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.post, Outbound.path, body: body), 400, "BAD_REQUEST", mentioning: "body")
    }

    // MARK: - from, provider, to, data (docs L2979–2983)

    // docs L2979: "from mandatory user handle object Business number integrated with the Freshchat account".
    @Test(
        arguments: [
            ("from", nil, "from is mandatory"), ("from", "+919999999999", "from must be an object"),
            ("from.phone_number", nil, "from.phone_number is mandatory"),
            ("from.phone_number", 919_999_999_999, "from.phone_number must be a string"),
            ("from.phone_number", "919999999999", "from.phone_number must be an E.164 number"),
            (
                "from.phone_number", "+919999999998",
                "from.phone_number: +919999999998 is not a WhatsApp business number"
            ),
        ] as [(String, JSONValue?, String)])
    func from_IsRefused(member: String, value: JSONValue?, mentioning: String) throws {
        try expectRefused([(member, value)], mentioning: mentioning)
    }

    // docs L2980–2981: "providermandatory string … Possible value: whatsapp" — exactly.
    @Test(
        arguments: [
            (nil, "provider is mandatory"), ("WhatsApp", "provider must be whatsapp"),
            ("sms", "provider must be whatsapp"),
            ("", "provider must be whatsapp"), (1, "provider must be a string"),
        ] as [(JSONValue?, String)])
    func provider_IsRefused(value: JSONValue?, mentioning: String) throws {
        try expectRefused([("provider", value)], mentioning: mentioning)
    }

    // docs L2982: "tomandatory array of user handle objects" — the list example's single object (L3372) is an
    // answer shape, not a request.
    @Test(
        arguments: [
            (nil, "to is mandatory"), (["phone_number": "+919999999999"], "to must be an array"),
            ([], "to must hold at least one recipient"), (["+919999999999"], "to[0] must be a user handle object"),
            ([[:]], "to[0].phone_number is mandatory"),
            (
                [["phone_number": "+919999999999"], ["phone_number": "12345"]],
                "to[1].phone_number must be an E.164 number"
            ),
        ] as [(JSONValue?, String)])
    func to_IsRefused(value: JSONValue?, mentioning: String) throws {
        try expectRefused([("to", value)], mentioning: mentioning)
    }

    // docs L2998: phone_number "Number from or to which messages are sent." — E.164 as every docs number is written
    // (+919999999999): a + and 8 to 15 digits, the first not 0.
    @Test(arguments: [
        "+1234567", "+1234567890123456", "919999999999", "+0919999999", "+91 9999999999", "+91-999-999-9999",
        "++919999999999", "", "+", "+9199999999a9", "+９１９９９９９９９９９９", " +919999999999",
    ])
    func phoneNumber_ThatIsNotE164_IsRefused(number: String) throws {
        try expectRefused([("to[0].phone_number", .string(number))], mentioning: "to[0].phone_number must be an E.164")
    }

    // The edges that pass: 8 and 15 digits.
    @Test(arguments: ["+12345678", "+123456789012345", "+14155550100"])
    func phoneNumber_OfE164Length_IsAccepted(number: String) throws {
        try expectAccepted([("to[0].phone_number", .string(number))])
    }

    // docs L2983: "datamandatory data object … specified as a message template object".
    @Test(
        arguments: [
            ("data", nil, "data is mandatory"), ("data", "x", "data must be an object"),
            ("data.message_template", nil, "data.message_template is mandatory"),
            ("data.message_template", [], "data.message_template must be an object"),
        ] as [(String, JSONValue?, String)])
    func data_IsRefused(member: String, value: JSONValue?, mentioning: String) throws {
        try expectRefused([(member, value)], mentioning: mentioning)
    }

    // MARK: - The message template object (docs L3003–3024)

    // docs L3005: storage "Possible values: none … conversation"; docs L3009/L3012: "template_namemandatory",
    // "namespacemandatory"; L3015–3022: "languagemandatory", policy "Possible value: deterministic", code.
    @Test(
        arguments: [
            ("storage", "both", "data.message_template.storage must be none or conversation"),
            ("storage", "None", "data.message_template.storage must be none or conversation"),
            ("storage", true, "data.message_template.storage must be a string"),
            ("template_name", nil, "data.message_template.template_name is mandatory"),
            ("template_name", "", "data.message_template.template_name must not be empty"),
            ("template_name", 5, "data.message_template.template_name must be a string"),
            ("namespace", nil, "data.message_template.namespace is mandatory"),
            ("namespace", "", "data.message_template.namespace must not be empty"),
            ("language", nil, "data.message_template.language is mandatory"),
            ("language", "en_US", "data.message_template.language must be an object"),
            ("language.policy", nil, "data.message_template.language.policy is mandatory"),
            ("language.policy", "fallback", "data.message_template.language.policy must be deterministic"),
            ("language.policy", "Deterministic", "data.message_template.language.policy must be deterministic"),
            ("language.code", nil, "data.message_template.language.code is mandatory"),
            ("language.code", "", "data.message_template.language.code must not be empty"),
            ("template_data", "x", "data.message_template.template_data must be an array"),
            ("template_data", [["data": 1]], "data.message_template.template_data[0].data must be a string"),
        ] as [(String, JSONValue?, String)])
    func messageTemplate_IsRefused(member: String, value: JSONValue?, mentioning: String) throws {
        try expectRefused([("data.message_template." + member, value)], mentioning: mentioning)
    }

    // docs L3025: "rich_template_dataMANDATORY" — unless the deprecated template_data (L3023) is sent instead.
    @Test func richTemplateData_IsMandatory_WithoutTemplateData() throws {
        try expectRefused(
            [("data.message_template.rich_template_data", nil)],
            mentioning: "data.message_template.rich_template_data is mandatory")
        try expectRefused(
            [("data.message_template.rich_template_data", "text")],
            mentioning: "data.message_template.rich_template_data must be an object")
        try expectAccepted([
            ("data.message_template.rich_template_data", nil), ("data.message_template.template_data", []),
        ])
    }

    // MARK: - The rich media template data object (docs L3025–3031, L3262)

    // docs L3027–3030: header type "text, image, document, video"; media_url for image, video and document;
    // params "if header.type is text"; L3033–3038: params are data objects {"data": "<variableParam1>"}.
    @Test(
        arguments: [
            ("header", "text", "rich_template_data.header must be an object"),
            ("header.type", nil, "rich_template_data.header.type is mandatory"),
            ("header.type", "location", "rich_template_data.header.type must be one of text, image, video, document"),
            ("header.type", "TEXT", "rich_template_data.header.type must be one of text, image, video, document"),
            ("header.media_url", "https://sample.in/sample.jpg", "rich_template_data.header.media_url is for image"),
            ("header.params", "John Doe", "rich_template_data.header.params must be an array"),
            ("header.params", ["John Doe"], "rich_template_data.header.params[0] must be a data object"),
            ("header.params", [[:]], "rich_template_data.header.params[0].data is mandatory"),
            ("header.params", [["data": 1]], "rich_template_data.header.params[0].data must be a string"),
            ("body", [], "rich_template_data.body must be an object"),
            ("body.params", [["data": "XYZ"], ["data": .null]], "rich_template_data.body.params[1].data is mandatory"),
            ("body.params", [["value": "XYZ"]], "rich_template_data.body.params[0].data is mandatory"),
            ("button.subType", 1, "rich_template_data.button.subType must be a string"),
            ("button.params", [["data": "a"], ["data": "b"]], "rich_template_data.button.params must hold at most 1"),
        ] as [(String, JSONValue?, String)])
    func richTemplateData_IsRefused(member: String, value: JSONValue?, mentioning: String) throws {
        try expectRefused(
            [("data.message_template.rich_template_data." + member, value)],
            mentioning: "data.message_template." + mentioning)
    }

    // docs L3029: media_url "Link to the location from where the image, video, or document to be attached is
    // fetched" — mandatory for those headers, an http(s) URL (L3122: https://sample.in/sample.jpg); params are for
    // text headers only (L3030).
    @Test(arguments: ["image", "video", "document"])
    func mediaHeader_NeedsAWebMediaURL_AndNoParams(type: String) throws {
        let header = "data.message_template.rich_template_data.header"
        let path = "data.message_template.rich_template_data.header.media_url"
        try expectRefused([("\(header)", ["type": .string(type)])], mentioning: "\(path) is mandatory for header type")
        for url in ["ftp://sample.in/a", "sample.in/a.jpg", "https://", "https:///a.jpg", "https://sample.in/a b"] {
            try expectRefused(
                [("\(header)", ["type": .string(type), "media_url": .string(url)])],
                mentioning: "\(path) must be an http or https URL")
        }
        try expectRefused(
            [("\(header)", ["type": .string(type), "media_url": "https://sample.in/a", "params": []])],
            mentioning: "\(header).params is for text headers only")
        for url in ["https://sample.in/sample.jpg", "http://sample.in/a.pdf", "HTTPS://SAMPLE.IN/A.MP4"] {
            try expectAccepted([("\(header)", ["type": .string(type), "media_url": .string(url)])])
        }
    }

    // docs L3218: "only one placeholder can be added" to a dynamic URL button — one param passes.
    @Test func button_WithOneParam_IsAccepted() throws {
        try expectAccepted([
            ("data.message_template.rich_template_data.button", ["subType": "url", "params": Outbound.params(1)])
        ])
    }

    // The optional members may be left out: storage (L3003), header params (L3030), body params, the components.
    @Test(arguments: [
        "data.message_template.storage", "data.message_template.rich_template_data.header.params",
        "data.message_template.rich_template_data.body.params", "data.message_template.rich_template_data.header",
        "data.message_template.rich_template_data.body",
    ])
    func optionalMember_MayBeLeftOut(member: String) throws {
        try expectAccepted([(member, nil)])
    }
}
