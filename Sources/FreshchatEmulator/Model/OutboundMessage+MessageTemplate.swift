extension OutboundMessage {
    /// The message template object (docs L3000–3052): which approved template to send and the values for its
    /// placeholders. Read from a request body (every rule is a 400 naming the field by its dotted path) and from the
    /// store, which keeps exactly what `json` wrote. Members the docs do not define are dropped.
    struct MessageTemplate: Sendable, Equatable {
        /// docs L3005–3007: storage "Possible values: none … conversation".
        enum Storage: String, Sendable, CaseIterable {
            case none, conversation
        }

        /// docs L3028: header type "For example, text, image, document, video."
        enum HeaderType: String, Sendable, CaseIterable {
            case text, image, video, document
        }

        /// docs L3018–3022: the language object.
        struct Language: Sendable, Equatable {
            /// docs L3020–3021: "Possible value: deterministic".
            static let deterministic = "deterministic"
            /// `policy`.
            var policy: String
            /// `code`, e.g. `en_US` (docs L3278).
            var code: String
        }

        /// docs L3027–3030: the header of the rich media template data object.
        struct Header: Sendable, Equatable {
            /// `type`.
            var type: HeaderType
            /// `media_url`, for image, video and document headers.
            var mediaURL: String?
            /// `params`, for text headers.
            var params: [String]?
        }

        /// docs L3025–3031 and L3262: the rich media template data object.
        struct RichTemplateData: Sendable, Equatable {
            /// `header`.
            var header: Header?
            /// `body.params`; nil when there is no body or it has no params.
            var body: Body?
            /// `button` (docs L3262).
            var button: Button?

            /// docs L3031: body "Values used to populate the variable parameters in the body section".
            struct Body: Sendable, Equatable {
                /// `params`.
                var params: [String]?
            }

            /// docs L3262: "button": { "subType": "url", "params": [ { "data": "live-chat-software" } ] }.
            struct Button: Sendable, Equatable {
                /// `subType` (camelCase in the docs).
                var subType: String?
                /// `params`.
                var params: [String]?
            }
        }

        /// docs L3003. A request without it gets `none` (L3006: the conversation shows the default message).
        var storage: Storage
        /// docs L3009.
        var templateName: String
        /// docs L3012.
        var namespace: String
        /// docs L3015.
        var language: Language
        /// docs L3023–3024: the deprecated `template_data`, read as the body params of a plain text message.
        var templateData: [String]?
        /// docs L3025.
        var richTemplateData: RichTemplateData?

        /// The header sent, if any.
        var header: Header? { richTemplateData?.header }

        /// The body params sent: those of `rich_template_data.body`, or when the request has no
        /// `rich_template_data`, the deprecated `template_data` (docs L3023–3024).
        var bodyParams: [String]? {
            guard let richTemplateData else { return templateData }
            return richTemplateData.body?.params
        }
    }
}

// MARK: - Reading

extension OutboundMessage.MessageTemplate {
    /// docs L3218: a dynamic URL button takes a placeholder, and "only one placeholder can be added".
    static let maxButtonParams = 1

    /// Reads and validates a message template object found at `fields.path`.
    /// - Throws: `APIError` 400 naming the first invalid member by its dotted path.
    init(_ fields: Fields) throws(APIError) {
        // docs L3005: "Possible values: none … conversation".
        switch try fields.string("storage") {
        case nil: storage = .none
        case let value?:
            guard let parsed = Storage(rawValue: value) else {
                throw .badRequest("\(fields.name("storage")) must be none or conversation, not '\(value)' (docs L3005)")
            }
            storage = parsed
        }
        // docs L3009, L3012: "template_namemandatory", "namespacemandatory".
        templateName = try Self.nonEmpty(fields, "template_name", line: 3009)
        namespace = try Self.nonEmpty(fields, "namespace", line: 3012)
        // docs L3015: "languagemandatory language object".
        guard let language = try fields.object("language") else {
            throw .badRequest("\(fields.name("language")) is mandatory (docs L3015)")
        }
        let policy = try Self.nonEmpty(language, "policy", line: 3019)
        guard policy == Language.deterministic else {
            throw .badRequest(
                "\(language.name("policy")) must be deterministic, not '\(policy)' (docs L3020: \"Possible value:"
                    + " deterministic\")")
        }
        self.language = Language(policy: policy, code: try Self.nonEmpty(language, "code", line: 3022))
        // docs L3023: "template_dataDEPRECATED … exists only for backward compatibility."
        templateData = try fields.array("template_data").map { items throws(APIError) in
            try Self.dataObjects(items, path: fields.name("template_data"))
        }
        // docs L3025: "rich_template_dataMANDATORY"; a request that still uses the deprecated template_data
        // (L3023–3024, "backward compatibility") may leave it out.
        let rich = try fields.object("rich_template_data")
        guard rich != nil || templateData != nil else {
            throw .badRequest(
                "\(fields.name("rich_template_data")) is mandatory (docs L3025), or the deprecated template_data"
                    + " (docs L3023)")
        }
        richTemplateData = try rich.map { rich throws(APIError) in try RichTemplateData(rich) }
    }

    /// A string member that must be present and not empty.
    static func nonEmpty(_ fields: Fields, _ key: String, line: Int) throws(APIError) -> String {
        guard let value = try fields.string(key) else {
            throw .badRequest("\(fields.name(key)) is mandatory (docs L\(line))")
        }
        guard !value.isEmpty else { throw .badRequest("\(fields.name(key)) must not be empty (docs L\(line))") }
        return value
    }

    /// The values of an array of data objects (docs L3033–3038: `{"data": "<variableParam1>"}`).
    static func dataObjects(_ items: [JSONValue], path: String) throws(APIError) -> [String] {
        var values: [String] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else {
                throw .badRequest("\(path)[\(index)] must be a data object {\"data\": …}, not \(item.typeName)")
            }
            values.append(try Fields(object, path: "\(path)[\(index)]").requiredString("data"))
        }
        return values
    }

    /// The `params` member of `fields` as data objects; nil when absent.
    static func params(_ fields: Fields) throws(APIError) -> [String]? {
        try fields.array("params").map { items throws(APIError) in
            try dataObjects(items, path: fields.name("params"))
        }
    }
}

extension OutboundMessage.MessageTemplate.RichTemplateData {
    /// Reads and validates a rich media template data object (docs L3025–3031, L3262).
    /// - Throws: `APIError` 400 naming the first invalid member by its dotted path.
    init(_ fields: Fields) throws(APIError) {
        typealias Template = OutboundMessage.MessageTemplate
        header = try fields.object("header").map { header throws(APIError) in try Template.Header(header) }
        body = try fields.object("body").map { body throws(APIError) in Body(params: try Template.params(body)) }
        button = try fields.object("button").map { button throws(APIError) in
            let params = try Template.params(button)
            // docs L3218: "Note that only one placeholder can be added."
            if let params, params.count > Template.maxButtonParams {
                throw .badRequest(
                    "\(button.name("params")) must hold at most \(Template.maxButtonParams) param, not \(params.count)"
                        + " (docs L3218: \"only one placeholder can be added\")")
            }
            return Button(subType: try button.string("subType"), params: params)
        }
    }

    /// The object, in the docs' order (L3278, L3262).
    var json: JSONValue {
        var object = JSONObject()
        if let header { object["header"] = header.json }
        if let body {
            var bodyObject = JSONObject()
            if let params = body.params { bodyObject["params"] = OutboundMessage.MessageTemplate.json(params) }
            object["body"] = .object(bodyObject)
        }
        if let button {
            var buttonObject = JSONObject()
            if let subType = button.subType { buttonObject["subType"] = .string(subType) }
            if let params = button.params { buttonObject["params"] = OutboundMessage.MessageTemplate.json(params) }
            object["button"] = .object(buttonObject)
        }
        return .object(object)
    }
}

extension OutboundMessage.MessageTemplate.Header {
    /// Reads and validates a header (docs L3027–3030).
    /// - Throws: `APIError` 400 naming the first invalid member by its dotted path.
    init(_ fields: Fields) throws(APIError) {
        typealias Template = OutboundMessage.MessageTemplate
        let name = try Template.nonEmpty(fields, "type", line: 3028)
        guard let type = Template.HeaderType(rawValue: name) else {
            throw .badRequest(
                "\(fields.name("type")) must be one of text, image, video, document, not '\(name)' (docs L3028)")
        }
        self.type = type
        mediaURL = try fields.string("media_url")
        params = try Template.params(fields)
        if type == .text {
            // docs L3030: params "if header.type is text".
            guard mediaURL == nil else {
                throw .badRequest(
                    "\(fields.name("media_url")) is for image, video and document headers, not text (docs L3029)")
            }
        } else {
            // docs L3029: media_url "Link to the location from where the image, video, or document to be attached is
            // fetched".
            guard let mediaURL else {
                throw .badRequest("\(fields.name("media_url")) is mandatory for header type \(name) (docs L3029)")
            }
            guard Self.isWebURL(mediaURL) else {
                throw .badRequest(
                    "\(fields.name("media_url")) must be an http or https URL such as https://sample.in/sample.jpg"
                        + " (docs L3122), not '\(mediaURL)'")
            }
            guard params == nil else {
                throw .badRequest(
                    "\(fields.name("params")) is for text headers only (docs L3030: \"if header.type is text\")")
            }
        }
    }

    /// Whether `text` is `http://` or `https://` followed by a host.
    static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        for scheme in ["https://", "http://"] where lower.hasPrefix(scheme) {
            let rest = lower.dropFirst(scheme.count)
            return !rest.isEmpty && !rest.hasPrefix("/") && !rest.contains(where: \.isWhitespace)
        }
        return false
    }

    /// The header object: `type`, then `media_url` or `params` (docs L3278, L3372).
    var json: JSONValue {
        var object: JSONObject = ["type": .string(type.rawValue)]
        if let mediaURL { object["media_url"] = .string(mediaURL) }
        if let params { object["params"] = OutboundMessage.MessageTemplate.json(params) }
        return .object(object)
    }
}

// MARK: - Writing

extension OutboundMessage.MessageTemplate {
    /// The message template object in the order of the docs' examples (L2974, L3372): storage, template_name,
    /// namespace, language, then the deprecated template_data when sent (table order, L3023) and
    /// rich_template_data.
    var json: JSONValue {
        var object = JSONObject()
        object["storage"] = .string(storage.rawValue)
        object["template_name"] = .string(templateName)
        object["namespace"] = .string(namespace)
        object["language"] = ["policy": .string(language.policy), "code": .string(language.code)]
        if let templateData { object["template_data"] = Self.json(templateData) }
        if let richTemplateData { object["rich_template_data"] = richTemplateData.json }
        return .object(object)
    }

    /// An array of data objects.
    static func json(_ values: [String]) -> JSONValue {
        .array(values.map { ["data": .string($0)] })
    }
}
