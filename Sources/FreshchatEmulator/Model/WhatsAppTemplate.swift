/// A WhatsApp message template of the account, as seeded (seed/whatsapp_templates.json). The docs have no template
/// object: a business submits templates, the provider approves them, and Freshchat gives the business "the template
/// identifier and namespace" (docs L2927). What an outbound message is checked against: the kind of header and the
/// number of placeholders of each component.
struct WhatsAppTemplate: Sendable, Equatable {
    /// The header: its type and how many placeholders its text has (0 for media headers).
    struct Header: Sendable, Equatable {
        /// `type`: text, image, video or document.
        var type: OutboundMessage.MessageTemplate.HeaderType
        /// `params_count`.
        var paramsCount: Int
    }

    /// The seed's status of a template that can be sent.
    static let approved = "APPROVED"

    /// docs L3009: "Identifier of a template within a namespace."
    var templateName: String
    /// docs L3012: "Unique identifier of a business’s Whatsapp account."
    var namespace: String
    /// docs L3022: the language code.
    var languageCode: String
    /// `APPROVED`, or another status for a template the provider has not approved.
    var status: String
    /// The header, if the template has one.
    var header: Header?
    /// Placeholders in the body text.
    var bodyParamsCount: Int
    /// Placeholders in the button URL (docs L3218: at most one).
    var buttonParamsCount: Int

    /// docs L2927: "After the provider approves the template, Freshchat provides the template identifier and
    /// namespace"; only an approved template can be sent.
    var isApproved: Bool { status == Self.approved }

    /// Reads a seeded template document; nil when it is not one (an unknown header type, a missing name).
    init?(json: JSONValue) {
        guard let name = json["template_name"]?.stringValue, let namespace = json["namespace"]?.stringValue,
            let code = json["language_code"]?.stringValue
        else { return nil }
        templateName = name
        self.namespace = namespace
        languageCode = code
        status = json["status"]?.stringValue ?? ""
        if let header = json["header"], !header.isNull {
            guard let type = header["type"]?.stringValue.flatMap(OutboundMessage.MessageTemplate.HeaderType.init)
            else { return nil }
            self.header = Header(type: type, paramsCount: Int(header["params_count"]?.intValue ?? 0))
        } else {
            header = nil
        }
        bodyParamsCount = Int(json["body"]?["params_count"]?.intValue ?? 0)
        buttonParamsCount = Int(json["button"]?["params_count"]?.intValue ?? 0)
    }
}
