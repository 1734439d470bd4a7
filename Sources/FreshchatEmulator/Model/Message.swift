/// The message object (docs L799–875): one message of a conversation, as stored and as answered.
public struct Message: Sendable, Equatable {
    /// docs L836: actor_type "Possible values: user, agent, bot, system".
    public enum ActorType: String, Sendable, CaseIterable {
        case user, agent, bot, system
    }

    /// docs L848–853: message_type "Possible values: normal … private … system … Default value: normal".
    public enum MessageType: String, Sendable, CaseIterable {
        case normal, `private`, system
    }

    public var id: String
    public var conversationID: String
    public var channelID: String
    public var appID: String
    public var interactionID: String
    public var messageParts: [JSONValue]
    public var replyParts: [JSONValue]?
    public var actorType: ActorType
    public var actorID: String?
    /// docs L843: "Organization-level identifier of the entity who sends the message".
    public var orgActorID: String?
    public var messageType: MessageType
    /// docs L854: "Identifier of the user associated with a conversation".
    public var userID: String?
    public var createdTime: Int64
    public var metaData: JSONObject?
    public var inReplyTo: JSONObject?
    public var restrictResponse: Bool
    public var botsPrivateNote: Bool

    /// The message object in the docs' attribute order (examples L764 and L1644).
    public var json: JSONValue {
        var object = JSONObject()
        object.reserveCapacity(18)  // members appended: each key is set once
        object.append("message_parts", .array(messageParts))
        if let replyParts { object.append("reply_parts", .array(replyParts)) }
        object.append("app_id", .string(appID))
        if let actorID { object.append("actor_id", .string(actorID)) }
        if let orgActorID { object.append("org_actor_id", .string(orgActorID)) }
        object.append("id", .string(id))
        object.append("channel_id", .string(channelID))
        object.append("conversation_id", .string(conversationID))
        object.append("interaction_id", .string(interactionID))
        object.append("message_type", .string(messageType.rawValue))
        object.append("actor_type", .string(actorType.rawValue))
        object.append("created_time", .string(Timestamp.format(createdTime)))
        if let userID { object.append("user_id", .string(userID)) }
        if let metaData { object.append("meta_data", .object(metaData)) }
        if let inReplyTo { object.append("in_reply_to", .object(inReplyTo)) }
        object.append("restrictResponse", .bool(restrictResponse))
        object.append("botsPrivateNote", .bool(botsPrivateNote))
        return .object(object)
    }

    /// Creates a message.
    public init(
        id: String, conversationID: String, channelID: String, appID: String, interactionID: String,
        messageParts: [JSONValue], replyParts: [JSONValue]?, actorType: ActorType, actorID: String?,
        orgActorID: String?, messageType: MessageType, userID: String?, createdTime: Int64,
        metaData: JSONObject? = nil, inReplyTo: JSONObject? = nil, restrictResponse: Bool = false,
        botsPrivateNote: Bool = false
    ) {
        self.id = id
        self.conversationID = conversationID
        self.channelID = channelID
        self.appID = appID
        self.interactionID = interactionID
        self.messageParts = messageParts
        self.replyParts = replyParts
        self.actorType = actorType
        self.actorID = actorID
        self.orgActorID = orgActorID
        self.messageType = messageType
        self.userID = userID
        self.createdTime = createdTime
        self.metaData = metaData
        self.inReplyTo = inReplyTo
        self.restrictResponse = restrictResponse
        self.botsPrivateNote = botsPrivateNote
    }

    /// Reads back a message object written by `json` (the `message.doc` column, a job payload).
    /// - Throws: `APIError` naming the attribute when the document is not such an object.
    public init(json value: JSONValue) throws(APIError) {
        guard case .object(let object) = value else { throw .badRequest("message must be an object") }
        let fields = Fields(object, path: "message")
        let created = try fields.requiredString("created_time")
        guard let createdTime = Timestamp.parse(created) else {
            throw .badRequest("message.created_time is not a timestamp")
        }
        self.init(
            id: try fields.requiredString("id"), conversationID: try fields.requiredString("conversation_id"),
            channelID: try fields.requiredString("channel_id"), appID: try fields.requiredString("app_id"),
            interactionID: try fields.requiredString("interaction_id"),
            messageParts: try fields.array("message_parts") ?? [], replyParts: try fields.array("reply_parts"),
            actorType: ActorType(rawValue: try fields.requiredString("actor_type")) ?? .system,
            actorID: try fields.string("actor_id"), orgActorID: try fields.string("org_actor_id"),
            messageType: MessageType(rawValue: try fields.requiredString("message_type")) ?? .normal,
            userID: try fields.string("user_id"), createdTime: createdTime,
            metaData: try fields.object("meta_data")?.object, inReplyTo: try fields.object("in_reply_to")?.object,
            restrictResponse: try fields.bool("restrictResponse") ?? false,
            botsPrivateNote: try fields.bool("botsPrivateNote") ?? false)
    }
}

extension Message {
    /// A message as a request sends it (`POST /v2/conversations/{conversation_id}/messages`, or one entry of
    /// `messages` in `POST /v2/conversations`), validated without the store. `channel_id`, `id`, `created_time` and
    /// the other generated attributes are ignored: the conversation decides them.
    public struct Request: Sendable, Equatable {
        public var messageParts: [JSONValue]
        public var replyParts: [JSONValue]?
        public var actorType: ActorType
        public var actorID: String?
        public var messageType: MessageType
        public var userID: String?
        public var metaData: JSONObject?
        public var inReplyTo: String?
        public var restrictResponse: Bool
        public var botsPrivateNote: Bool
        /// The dotted path of the message in the body (`""` for a top-level message), for error messages.
        public var path: String

        /// Decodes and validates a message object.
        /// - Throws: `APIError` 400 naming the attribute (with its path).
        public init(_ fields: Fields) throws(APIError) {
            path = fields.path
            // docs L834: actor_type "Mandatory attribute in the request body parameter"
            let actor = try fields.requiredString("actor_type")
            guard let actorType = ActorType(rawValue: actor) else {
                throw .badRequest(
                    "\(fields.name("actor_type")) must be one of user, agent, bot, system, not '\(actor)' (docs L836)")
            }
            self.actorType = actorType
            // docs L838: actor_id "Mandatory attribute in the request body parameter if the value of
            // message.actor_type is user or agent."
            actorID = try fields.string("actor_id")
            if actorType == .user || actorType == .agent, (actorID ?? "").allSatisfy(\.isWhitespace) {
                throw .badRequest("\(fields.name("actor_id")) is mandatory when actor_type is \(actor) (docs L838)")
            }
            let type = try fields.string("message_type") ?? MessageType.normal.rawValue
            guard let messageType = MessageType(rawValue: type) else {
                throw .badRequest(
                    "\(fields.name("message_type")) must be one of normal, private, system, not '\(type)' (docs L848–853)"
                )
            }
            self.messageType = messageType
            let replyParts = try fields.array("reply_parts")
            // docs L832: reply_parts "VALID ONLY WHEN MESSAGE_PARTS IS PRESENT"
            guard let messageParts = try fields.array("message_parts") else {
                if replyParts != nil {
                    throw .badRequest(
                        "\(fields.name("reply_parts")) is valid only when message_parts is present (docs L832);"
                            + " \(fields.name("message_parts")) is mandatory")
                }
                throw .badRequest("\(fields.name("message_parts")) is mandatory")
            }
            try MessagePart.validate(
                messageParts: messageParts, path: fields.name("message_parts"), bot: actorType == .bot)
            if let replyParts {
                // docs L1530: "the reply_parts attribute is present only for agent-sent or bot-sent messages"
                guard actorType == .agent || actorType == .bot else {
                    throw .badRequest(
                        "\(fields.name("reply_parts")) is present only for agent-sent or bot-sent messages (docs L1530),"
                            + " not for actor_type \(actor)")
                }
                try MessagePart.validate(
                    replyParts: replyParts, path: fields.name("reply_parts"), bot: actorType == .bot)
            }
            self.messageParts = messageParts
            self.replyParts = replyParts
            userID = try fields.string("user_id")
            metaData = try fields.object("meta_data")?.object
            if let reply = try fields.object("in_reply_to") {
                // docs L858–860: in_reply_to "message_id (string): Auto-generated identifier of the message"
                inReplyTo = try reply.requiredString("message_id")
            } else {
                inReplyTo = nil
            }
            restrictResponse = try fields.bool("restrictResponse") ?? false
            botsPrivateNote = try fields.bool("botsPrivateNote") ?? false
        }

        /// The dotted name of `key` in this message.
        public func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }
}
