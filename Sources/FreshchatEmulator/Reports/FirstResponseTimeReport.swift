/// The First-Response-Time raw report (docs L3544–3560): one row per interaction whose first response was sent in
/// the sub-report. The first response is the first agent message after the interaction's first user message, and
/// its time is measured from that user message (EventDerivations).
enum FirstResponseTimeReport: RawReportWriter {
    /// docs L3545–3560, in that order.
    static let columns = [
        "channel_name", "reopened", "agent_name", "agent_id", "group_name", "actor_name", "created_at",
        "interaction_id", "interaction_raw_id", "total_first_response_time_in_seconds", "group_id",
        "actor_belongs_to_group", "conversation_id", "value_in_seconds", "actor_id", "channel_id",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let answered = data.derived.interactions.filter { ReportData.within($0.firstResponse?.time, from, to) }
        return ReportData.timeOrdered(answered, by: { $0.firstResponse?.time ?? 0 }).map { interaction in
            let response = interaction.firstResponse
            var row = ReportRow(columns)
            row["channel_name"] = data.channelName(interaction.channelID)
            row["reopened"] = ReportData.bool(interaction.reopened)
            // docs L3547–3549: the agent and group the conversation had when the response was sent; "If there is a
            // response … before assignment to an agent, in the report, this field value is empty."
            row["agent_name"] = data.agentName(response?.assignedAgentID)
            row["agent_id"] = response?.assignedAgentID ?? ""
            row["group_name"] = data.groupName(response?.groupID)
            row["actor_name"] = data.agentName(response?.agentID)
            row["created_at"] = ReportData.time(response?.time)
            row["interaction_id"] = interaction.key.interactionID
            row["interaction_raw_id"] = ReportData.rawID(interaction)
            row["total_first_response_time_in_seconds"] = ReportData.seconds(response?.waited)
            row["group_id"] = response?.groupID ?? ""
            row["actor_belongs_to_group"] = ReportData.bool(data.belongs(response?.agentID, to: response?.groupID))
            row["conversation_id"] = interaction.key.conversationID
            // docs L3558: "taking into consideration the business hours set up for the organization" — the emulator
            // counts every hour (as total_first_response_time_in_seconds, L3554).
            row["value_in_seconds"] = ReportData.seconds(response?.waited)
            row["actor_id"] = response?.agentID ?? ""
            row["channel_id"] = interaction.channelID ?? ""
            return row.cells
        }
    }
}
