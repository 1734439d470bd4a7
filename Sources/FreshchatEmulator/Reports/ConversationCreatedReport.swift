/// The Conversation-Created raw report (docs L3448–3461): one row per interaction started in the sub-report — a
/// conversation created, or reopened (L3450: "reopened: If true, specifies that the conversation is a reopened
/// conversation").
enum ConversationCreatedReport: RawReportWriter {
    /// docs L3449–3461, in that order.
    static let columns = [
        "channel_name", "reopened", "actor_type", "group_name", "reopen_cause", "created_at", "interaction_id",
        "conv_url", "interaction_raw_id", "group_id", "conversation_id", "is_conv_offline", "channel_id",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let started = data.derived.interactions.filter { ReportData.within($0.start, from, to) }
        return ReportData.timeOrdered(started, by: \.start).map { interaction in
            var row = ReportRow(columns)
            row["channel_name"] = data.channelName(interaction.channelID)
            row["reopened"] = ReportData.bool(interaction.reopened)
            row["actor_type"] = ReportData.actorType(interaction.initiatorActorType)
            // docs L3452: "Name of the group to which the created conversation is assigned. As soon as they are
            // created, conversations can be auto-assigned" — the group it started with.
            row["group_name"] = data.groupName(interaction.startGroupID)
            row["reopen_cause"] = reopenCause(interaction.reopenCause)
            row["created_at"] = ReportData.time(interaction.start)
            row["interaction_id"] = interaction.key.interactionID
            row["conv_url"] = data.conversationURL(interaction.key.conversationID)
            row["interaction_raw_id"] = ReportData.rawID(interaction)
            row["group_id"] = interaction.startGroupID ?? ""
            row["conversation_id"] = interaction.key.conversationID
            // docs L3460: "created or reopened outside business hours, through Freshchat's Offline Experience
            // workflow" — the emulator has no such workflow.
            row["is_conv_offline"] = ReportData.bool(false)
            row["channel_id"] = interaction.channelID ?? ""
            return row.cells
        }
    }

    /// docs L3453: "Possible values: AGENT_REOPEN, USER_MESSAGE, CUSTOMER_DISSATISFACTION, BOT, and FREDDY_BOT." The
    /// EventLog's causes: `API` (PUT status reopened, on an agent's behalf), `USER_MESSAGE`,
    /// `CUSTOMER_DISSATISFACTION` (a CSAT rating asking to reopen).
    static func reopenCause(_ cause: String?) -> String {
        switch cause {
        case nil: return ""
        case "API"?: return "AGENT_REOPEN"
        case let other?: return other
        }
    }
}
