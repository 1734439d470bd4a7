/// The message part object (docs L877–993): the rules a request's `message_parts` and `reply_parts` must follow.
/// Parts are kept exactly as sent (the response's parts equal the request's); this type only validates them and
/// names the offending part by its path, e.g. `message_parts[1].foo`.
public enum MessagePart {
    /// The part types of the docs' attribute table (L881–993), in its order.
    public static let types = [
        "file", "text", "image", "video", "collection", "url_button", "quick_reply_button", "template_content",
        "callback", "attachment_input", "reference", "text_input", "help_text",
    ]

    /// docs L952–953: "When bots send messages to conversations, they may send the following attributes … Note: The
    /// following attributes are not supported for use in agent-messages to construct response enablers."
    public static let botOnlyTypes = ["attachment_input", "reference", "text_input", "help_text"]

    /// The sections each template type accepts, and the part types each section holds (docs L936–947 and
    /// examples 4 and 5, L1206 and L1253).
    public static let templateSections: [(type: String, sections: [(name: String, parts: [String])])] = [
        ("carousel", [("carousel_title", ["text"]), ("cards", ["template_content"])]),
        (
            "carousel_card_default",
            [
                ("hero_image", ["image"]), ("title", ["text"]), ("description", ["text"]), ("callback", ["callback"]),
                ("view", ["url_button"]),
            ]
        ),
        ("quick_reply_dropdown", [("options", ["quick_reply_button"])]),
    ]

    /// Where a part sits, which decides the part types it may be.
    enum Place: Equatable {
        case messageParts
        case replyParts
        case messageCollection
        case replyCollection
        case section(template: String, name: String)

        /// The part types allowed here, with the doc line that says so.
        func allowed(bot: Bool) -> (types: [String], rule: String) {
            switch self {
            case .messageParts:
                // docs L891, L894, L897: text, image, video "IN REQUESTS, VALID ONLY FOR MESSAGE_PARTS"; L903: "In
                // message_parts, the message … can be a collection of url buttons"; L907: url_button.
                return (["file", "text", "image", "video", "collection", "url_button"], "docs L881–907")
            case .replyParts:
                // docs L832: "The segments can be a templated message (carousel cards or drop-down values) or a
                // collection of url buttons and quick reply buttons."
                return (["collection", "template_content"] + (bot ? botOnlyTypes : []), "docs L832")
            case .messageCollection:
                return (["url_button"], "docs L903: \"In message_parts, … a collection of url buttons\"")
            case .replyCollection:
                return (
                    ["url_button", "quick_reply_button"] + (bot ? botOnlyTypes : []),
                    "docs L903: \"In reply_parts, … a collection of url and quick reply buttons\""
                )
            case .section(let template, let name):
                let parts = MessagePart.sectionParts(template: template, section: name) ?? []
                return (parts, "docs L936–947 (template_content.sections)")
            }
        }

        var name: String {
            switch self {
            case .messageParts: return "message_parts"
            case .replyParts: return "reply_parts"
            case .messageCollection: return "a message_parts collection"
            case .replyCollection: return "a reply_parts collection"
            case .section(let template, let name): return "the \(name) section of a \(template) template"
            }
        }
    }

    /// The part types section `section` of template `template` holds, or nil when the template has no such section.
    static func sectionParts(template: String, section: String) -> [String]? {
        templateSections.first { $0.type == template }?.sections.first { $0.name == section }?.parts
    }

    /// Validates `message_parts` of a message.
    /// - Parameters:
    ///   - parts: the array as sent.
    ///   - path: its dotted path in the body (`message_parts`, `messages[0].message_parts`).
    ///   - bot: whether a bot sends the message (bot-only part types are allowed).
    /// - Throws: `APIError` 400 naming the first offending part.
    public static func validate(messageParts parts: [JSONValue], path: String, bot: Bool) throws(APIError) {
        guard !parts.isEmpty else { throw .badRequest("\(path) must hold at least one message part") }
        for (index, part) in parts.enumerated() {
            try validate(part, path: "\(path)[\(index)]", place: .messageParts, bot: bot)
        }
    }

    /// Validates `reply_parts` of a message.
    /// - Throws: `APIError` 400 naming the first offending part.
    public static func validate(replyParts parts: [JSONValue], path: String, bot: Bool) throws(APIError) {
        for (index, part) in parts.enumerated() {
            try validate(part, path: "\(path)[\(index)]", place: .replyParts, bot: bot)
        }
    }

    // MARK: - One part

    static func validate(_ part: JSONValue, path: String, place: Place, bot: Bool) throws(APIError) {
        guard case .object(let object) = part else {
            throw .badRequest("\(path) must be a message part object, not \(part.typeName)")
        }
        guard let (type, value) = object.pairs.first else {
            throw .badRequest("\(path) must hold one message part type (\(types.joined(separator: ", ")))")
        }
        guard object.pairs.count == 1 else {
            throw .badRequest(
                "\(path) must hold exactly one message part type, not \(object.keys.joined(separator: ", "))")
        }
        let here = "\(path).\(type)"
        guard types.contains(type) else {
            throw .badRequest(
                "\(here) is not a message part type; the message part object (docs L877) has \(types.joined(separator: ", "))"
            )
        }
        let allowed = place.allowed(bot: bot)
        guard allowed.types.contains(type) else {
            throw .badRequest(misplaced(type, at: here, place: place, allowed: allowed))
        }
        guard case .object(let attributes) = value else {
            throw .badRequest("\(here) must be an object, not \(value.typeName)")
        }
        let fields = Fields(attributes, path: here)
        switch type {
        case "text":
            _ = try nonEmpty(fields, "content")  // docs L893: "content (string) MANDATORY"
        case "image":
            _ = try nonEmpty(fields, "url")  // docs L896: "url (string) MANDATORY"
        case "video":
            _ = try fields.string("url")
            _ = try fields.string("content_type")
        case "file":
            try validateFile(fields)
        case "collection":
            try validateCollection(fields, inReply: place == .replyParts, bot: bot)
        case "url_button":
            try validateURLButton(fields)
        case "quick_reply_button":
            try validateQuickReplyButton(fields)
        case "template_content":
            try validateTemplate(fields, nestedIn: place, bot: bot)
        case "callback":
            _ = try fields.string("payload")
            _ = try fields.string("label")
        default:
            break  // bot-only response enablers (docs L952–994) are kept as sent
        }
    }

    private static func misplaced(
        _ type: String, at path: String, place: Place, allowed: (types: [String], rule: String)
    )
        -> String
    {
        var reason = "\(path) is not allowed in \(place.name), which accepts \(allowed.types.joined(separator: ", "))"
        switch type {
        case "quick_reply_button":
            reason += " (docs L922: quick_reply_button \"MUST BE USED AS PART OF REPLY_PARTS.COLLECTIONS\")"
        case "template_content":
            reason += " (docs L934: template_content is \"Valid only for reply_part\")"
        case "callback":
            reason += " (docs L948: callback belongs to the callback section of a carousel card)"
        case _ where botOnlyTypes.contains(type):
            reason += " (docs L953: \(type) is sent by bots only and \"not supported for use in agent-messages\")"
        default:
            reason += " (\(allowed.rule))"
        }
        return reason
    }

    private static func nonEmpty(_ fields: Fields, _ key: String) throws(APIError) -> String {
        let value = try fields.requiredString(key)
        guard !value.allSatisfy(\.isWhitespace) else { throw .badRequest("\(fields.name(key)) must not be empty") }
        return value
    }

    private static func validateFile(_ fields: Fields) throws(APIError) {
        for key in ["fileHash", "name", "url", "contentType", "content_type", "file_extension"] {
            _ = try fields.string(key)
        }
        _ = try fields.int("file_size_in_bytes")
        // docs L884: fileSource "Possible values: FRESHCHAT, FRESHBOTS"
        if let source = try fields.string("fileSource"), !["FRESHCHAT", "FRESHBOTS"].contains(source) {
            throw .badRequest("\(fields.name("fileSource")) must be FRESHCHAT or FRESHBOTS, not '\(source)'")
        }
    }

    private static func validateCollection(_ fields: Fields, inReply: Bool, bot: Bool) throws(APIError) {
        // docs L906: "sub_parts (array of message part objects): Different parts of a collection"
        guard let parts = try fields.array("sub_parts") else {
            throw .badRequest("\(fields.name("sub_parts")) is mandatory")
        }
        guard !parts.isEmpty else { throw .badRequest("\(fields.name("sub_parts")) must hold at least one part") }
        for (index, part) in parts.enumerated() {
            try validate(
                part, path: "\(fields.name("sub_parts"))[\(index)]",
                place: inReply ? .replyCollection : .messageCollection, bot: bot)
        }
    }

    private static func validateURLButton(_ fields: Fields) throws(APIError) {
        _ = try nonEmpty(fields, "url")  // docs L913: "url (string) MANDATORY"
        _ = try fields.string("label")
        // docs L915–918: target "Possible values: _self … _blank"
        if let target = try fields.string("target"), !["_self", "_blank"].contains(target) {
            throw .badRequest("\(fields.name("target")) must be _self or _blank, not '\(target)'")
        }
    }

    private static func validateQuickReplyButton(_ fields: Fields) throws(APIError) {
        _ = try nonEmpty(fields, "label")  // docs L929: "label (string) MANDATORY"
        for key in ["custom_reply_text", "Custom_reply_text", "payload"] { _ = try fields.string(key) }
        switch fields.object["display_order"] {
        case nil, .null?, .string?, .integer?: break
        case let other?:
            throw .badRequest("\(fields.name("display_order")) must be a string, not \(other.typeName)")
        }
        // docs L932: type "Possible value: RESEND_OTP"
        if let type = try fields.string("type"), type != "RESEND_OTP" {
            throw .badRequest("\(fields.name("type")) must be RESEND_OTP, not '\(type)'")
        }
    }

    private static func validateTemplate(_ fields: Fields, nestedIn place: Place, bot: Bool) throws(APIError) {
        let names = templateSections.map(\.type)
        let type = try fields.requiredString("type")
        guard names.contains(type) else {
            throw .badRequest(
                "\(fields.name("type")) must be one of \(names.joined(separator: ", ")), not '\(type)' (docs L939–943)")
        }
        // Inside a carousel's cards section only carousel cards (docs example 4, L1206).
        if case .section = place, type != "carousel_card_default" {
            throw .badRequest("\(fields.name("type")) must be carousel_card_default inside a carousel's cards section")
        }
        guard let sections = try fields.array("sections") else {
            throw .badRequest("\(fields.name("sections")) is mandatory")
        }
        guard !sections.isEmpty else { throw .badRequest("\(fields.name("sections")) must hold at least one section") }
        let known = templateSections.first { $0.type == type }!.sections.map(\.name)
        for (index, section) in sections.enumerated() {
            let path = "\(fields.name("sections"))[\(index)]"
            guard case .object(let object) = section else {
                throw .badRequest("\(path) must be an object, not \(section.typeName)")
            }
            let sectionFields = Fields(object, path: path)
            // docs L946–947: "name (string) MANDATORY", "parts (array of objects) MANDATORY"
            let name = try sectionFields.requiredString("name")
            guard known.contains(name) else {
                throw .badRequest(
                    "\(sectionFields.name("name")) must be one of \(known.joined(separator: ", ")) in a \(type) template,"
                        + " not '\(name)'")
            }
            guard let parts = try sectionFields.array("parts") else {
                throw .badRequest("\(sectionFields.name("parts")) is mandatory")
            }
            guard !parts.isEmpty else {
                throw .badRequest("\(sectionFields.name("parts")) must hold at least one part")
            }
            for (partIndex, part) in parts.enumerated() {
                try validate(
                    part, path: "\(sectionFields.name("parts"))[\(partIndex)]",
                    place: .section(template: type, name: name), bot: bot)
            }
        }
    }
}
