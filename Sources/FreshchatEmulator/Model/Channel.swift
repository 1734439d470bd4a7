/// The topic object (docs L2526–2581), which the API calls a channel: where a conversation starts in the web
/// messenger.
public struct Channel: Sendable, Equatable {
    /// docs L2555: "Identifier of the channel object".
    public var id: String
    /// docs L2558–2560: icon, "Pictorial representation of the topic", `{"url": …}` or `{}` (L2664).
    public var icon: JSONObject
    /// docs L2556: "Timestamp of when the topic details are last updated", epoch milliseconds.
    public var updatedTime: Int64?
    /// docs L2561: "Specifies whether to display the topic on the Freshchat conversation widget".
    public var enabled: Bool
    /// docs L2563–2565: public, "Default value: true".
    public var isPublic: Bool
    /// docs L2557: "A descriptive identifier of the topic."
    public var name: String
    /// docs L2566: "Tags (labels) associated with a private topic".
    public var tags: [String]
    /// docs L2569–2577: welcome_message, `{"message_parts": [{"text": {"content"}}], "message_type": "normal"}`,
    /// kept as stored.
    public var welcomeMessage: JSONValue?
    /// docs L2580–2581: "The locale attribute identifies this language as a ISO-639 code." For a topic stored
    /// without one, the account's primary language.
    public var locale: String

    /// Creates a topic.
    public init(
        id: String, icon: JSONObject = JSONObject(), updatedTime: Int64?, enabled: Bool, isPublic: Bool = true,
        name: String, tags: [String] = [], welcomeMessage: JSONValue? = nil, locale: String
    ) {
        self.id = id
        self.icon = icon
        self.updatedTime = updatedTime
        self.enabled = enabled
        self.isPublic = isPublic
        self.name = name
        self.tags = tags
        self.welcomeMessage = welcomeMessage
        self.locale = locale
    }

    /// The topic object in the attribute order of the list example (L2664).
    /// - Parameter includingLocale: docs L2579: locale is a "Response attribute returned only if a retrieve by
    ///   locale API call is run."
    public func json(includingLocale: Bool) -> JSONValue {
        var object = JSONObject()
        object["id"] = .string(id)
        object["icon"] = .object(icon)
        if let updatedTime { object["updated_time"] = .string(Timestamp.format(updatedTime)) }
        object["enabled"] = .bool(enabled)
        object["public"] = .bool(isPublic)
        object["name"] = .string(name)
        object["tags"] = .array(tags.map { .string($0) })
        if let welcomeMessage { object["welcome_message"] = welcomeMessage }
        if includingLocale { object["locale"] = .string(locale) }
        return .object(object)
    }

    /// Reads a stored topic object (the seed's `channels.json` item).
    /// - Parameter locale: the topic's language: its own, or the account's primary language when it has none.
    /// - Throws: `APIError` 500 naming the member that is missing or of the wrong type.
    public init(document: JSONValue, locale: String) throws(APIError) {
        guard case .object(let object) = document else { throw Self.broken("the document must be an object") }
        let fields = Fields(object, path: "channel")
        do throws(APIError) {
            id = try fields.requiredString("id")
            name = try fields.requiredString("name")
            icon = try fields.object("icon")?.object ?? JSONObject()
            updatedTime = try fields.string("updated_time").flatMap(Timestamp.parse)
            enabled = try fields.bool("enabled") ?? true
            isPublic = try fields.bool("public") ?? true
            var tags: [String] = []
            for (index, tag) in (try fields.array("tags") ?? []).enumerated() {
                guard let text = tag.stringValue else {
                    throw Self.broken("\(fields.name("tags[\(index)]")) not a string")
                }
                tags.append(text)
            }
            self.tags = tags
            welcomeMessage = object["welcome_message"].flatMap { $0.isNull ? nil : $0 }
            self.locale = locale
        } catch {
            throw error.httpStatus == .badRequest ? Self.broken(error.message) : error
        }
    }

    /// A 500: the stored topic (seed data) is broken, which no request can fix.
    static func broken(_ message: String) -> APIError {
        APIError(.internalServerError, message: "a channel in the store is malformed: \(message)")
    }
}
