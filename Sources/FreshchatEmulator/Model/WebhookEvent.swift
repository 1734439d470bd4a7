/// One webhook as Freshchat POSTs it to an integration (issue "Webhooks"): the envelope
/// `{"actor": {"actor_type", "actor_id"}, "action", "action_time", "data": {<key>: {…}}}`, where the data key is
/// `message`, `assignment`, `resolve` or `reopen`. Every id is a string (an absent one is `""`), as the consumers
/// that parse these payloads expect (`to_agent_id.length`).
public struct WebhookEvent: Sendable, Equatable {
    /// The four events, nothing else. Raw values are the `action` attribute.
    public enum Action: String, Sendable, CaseIterable {
        case messageCreate = "message_create"
        case conversationAssignment = "conversation_assignment"
        case conversationResolution = "conversation_resolution"
        case conversationReopen = "conversation_reopen"

        /// The key under `data`.
        public var dataKey: String {
            switch self {
            case .messageCreate: return "message"
            case .conversationAssignment: return "assignment"
            case .conversationResolution: return "resolve"
            case .conversationReopen: return "reopen"
            }
        }

        /// The event an EventLog entry triggers, or nil when it triggers none. An unassignment is an assignment
        /// to nobody (`to_agent_id` or `to_group_id` is `""`).
        public init?(_ kind: Event.Kind) {
            switch kind {
            case .messageSent: self = .messageCreate
            case .agentAssigned, .agentUnassigned, .groupAssigned, .groupUnassigned: self = .conversationAssignment
            case .conversationResolved: self = .conversationResolution
            case .conversationReopened: self = .conversationReopen
            default: return nil
            }
        }
    }

    /// Who caused the event: `user`, `agent` or `system`, and their id.
    public struct Actor: Sendable, Equatable {
        public var type: String
        public var id: String

        /// Creates an actor.
        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }
    }

    /// The value of the `X-Freshchat-Payload-Version` header.
    public static let payloadVersion = "1"

    public var action: Action
    public var actor: Actor
    /// Epoch milliseconds (the EventLog entry's time).
    public var time: Int64
    /// The object under `data.<action.dataKey>`.
    public var data: JSONObject

    /// Creates an event.
    public init(action: Action, actor: Actor, time: Int64, data: JSONObject) {
        self.action = action
        self.actor = actor
        self.time = time
        self.data = data
    }

    /// The envelope in Freshchat's attribute order.
    public var json: JSONValue {
        [
            "actor": ["actor_type": .string(actor.type), "actor_id": .string(actor.id)],
            "action": .string(action.rawValue), "action_time": .string(Timestamp.format(time)),
            "data": .object([action.dataKey: .object(data)]),
        ]
    }

    /// The exact bytes sent and signed: compact UTF-8 JSON, non-ASCII text unescaped.
    public var body: [UInt8] { json.bytes }

    // MARK: - The four events

    /// `message_create`: the message as the API returns it, with `message_source` (`api` for a message created
    /// through the REST API) before the two flags, as Freshchat orders it. The actor is the message's: `user` or
    /// `agent`, and `system` for bot and system messages (the message itself still says `bot`).
    public static func messageCreate(_ message: JSONValue, time: Int64) -> WebhookEvent {
        var object = JSONObject()
        for (key, value) in message.objectValue?.pairs ?? [] where key != "message_source" {
            if key == "restrictResponse" && object["message_source"] == nil {
                object["message_source"] = message["message_source"] ?? "api"
            }
            object[key] = value
        }
        if object["message_source"] == nil { object["message_source"] = message["message_source"] ?? "api" }
        let type = message["actor_type"]?.stringValue ?? "system"
        let actor = Actor(
            type: type == "user" || type == "agent" ? type : "system", id: message["actor_id"]?.stringValue ?? "")
        return WebhookEvent(action: .messageCreate, actor: actor, time: time, data: object)
    }

    /// `conversation_assignment`: who assigned, the agent and group after (`to_…`) and before (`from_…`) the change.
    public static func assignment(
        by actor: Actor, time: Int64, to: (agent: String?, group: String?), from: (agent: String?, group: String?),
        conversation: Conversation, interactionID: String
    ) -> WebhookEvent {
        let data: JSONObject = [
            "assignor": .string(actor.type), "assignor_id": .string(actor.id), "to_agent_id": .string(to.agent ?? ""),
            "to_group_id": .string(to.group ?? ""), "from_agent_id": .string(from.agent ?? ""),
            "from_group_id": .string(from.group ?? ""), "conversation": Self.conversation(conversation),
            "interaction_id": .string(interactionID),
        ]
        return WebhookEvent(action: .conversationAssignment, actor: actor, time: time, data: data)
    }

    /// `conversation_resolution`: who resolved, the conversation and its (first) user.
    public static func resolution(
        by actor: Actor, time: Int64, conversation: Conversation, interactionID: String, user: JSONValue?
    ) -> WebhookEvent {
        var data: JSONObject = [
            "resolver": .string(actor.type), "resolver_id": .string(actor.id),
            "conversation": Self.conversation(conversation), "interaction_id": .string(interactionID),
        ]
        if let user { data["user"] = user }
        return WebhookEvent(action: .conversationResolution, actor: actor, time: time, data: data)
    }

    /// `conversation_reopen`: who reopened and the conversation in its new interaction.
    public static func reopen(by actor: Actor, time: Int64, conversation: Conversation, interactionID: String)
        -> WebhookEvent
    {
        let data: JSONObject = [
            "reopener": .string(actor.type), "reopener_id": .string(actor.id),
            "conversation": Self.conversation(conversation), "interaction_id": .string(interactionID),
        ]
        return WebhookEvent(action: .conversationReopen, actor: actor, time: time, data: data)
    }

    /// `conversation{…}` as events carry it: `conversation_id`, `app_id`, `status`, `channel_id`, `skill_id`,
    /// `sla_policy_id` (0: the emulator has no SLA policies), `sla_breached` (false), and the assigned agent (with
    /// its organisation-level id) and group when set.
    public static func conversation(_ conversation: Conversation) -> JSONValue {
        var object: JSONObject = [
            "conversation_id": .string(conversation.id), "app_id": .string(conversation.appID),
            "status": .string(conversation.status.rawValue), "channel_id": .string(conversation.channelID),
            "skill_id": .integer(conversation.skillID), "sla_policy_id": 0, "sla_breached": false,
        ]
        if let agent = conversation.assignedAgentID {
            object["assigned_agent_id"] = .string(agent)
            object["assigned_org_agent_id"] = .string(conversation.assignedOrgAgentID ?? "")
        }
        if let group = conversation.assignedGroupID { object["assigned_group_id"] = .string(group) }
        return .object(object)
    }
}
