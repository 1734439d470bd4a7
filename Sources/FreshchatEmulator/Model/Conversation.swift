/// The conversation object (docs L718–796), as stored and as answered.
public struct Conversation: Sendable, Equatable {
    public var id: String
    public var channelID: String
    public var appID: String
    public var status: ConversationStatus
    public var assignedAgentID: String?
    /// The assigned agent's `org_contact_id` (docs L772: "Organization-level identifier of the agent"); read with
    /// the conversation, never stored on it.
    public var assignedOrgAgentID: String?
    public var assignedGroupID: String?
    /// docs L780–782: "skill_id Internal attribute integer"; always 0, as in every example.
    public var skillID: Int64
    public var properties: JSONObject
    /// The current interaction (docs L846–847); new when the conversation is reopened.
    public var interactionID: String
    public var createdTime: Int64
    /// Moves on every change, messages included.
    public var updatedTime: Int64

    /// Creates a conversation.
    public init(
        id: String, channelID: String, appID: String, status: ConversationStatus, assignedAgentID: String? = nil,
        assignedOrgAgentID: String? = nil, assignedGroupID: String? = nil, skillID: Int64 = 0,
        properties: JSONObject, interactionID: String, createdTime: Int64, updatedTime: Int64
    ) {
        self.id = id
        self.channelID = channelID
        self.appID = appID
        self.status = status
        self.assignedAgentID = assignedAgentID
        self.assignedOrgAgentID = assignedOrgAgentID
        self.assignedGroupID = assignedGroupID
        self.skillID = skillID
        self.properties = properties
        self.interactionID = interactionID
        self.createdTime = createdTime
        self.updatedTime = updatedTime
    }

    /// The status, agent and group as the lifecycle machine sees them.
    public var machine: ConversationStatus.Machine {
        get { ConversationStatus.Machine(status, agentID: assignedAgentID, groupID: assignedGroupID) }
        set {
            status = newValue.status
            if newValue.agentID != assignedAgentID { assignedOrgAgentID = nil }
            assignedAgentID = newValue.agentID
            assignedGroupID = newValue.groupID
        }
    }

    /// The conversation object in the docs' attribute order (L764), with `created_time` and `updated_time` last.
    /// `messages` and `users` appear only in the create response (docs L1380: "The attributes, conversation.messages
    /// and conversation.users are not retrieved as part of the response object.").
    public func json(messages: [Message]? = nil, users: [String]? = nil) -> JSONValue {
        var object = JSONObject()
        object.reserveCapacity(14)  // members appended: each key is set once
        object.append("conversation_id", .string(id))
        object.append("channel_id", .string(channelID))
        if let assignedAgentID {
            object.append("assigned_org_agent_id", .string(assignedOrgAgentID ?? ""))
            object.append("assigned_agent_id", .string(assignedAgentID))
        }
        if let assignedGroupID {
            // docs L764: "assigned_org_group_id": "" — groups carry no organisation-level id here.
            object.append("assigned_org_group_id", "")
            object.append("assigned_group_id", .string(assignedGroupID))
        }
        if let messages { object.append("messages", .array(messages.map(\.json))) }
        object.append("app_id", .string(appID))
        object.append("status", .string(status.rawValue))
        object.append("skill_id", .integer(skillID))
        object.append("properties", .object(properties))
        if let users { object.append("users", .array(users.map { ["id": .string($0)] })) }
        object.append("created_time", .string(Timestamp.format(createdTime)))
        object.append("updated_time", .string(Timestamp.format(updatedTime)))
        return .object(object)
    }

    /// Reads back a conversation object written by `json()` (the payload of the job that completes a creation).
    /// - Throws: `APIError` naming the attribute when the document is not such an object.
    public init(json value: JSONValue, interactionID: String) throws(APIError) {
        guard case .object(let object) = value else { throw .badRequest("conversation must be an object") }
        let fields = Fields(object, path: "conversation")
        func time(_ key: String) throws(APIError) -> Int64 {
            guard let millis = Timestamp.parse(try fields.requiredString(key)) else {
                throw .badRequest("\(fields.name(key)) is not a timestamp")
            }
            return millis
        }
        let status = try fields.requiredString("status")
        self.init(
            id: try fields.requiredString("conversation_id"), channelID: try fields.requiredString("channel_id"),
            appID: try fields.requiredString("app_id"), status: ConversationStatus(rawValue: status) ?? .new,
            assignedAgentID: try fields.string("assigned_agent_id"),
            assignedOrgAgentID: try fields.string("assigned_org_agent_id"),
            assignedGroupID: try fields.string("assigned_group_id"), skillID: try fields.int("skill_id") ?? 0,
            properties: try fields.object("properties")?.object ?? JSONObject(), interactionID: interactionID,
            createdTime: try time("created_time"), updatedTime: try time("updated_time"))
    }

    /// A new `interaction_id` in the docs' form `<15 digits>-<epoch ms>` (L764: "746122323012625-1684913970239"),
    /// the digits taken from a fresh id so that the same ids give the same interactions.
    public static func interactionID(from id: String, at millis: Int64) -> String {
        let hex = id.filter(\.isHexDigit).suffix(12)
        let number = UInt64(hex, radix: 16) ?? 0
        let digits = String(number % 1_000_000_000_000_000)
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits + "-" + String(millis)
    }

    // MARK: - Events

    /// The EventLog entries for lifecycle actions that just happened to this (already updated) conversation.
    /// - Parameters:
    ///   - actions: what the machine did, in order.
    ///   - time: when.
    ///   - cause: `data.cause` of `conversation_reopened` (`API` or `USER_MESSAGE`).
    public func events(for actions: [ConversationStatus.Machine.Action], at time: Int64, cause: String = "API")
        -> [Event]
    {
        actions.map { action in
            var event: Event
            switch action {
            case .groupAssigned(let group, let from):
                event = Event(.groupAssigned, time: time, groupID: group, data: ["from_group_id": .optional(from)])
            case .groupUnassigned(let group):
                event = Event(.groupUnassigned, time: time, groupID: group)
            case .agentAssigned(let agent, let from):
                event = Event(
                    .agentAssigned, time: time, agentID: agent, groupID: assignedGroupID,
                    data: ["from_agent_id": .optional(from)])
            case .agentUnassigned(let agent):
                event = Event(.agentUnassigned, time: time, agentID: agent, groupID: assignedGroupID)
            case .resolved:
                event = Event(.conversationResolved, time: time, agentID: assignedAgentID, groupID: assignedGroupID)
            case .reopened:
                event = Event(
                    .conversationReopened, time: time, groupID: assignedGroupID, data: ["cause": .string(cause)])
            }
            event.conversationID = id
            event.interactionID = interactionID
            event.channelID = channelID
            return event
        }
    }

    /// The `message_sent` entry for `message`.
    public static func event(for message: Message) -> Event {
        Event(
            .messageSent, time: message.createdTime, conversationID: message.conversationID,
            interactionID: message.interactionID, actorType: message.actorType.rawValue, actorID: message.actorID,
            userID: message.userID, channelID: message.channelID, messageID: message.id,
            data: ["message_type": .string(message.messageType.rawValue)])
    }
}
