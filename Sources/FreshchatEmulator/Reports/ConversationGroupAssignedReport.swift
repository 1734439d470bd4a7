/// The Conversation-Group-Assigned raw report (docs L3614–3630): one row per assignment of a conversation to a group
/// in the sub-report, with the time from the interaction's start to it.
enum ConversationGroupAssignedReport: RawReportWriter {
    /// docs L3615–3630, in that order.
    static let columns = [
        "conversation_id", "interaction_id", "channel_id", "channel_name", "group_id", "group_name", "actor_id",
        "actor_type", "created_at", "reassigned", "value", "reopened", "agent_name", "agent_id", "actor_name",
        "interaction_raw_id",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let assignments = data.derived.interactions.flatMap { interaction in
            interaction.groupAssignments.filter { ReportData.within($0.time, from, to) }.map { (interaction, $0) }
        }
        return ReportData.timeOrdered(assignments, by: \.1.time).map { interaction, assignment in
            var row = ReportRow(columns)
            row["conversation_id"] = interaction.key.conversationID
            row["interaction_id"] = interaction.key.interactionID
            row["channel_id"] = interaction.channelID ?? ""
            row["channel_name"] = data.channelName(interaction.channelID)
            row["group_id"] = assignment.id
            row["group_name"] = data.groupName(assignment.id)
            // docs L3621–3622: "the entity that assigned the conversation to the group" — the REST API: SYSTEM.
            let system = Message.ActorType.system.rawValue
            row["actor_type"] = ReportData.actorType(system)
            row["created_at"] = ReportData.time(assignment.time)
            row["reassigned"] = ReportData.bool(assignment.reassigned)
            row["value"] = ReportData.seconds(assignment.time - interaction.start)
            row["reopened"] = ReportData.bool(interaction.reopened)
            // docs L3627–3628: "the agent to whom the conversation is assigned for resolution".
            row["agent_name"] = data.agentName(interaction.resolutionAgentID)
            row["agent_id"] = interaction.resolutionAgentID ?? ""
            row["actor_name"] = data.actorName(type: system, id: nil)
            row["interaction_raw_id"] = ReportData.rawID(interaction)
            return row.cells
        }
    }
}
