/// The Chat-Transcript raw report (docs L3427–3446): one row per message sent in the sub-report, in time order.
enum ChatTranscriptReport: MessageRowWriter {
    /// docs L3428–3446, in that order (L3431's "(Used only for internal purposes)" is a remark, not the name).
    static let columns = [
        "conversation_id", "conversation_url", "customer_id", "detailed_message_type", "interaction_raw_id",
        "message_id", "message_type", "message_parts", "created_time", "actor_id", "actor_type", "actor_sub_entity",
        "actor_email", "actor_phone", "actor_first_name", "actor_last_name", "message_source", "channel_id",
        "channel_name",
    ]

    /// docs L3435 message_parts.
    static let printsMessageParts = true

    /// The row of one message.
    static func row(_ record: EventDerivations.MessageRecord, _ data: ReportData) -> [String] {
        let event = record.event
        let interaction = data.derived.interaction(event.conversationID, event.interactionID)
        let messageType = event.data["message_type"]?.stringValue ?? ""
        var row = ReportRow(columns)
        row["conversation_id"] = event.conversationID ?? ""
        row["conversation_url"] = data.conversationURL(event.conversationID)
        // docs L3430: "System generated identifier of the user who initiated the interaction."
        row["customer_id"] = interaction?.userID ?? ""
        row["detailed_message_type"] = detailedType(actorType: event.actorType, messageType: messageType)
        row["interaction_raw_id"] = ReportData.rawID(interaction)
        row["message_id"] = event.messageID ?? ""
        row["message_type"] = messageType
        // docs L3435: "In the report, message_parts field is an array of JSON objects." An erased message (GDPR)
        // has `[]`, a deleted one nothing.
        row["message_parts"] = event.messageID.flatMap { data.directory.messageParts[$0] } ?? ""
        row["created_time"] = ReportData.time(event.time)
        row["actor_id"] = event.actorID ?? ""
        row["actor_type"] = ReportData.actorType(event.actorType)
        row["actor_sub_entity"] = ReportData.actorSubType(event.actorType)
        // docs L3440–3443: the sender's email, phone and names; "For system messages, an empty value is
        // returned." The phone is a user's (L3441: "Phone number of the user who sent the message").
        switch event.actorType {
        case Message.ActorType.user.rawValue?:
            let user = event.actorID.flatMap { data.directory.users[$0] }
            row["actor_email"] = user?.email ?? ""
            row["actor_phone"] = user?.phone ?? ""
            row["actor_first_name"] = user?.firstName ?? ""
            row["actor_last_name"] = user?.lastName ?? ""
        case Message.ActorType.agent.rawValue?:
            let agent = event.actorID.flatMap { data.directory.agents[$0] }
            row["actor_email"] = agent?.email ?? ""
            row["actor_first_name"] = agent?.firstName ?? ""
            row["actor_last_name"] = agent?.lastName ?? ""
        default:
            break
        }
        // docs L3444: "Possible values: web, system, mobile, api, …" — every message reaches the emulator
        // through its REST API.
        row["message_source"] = "api"
        row["channel_id"] = event.channelID ?? ""
        row["channel_name"] = data.channelName(event.channelID)
        return row.cells
    }

    /// docs L3431: "For example, 1 (message sent by the agent or user), 2 (message sent by bot), 1000 (private note
    /// added to the conversation), and so on." A system message has no documented code: empty.
    static func detailedType(actorType: String?, messageType: String) -> String {
        if messageType == Message.MessageType.private.rawValue { return "1000" }
        switch actorType {
        case Message.ActorType.bot.rawValue?: return "2"
        case Message.ActorType.user.rawValue?, Message.ActorType.agent.rawValue?: return "1"
        default: return ""
        }
    }
}
