/// The Resolution-Time raw report (docs L3581–3598): one row per interaction resolved in the sub-report, its
/// resolution time measured from the interaction's start (creation or reopening) to its resolution.
enum ResolutionTimeReport: RawReportWriter {
    /// docs L3582–3598, in that order.
    static let columns = [
        "channel_name", "actor_sub_type", "reopened", "agent_name", "agent_id", "actor_type", "group_name",
        "actor_name", "created_at", "interaction_id", "interaction_raw_id", "group_id", "actor_belongs_to_group",
        "conversation_id", "value_in_seconds", "actor_id", "channel_id",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let resolved = data.derived.interactions.filter { ReportData.within($0.resolution?.time, from, to) }
        return ReportData.timeOrdered(resolved, by: { $0.resolution?.time ?? 0 }).map { interaction in
            let resolution = interaction.resolution
            let resolver = Resolver(resolution)
            var row = ReportRow(columns)
            row["channel_name"] = data.channelName(interaction.channelID)
            row["actor_sub_type"] = ReportData.actorSubType(resolver.actorType)
            row["reopened"] = ReportData.bool(interaction.reopened)
            row["agent_name"] = data.agentName(resolution?.agentID)
            row["agent_id"] = resolution?.agentID ?? ""
            row["actor_type"] = resolver.actorType
            row["group_name"] = data.groupName(resolution?.groupID)
            row["actor_name"] = resolver.name(data)
            // docs L3590: "Timestamp of when the conversation is resolved, specified in UTC format."
            row["created_at"] = ReportData.time(resolution?.time)
            row["interaction_id"] = interaction.key.interactionID
            row["interaction_raw_id"] = ReportData.rawID(interaction)
            row["group_id"] = resolution?.groupID ?? ""
            row["actor_belongs_to_group"] = ReportData.bool(data.belongs(resolver.agentID, to: resolution?.groupID))
            row["conversation_id"] = interaction.key.conversationID
            // docs L3596: "Average time taken to resolve the conversation, during an interaction." — one
            // resolution per interaction, so its own time.
            row["value_in_seconds"] = ReportData.seconds(resolution.map { $0.time - interaction.start })
            row["actor_id"] = resolver.agentID ?? ""
            row["channel_id"] = interaction.channelID ?? ""
            return row.cells
        }
    }
}
