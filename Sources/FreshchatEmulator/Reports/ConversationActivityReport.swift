/// The Conversation-Activity raw report (docs L3648–3664): "the details of all conversations created, reopened and
/// resolved within a time frame" (L3419) — one row per interaction that started (creation or reopening) or was
/// resolved in the sub-report, ordered by the first of those that falls in it.
enum ConversationActivityReport: RawReportWriter {
    /// docs L3649–3664, in that order.
    static let columns = [
        "created_at", "interaction_raw_id", "interaction_id", "conversation_id", "user_id", "org_contact_id",
        "assigned_at", "agent_id", "org_agent_id", "resolved_at", "resolved_by", "group_id", "org_group_id",
        "group_name", "channel_id", "channel_name",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let active = data.derived.interactions.compactMap { interaction -> (EventDerivations.Interaction, Int64)? in
            if ReportData.within(interaction.start, from, to) { return (interaction, interaction.start) }
            if let resolved = interaction.resolution?.time, ReportData.within(resolved, from, to) {
                return (interaction, resolved)
            }
            return nil
        }
        return ReportData.timeOrdered(active, by: \.1).map { interaction, _ in
            let agentID = interaction.resolutionAgentID
            let groupID = interaction.resolutionGroupID
            var row = ReportRow(columns)
            row["created_at"] = ReportData.time(interaction.start)
            row["interaction_raw_id"] = ReportData.rawID(interaction)
            row["interaction_id"] = interaction.key.interactionID
            row["conversation_id"] = interaction.key.conversationID
            row["user_id"] = interaction.userID ?? ""
            row["org_contact_id"] = interaction.userID.flatMap { data.directory.users[$0]?.orgContactID } ?? ""
            // docs L3655: "Timestamp of when the conversation is assigned to an agent" — to the agent of L3656, the
            // one it is assigned to for resolution.
            let assigned = interaction.agentAssignments.last { $0.id == agentID }
            row["assigned_at"] = ReportData.time(agentID == nil ? nil : assigned?.time)
            row["agent_id"] = agentID ?? ""
            row["org_agent_id"] = agentID.flatMap { data.directory.agents[$0]?.orgContactID } ?? ""
            row["resolved_at"] = ReportData.time(interaction.resolution?.time)
            row["resolved_by"] = interaction.resolution?.agentID ?? ""
            row["group_id"] = groupID ?? ""
            // docs L3661 org_group_id: groups have no organisation-level id in the emulator (as assigned_org_group_id,
            // L764): empty.
            row["group_name"] = data.groupName(groupID)
            row["channel_id"] = interaction.channelID ?? ""
            row["channel_name"] = data.channelName(interaction.channelID)
            return row.cells
        }
    }
}
