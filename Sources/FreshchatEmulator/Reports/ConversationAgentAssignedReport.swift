/// The Conversation-Agent-Assigned raw report (docs L3600–3612): one row per assignment of a conversation to an agent
/// in the sub-report, with the time from the interaction's start to it.
enum ConversationAgentAssignedReport: RawReportWriter {
    /// docs L3601–3612, in that order.
    static let columns = [
        "conversation_id", "interaction_id", "channel_id", "channel_name", "group_id", "group_name", "agent_id",
        "actor_id", "actor_type", "created_at", "reassigned", "value",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let assignments = data.derived.interactions.flatMap { interaction in
            interaction.agentAssignments.filter { ReportData.within($0.time, from, to) }.map { (interaction, $0) }
        }
        return ReportData.timeOrdered(assignments, by: \.1.time).map { interaction, assignment in
            var row = ReportRow(columns)
            row["conversation_id"] = interaction.key.conversationID
            row["interaction_id"] = interaction.key.interactionID
            row["channel_id"] = interaction.channelID ?? ""
            row["channel_name"] = data.channelName(interaction.channelID)
            // docs L3605: "the group to which the agent to whom the conversation is assigned belongs" — the
            // conversation's group.
            row["group_id"] = assignment.groupID ?? ""
            row["group_name"] = data.groupName(assignment.groupID)
            row["agent_id"] = assignment.id
            // docs L3608–3609: "the entity that assigned the conversation" — the REST API, which names none: SYSTEM.
            row["actor_type"] = ReportData.actorType(Message.ActorType.system.rawValue)
            row["created_at"] = ReportData.time(assignment.time)
            row["reassigned"] = ReportData.bool(assignment.reassigned)
            // docs L3612: "Time taken to assign a conversation to an agent, specified in seconds." — from the start
            // of the interaction.
            row["value"] = ReportData.seconds(assignment.time - interaction.start)
            return row.cells
        }
    }
}
