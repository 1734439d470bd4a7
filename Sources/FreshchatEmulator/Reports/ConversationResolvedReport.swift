/// The Conversation-Resolved raw report (docs L3478–3494): one row per interaction resolved in the sub-report.
enum ConversationResolvedReport: RawReportWriter {
    /// docs L3479–3494, in that order.
    static let columns = [
        "channel_name", "reopened", "actor_type", "resolve_type", "agent_name", "agent_id", "group_name",
        "actor_name", "created_at", "interaction_id", "interaction_raw_id", "group_id", "actor_belongs_to_group",
        "conversation_id", "actor_id", "channel_id",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let resolved = data.derived.interactions.filter { ReportData.within($0.resolution?.time, from, to) }
        return ReportData.timeOrdered(resolved, by: { $0.resolution?.time ?? 0 }).map { interaction in
            let resolution = interaction.resolution
            let resolver = Resolver(resolution)
            var row = ReportRow(columns)
            row["channel_name"] = data.channelName(interaction.channelID)
            row["reopened"] = ReportData.bool(interaction.reopened)
            row["actor_type"] = resolver.actorType
            row["resolve_type"] = resolver.resolveType
            row["agent_name"] = data.agentName(resolution?.agentID)
            row["agent_id"] = resolution?.agentID ?? ""
            row["group_name"] = data.groupName(resolution?.groupID)
            row["actor_name"] = resolver.name(data)
            // docs L3487: "Timestamp of when the conversation that is assigned for resolution is created" — read as
            // the time of this report's event, the resolution, as created_at is in every other raw report.
            row["created_at"] = ReportData.time(resolution?.time)
            row["interaction_id"] = interaction.key.interactionID
            row["interaction_raw_id"] = ReportData.rawID(interaction)
            row["group_id"] = resolution?.groupID ?? ""
            row["actor_belongs_to_group"] = ReportData.bool(data.belongs(resolver.agentID, to: resolution?.groupID))
            row["conversation_id"] = interaction.key.conversationID
            row["actor_id"] = resolver.agentID ?? ""
            row["channel_id"] = interaction.channelID ?? ""
            return row.cells
        }
    }
}
