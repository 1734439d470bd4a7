/// The Message-Sent raw report (docs L3463–3476): one row per message sent in the sub-report, in time order, with
/// the conversation's group when it was sent.
enum MessageSentReport: MessageRowWriter {
    /// docs L3464–3476, in that order.
    static let columns = [
        "channel_name", "actor_sub_type", "reopened", "actor_type", "group_name", "actor_name", "created_at",
        "interaction_id", "interaction_raw_id", "group_id", "conversation_id", "actor_id", "channel_id",
    ]

    /// The row of one message.
    static func row(_ record: EventDerivations.MessageRecord, _ data: ReportData) -> [String] {
        let event = record.event
        let interaction = data.derived.interaction(event.conversationID, event.interactionID)
        var row = ReportRow(columns)
        row["channel_name"] = data.channelName(event.channelID)
        row["actor_sub_type"] = ReportData.actorSubType(event.actorType)
        row["reopened"] = ReportData.bool(interaction?.reopened ?? false)
        row["actor_type"] = ReportData.actorType(event.actorType)
        // docs L3468: "Name of the group from which an agent responds through the message sent or is expected to
        // respond to a user message."
        row["group_name"] = data.groupName(record.groupID)
        row["actor_name"] = data.actorName(type: event.actorType, id: event.actorID)
        row["created_at"] = ReportData.time(event.time)
        row["interaction_id"] = event.interactionID ?? ""
        row["interaction_raw_id"] = ReportData.rawID(interaction)
        row["group_id"] = record.groupID ?? ""
        row["conversation_id"] = event.conversationID ?? ""
        row["actor_id"] = event.actorID ?? ""
        row["channel_id"] = event.channelID ?? ""
        return row.cells
    }
}
