import SQLite

/// One thing that happened, appended to the EventLog in the same transaction as the change itself.
/// Everything the reports and metrics say is computed from these rows (ARCHITECTURE.md).
public struct Event: Sendable, Equatable {
    /// What happened. Raw values are the `event.type` column.
    public enum Kind: String, Sendable, CaseIterable {
        case userCreated = "user_created"
        case userUpdated = "user_updated"
        case userDeleted = "user_deleted"
        case conversationCreated = "conversation_created"
        /// A group was set on the conversation (`group_id`, previous group in `data.from_group_id`).
        case groupAssigned = "group_assigned"
        /// An agent was set on the conversation (`agent_id`, previous agent in `data.from_agent_id`).
        case agentAssigned = "agent_assigned"
        /// The agent was removed (`agent_id` is the agent that was unassigned).
        case agentUnassigned = "agent_unassigned"
        /// The group was removed (`group_id` is the group that was unassigned).
        case groupUnassigned = "group_unassigned"
        case conversationResolved = "conversation_resolved"
        /// Reopened; `data.cause` is `API` (PUT status reopened) or `USER_MESSAGE`.
        case conversationReopened = "conversation_reopened"
        /// A message was added; `actor_type`, `actor_id`, `data.message_type`.
        case messageSent = "message_sent"
        case csatSubmitted = "csat_submitted"
        case agentStatusChanged = "agent_status_changed"
    }

    public var kind: Kind
    /// Epoch milliseconds, from the Clock.
    public var time: Int64
    public var conversationID: String?
    public var interactionID: String?
    public var actorType: String?
    public var actorID: String?
    public var userID: String?
    public var agentID: String?
    public var groupID: String?
    public var channelID: String?
    public var messageID: String?
    /// Anything else a report needs, e.g. `{"cause":"USER_MESSAGE"}`.
    public var data: JSONObject

    /// Creates an event; every field but kind and time is optional.
    public init(
        _ kind: Kind, time: Int64, conversationID: String? = nil, interactionID: String? = nil,
        actorType: String? = nil, actorID: String? = nil, userID: String? = nil, agentID: String? = nil,
        groupID: String? = nil, channelID: String? = nil, messageID: String? = nil, data: JSONObject = JSONObject()
    ) {
        self.kind = kind
        self.time = time
        self.conversationID = conversationID
        self.interactionID = interactionID
        self.actorType = actorType
        self.actorID = actorID
        self.userID = userID
        self.agentID = agentID
        self.groupID = groupID
        self.channelID = channelID
        self.messageID = messageID
        self.data = data
    }
}

extension Database {
    /// Appends `event` to the EventLog, with the webhook it triggers (Store+Webhooks.swift). Call inside the
    /// transaction that makes the change.
    public func append(_ event: Event) throws {
        try execute(
            """
            INSERT INTO event (time, type, conversation_id, interaction_id, actor_type, actor_id, user_id, agent_id,
                group_id, channel_id, message_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(event.time), .text(event.kind.rawValue), SQLiteValue(event.conversationID),
                SQLiteValue(event.interactionID), SQLiteValue(event.actorType), SQLiteValue(event.actorID),
                SQLiteValue(event.userID), SQLiteValue(event.agentID), SQLiteValue(event.groupID),
                SQLiteValue(event.channelID), SQLiteValue(event.messageID),
                .text(JSONValue.object(event.data).serialized()),
            ])
        try enqueueWebhooks(for: event)
    }

    /// Events in order, optionally only those of one conversation or of some kinds.
    public func events(conversationID: String? = nil, kinds: [Event.Kind]? = nil) throws -> [Event] {
        var sql = "SELECT * FROM event"
        var conditions: [String] = []
        var args: [SQLiteValue] = []
        if let conversationID {
            conditions.append("conversation_id = ?")
            args.append(.text(conversationID))
        }
        if let kinds {
            conditions.append("type IN (\(kinds.map { _ in "?" }.joined(separator: ",")))")
            args.append(contentsOf: kinds.map { .text($0.rawValue) })
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY seq"
        return try query(sql, args).map(Event.init(row:))
    }
}

extension Event {
    /// An event read back from an `event` row.
    init(row: Row) throws {
        self.init(Event.Kind(rawValue: try row.string("type")) ?? .messageSent, time: try row.int64("time"))
        conversationID = try row.optionalString("conversation_id")
        interactionID = try row.optionalString("interaction_id")
        actorType = try row.optionalString("actor_type")
        actorID = try row.optionalString("actor_id")
        userID = try row.optionalString("user_id")
        agentID = try row.optionalString("agent_id")
        groupID = try row.optionalString("group_id")
        channelID = try row.optionalString("channel_id")
        messageID = try row.optionalString("message_id")
        data = (try? JSONParser.parse(try row.string("data")))?.objectValue ?? JSONObject()
    }
}
