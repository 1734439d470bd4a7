/// The Response-Time raw report (docs L3562–3579): for each interaction resolved in the sub-report (L3571
/// created_at: "Timestamp of when the conversation is resolved"), one row per agent who responded in it, with the
/// sum of that agent's response times (L3577: "the sum of all response times recorded for an interaction"), agents
/// in the order of their first response. A response answers the earliest user message waiting for one
/// (EventDerivations).
enum ResponseTimeReport: RawReportWriter {
    /// docs L3563–3579, in that order.
    static let columns = [
        "channel_name", "actor_sub_type", "reopened", "agent_name", "agent_id", "actor_type", "group_name",
        "actor_name", "created_at", "interaction_id", "interaction_raw_id", "group_id", "actor_belongs_to_group",
        "conversation_id", "value_in_seconds", "actor_id", "channel_id",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let resolved = data.derived.interactions.filter { ReportData.within($0.resolution?.time, from, to) }
        var rows: [[String]] = []
        for interaction in ReportData.timeOrdered(resolved, by: { $0.resolution?.time ?? 0 }) {
            var agents: [String] = []
            var totals: [String: Int64] = [:]
            for response in interaction.responses {
                if totals[response.agentID] == nil { agents.append(response.agentID) }
                totals[response.agentID, default: 0] += response.waited
            }
            let resolution = interaction.resolution
            for agent in agents {
                var row = ReportRow(columns)
                row["channel_name"] = data.channelName(interaction.channelID)
                row["reopened"] = ReportData.bool(interaction.reopened)
                // docs L3566–3569: the agent and group "to which the conversation is assigned for resolution";
                // "If there is no specific assignment for a conversation, in the report, this field is empty."
                row["agent_name"] = data.agentName(resolution?.agentID)
                row["agent_id"] = resolution?.agentID ?? ""
                row["actor_type"] = ReportData.actorType(Message.ActorType.agent.rawValue)
                row["group_name"] = data.groupName(resolution?.groupID)
                row["actor_name"] = data.agentName(agent)
                row["created_at"] = ReportData.time(resolution?.time)
                row["interaction_id"] = interaction.key.interactionID
                row["interaction_raw_id"] = ReportData.rawID(interaction)
                row["group_id"] = resolution?.groupID ?? ""
                row["actor_belongs_to_group"] = ReportData.bool(data.belongs(agent, to: resolution?.groupID))
                row["conversation_id"] = interaction.key.conversationID
                row["value_in_seconds"] = ReportData.seconds(totals[agent])
                row["actor_id"] = agent
                row["channel_id"] = interaction.channelID ?? ""
                rows.append(row.cells)
            }
        }
        return rows
    }
}
