/// The CSAT-Score raw report (docs L3520–3542): one row per CSAT rating received in the sub-report (`POST
/// /v2/csat/{conversation_id}`), attributed to the agent the rated interaction was resolved by.
enum CSATScoreReport: RawReportWriter {
    /// docs L3521–3542, in that order.
    static let columns = [
        "channel_name", "reopened", "agent_name", "agent_id", "csat_id", "csat_submitter_user_name",
        "csat_submitter_user_id", "group_name", "actor_name", "created_at", "has_response", "interaction_id",
        "interaction_raw_id", "issue_resolved", "group_id", "actor_belongs_to_group", "conversation_id",
        "csat_reopen", "csat_response", "actor_id", "channel_id", "value",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let ratings = data.events.filter { $0.kind == .csatSubmitted && ReportData.within($0.time, from, to) }
        return ReportData.timeOrdered(ratings, by: \.time).map { event in
            let interaction = data.derived.interaction(event.conversationID, event.interactionID)
            let feedback = event.data["csat_response_id"]?.intValue.flatMap { data.directory.feedback[$0] } ?? ""
            // The CSAT event's agent is the one assigned when the interaction was resolved (CSATAPI).
            let resolver = Resolver(EventDerivations.Resolution(time: event.time, agentID: event.agentID))
            var row = ReportRow(columns)
            row["channel_name"] = data.channelName(event.channelID)
            row["reopened"] = ReportData.bool(interaction?.reopened ?? false)
            row["agent_name"] = data.agentName(event.agentID)
            row["agent_id"] = event.agentID ?? ""
            // docs L3525 csat_id: "identifier of the CSAT setting configured for the business account" — the
            // emulator has no CSAT settings: empty.
            row["csat_submitter_user_name"] = data.userName(event.userID)
            row["csat_submitter_user_id"] = event.userID ?? ""
            row["group_name"] = data.groupName(event.groupID)
            row["actor_name"] = resolver.name(data)
            row["created_at"] = ReportData.time(event.time)
            // docs L3531: "If true, specifies that the user has provided additional comments along with the rating."
            row["has_response"] = ReportData.bool(!feedback.isEmpty)
            row["interaction_id"] = event.interactionID ?? ""
            row["interaction_raw_id"] = ReportData.rawID(interaction)
            row["issue_resolved"] = ReportData.bool(event.data["issue_resolved"]?.boolValue ?? false)
            row["group_id"] = event.groupID ?? ""
            row["actor_belongs_to_group"] = ReportData.bool(data.belongs(event.agentID, to: event.groupID))
            row["conversation_id"] = event.conversationID ?? ""
            row["csat_reopen"] = ReportData.bool(event.data["reopen_conversation"]?.boolValue ?? false)
            row["csat_response"] = feedback
            row["actor_id"] = event.agentID ?? ""
            row["channel_id"] = event.channelID ?? ""
            // docs L3542: "Numeric value of the CSAT rating." Empty when the user gave none (issue not resolved).
            row["value"] = event.data["rating"]?.intValue.map { String($0) } ?? ""
            return row.cells
        }
    }
}
