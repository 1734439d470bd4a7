/// The Classic raw report (docs L3666–3746): one row per interaction started (created or reopened) in the sub-report,
/// with its assignments, responses, resolution, CSAT rating and user.
///
/// Times: `first_response_time_secs` is measured from the interaction's first user message (as First-Response-Time),
/// `time_to_first_response_from_create_secs` from its start; `resolution_time_secs` and
/// `time_to_resolve_from_create_secs` both from its start; `time_to_first_assign_secs` from its start to the first
/// agent assignment. Averages and counts cover the interaction's responses (EventDerivations).
enum ClassicReport: RawReportWriter {
    /// docs L3667–3746, in that order.
    static let columns = [
        "agent_reopen", "avg_response_time_secs", "channel", "channel_id", "conversation_alias", "conversation_id",
        "created_timestamp", "created_timestamp_millis", "csat_agent", "csat_agent_id", "csat_group", "csat_group_id",
        "csat_issue_resolved", "csat_rating", "csat_response", "csat_timestamp", "csat_timestamp_millis",
        "first_assigned_group", "first_assigned_group_id", "first_group_assigned_by", "first_assigned_timestamp",
        "first_assigned_timestamp_millis", "first_assigned_by", "first_assigned_to", "first_assigned_to_id",
        "first_group_assigned_timestamp", "first_group_assigned_timestamp_millis", "first_response_timestamp",
        "first_response_timestamp_millis", "first_response_time_secs", "first_response_time_formatted",
        "first_responded_by", "first_responded_by_id", "first_response_assigned_agent",
        "first_response_assigned_agent_id", "first_response_group", "first_response_group_id", "interaction_id",
        "is_offline_conversation", "last_response_timestamp", "lastresponse_timestamp_millis", "last_responded_by",
        "last_responded_by_id", "last_response_assigned_agent", "last_response_assigned_agent_id",
        "last_response_assigned_group", "last_response_assigned_group_id", "label_timestamp", "label_timestamp_millis",
        "label_applied_by", "label_applied_by_id", "reassigns", "resolution_timestamp", "resolution_timestamp_millis",
        "resolution_time_secs", "resolution_time_formatted", "resolved_by", "resolved_by_id",
        "resolution_assigned_agent", "resolution_assigned_agent_id", "resolution_assigned_group",
        "resolution_assigned_group_id", "resolution_label", "resolution_label_subcategory", "reopened",
        "response_count", "time_to_first_assign_secs", "time_to_first_response_from_create_secs",
        "time_to_first_response_from_create_formatted", "time_to_resolve_from_create_secs",
        "time_to_resolve_from_create_formatted", "user_id", "user_name", "user_email", "user_phone", "user_identifier",
        "user_source",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let started = data.derived.interactions.filter { ReportData.within($0.start, from, to) }
        return ReportData.timeOrdered(started, by: \.start).map { interaction in
            var row = ReportRow(columns)
            // docs L3667: "If true, specifies that an agent reopened the conversation." — reopened through the API.
            row["agent_reopen"] = ReportData.bool(interaction.reopenCause == "API")
            let waited = interaction.responses.reduce(Int64(0)) { $0 + $1.waited }
            row["avg_response_time_secs"] = ReportCalendar.ratio(waited, Int64(interaction.responses.count) * 1000)
            row["channel"] = data.channelName(interaction.channelID)
            row["channel_id"] = interaction.channelID ?? ""
            // docs L3671: "Unique system generated identifier of the conversation … record" — the conversation's id.
            row["conversation_alias"] = interaction.key.conversationID
            row["conversation_id"] = interaction.key.conversationID
            row["created_timestamp"] = ReportData.time(interaction.start)
            row["created_timestamp_millis"] = ReportData.millis(interaction.start)
            csat(interaction, data, into: &row)
            assignments(interaction, data, into: &row)
            responses(interaction, data, into: &row)
            row["interaction_id"] = interaction.key.interactionID
            // docs L3708: offline "when it is created, reopened, or a message is sent to it outside business hours"
            // through the Offline Experience, which the emulator does not have.
            row["is_offline_conversation"] = ReportData.bool(false)
            row["reassigns"] = String(interaction.agentAssignments.filter(\.reassigned).count)
            resolution(interaction, data, into: &row)
            row["reopened"] = ReportData.bool(interaction.reopened)
            row["response_count"] = String(interaction.responses.count)
            row["time_to_first_assign_secs"] = ReportData.seconds(
                interaction.agentAssignments.first.map { $0.time - interaction.start })
            let fromCreate = interaction.firstResponse.map { $0.time - interaction.start }
            row["time_to_first_response_from_create_secs"] = ReportData.seconds(fromCreate)
            row["time_to_first_response_from_create_formatted"] = ReportData.hms(fromCreate)
            let user = interaction.userID.flatMap { data.directory.users[$0] }
            row["user_id"] = interaction.userID ?? ""
            row["user_name"] = user?.name ?? ""
            row["user_email"] = user?.email ?? ""
            row["user_phone"] = user?.phone ?? ""
            // docs L3745: "External identifier (reference) … Default value: null." — the user's reference_id.
            row["user_identifier"] = user?.referenceID ?? ""
            return row.cells
        }
    }

    /// docs L3675–3683: the rating of the interaction.
    private static func csat(_ interaction: EventDerivations.Interaction, _ data: ReportData, into row: inout ReportRow)
    {
        guard let event = interaction.csat else { return }
        row["csat_agent"] = data.agentName(event.agentID)
        // docs L3676: "csat_agent_id: Email address of the agent who resolved the conversation".
        row["csat_agent_id"] = data.agentEmail(event.agentID)
        row["csat_group"] = data.groupName(event.groupID)
        row["csat_group_id"] = event.groupID ?? ""
        row["csat_issue_resolved"] = ReportData.bool(event.data["issue_resolved"]?.boolValue ?? false)
        row["csat_rating"] = event.data["rating"]?.intValue.map { String($0) } ?? ""
        row["csat_response"] = event.data["csat_response_id"]?.intValue.flatMap { data.directory.feedback[$0] } ?? ""
        // docs L3682: "when a CSAT survey is triggered" — the survey's answer is all the log has: the rating's time.
        row["csat_timestamp"] = ReportData.time(event.time)
        row["csat_timestamp_millis"] = ReportData.millis(event.time)
    }

    /// docs L3684–3696: the first group and the first agent.
    private static func assignments(
        _ interaction: EventDerivations.Interaction, _ data: ReportData, into row: inout ReportRow
    ) {
        // The group it started with (assigned with the creation, or kept through the reopening), else the first
        // assigned later.
        let firstGroup: (id: String, time: Int64)? =
            interaction.startGroupID.map { ($0, interaction.start) }
            ?? interaction.groupAssignments.first.map { ($0.id, $0.time) }
        if let firstGroup {
            row["first_assigned_group"] = data.groupName(firstGroup.id)
            row["first_assigned_group_id"] = firstGroup.id
            // docs L3686–3688: "Possible values: channel_group_mapping, api."
            row["first_group_assigned_by"] = "api"
            row["first_group_assigned_timestamp"] = ReportData.time(firstGroup.time)
            row["first_group_assigned_timestamp_millis"] = ReportData.millis(firstGroup.time)
        }
        if let first = interaction.agentAssignments.first {
            row["first_assigned_timestamp"] = ReportData.time(first.time)
            row["first_assigned_timestamp_millis"] = ReportData.millis(first.time)
            // docs L3691–3692: "Possible values: AGENT, BOT, and SYSTEM" — the REST API: SYSTEM.
            row["first_assigned_by"] = ReportData.actorType(Message.ActorType.system.rawValue)
            row["first_assigned_to"] = data.agentName(first.id)
            row["first_assigned_to_id"] = first.id
        }
    }

    /// docs L3697–3716: the first and the last response.
    private static func responses(
        _ interaction: EventDerivations.Interaction, _ data: ReportData, into row: inout ReportRow
    ) {
        if let first = interaction.firstResponse {
            row["first_response_timestamp"] = ReportData.time(first.time)
            row["first_response_timestamp_millis"] = ReportData.millis(first.time)
            row["first_response_time_secs"] = ReportData.seconds(first.waited)
            row["first_response_time_formatted"] = ReportData.hms(first.waited)
            row["first_responded_by"] = data.agentName(first.agentID)
            row["first_responded_by_id"] = first.agentID
            // docs L3703: "Email address of the agent to whom the conversation … was assigned".
            row["first_response_assigned_agent"] = data.agentEmail(first.assignedAgentID)
            row["first_response_assigned_agent_id"] = first.assignedAgentID ?? ""
            row["first_response_group"] = data.groupName(first.groupID)
            row["first_response_group_id"] = first.groupID ?? ""
        }
        if let last = interaction.lastResponse {
            row["last_response_timestamp"] = ReportData.time(last.time)
            row["lastresponse_timestamp_millis"] = ReportData.millis(last.time)
            row["last_responded_by"] = data.agentName(last.agentID)
            row["last_responded_by_id"] = last.agentID
            row["last_response_assigned_agent"] = data.agentEmail(last.assignedAgentID)
            row["last_response_assigned_agent_id"] = last.assignedAgentID ?? ""
            row["last_response_assigned_group"] = data.groupName(last.groupID)
            row["last_response_assigned_group_id"] = last.groupID ?? ""
        }
    }

    /// docs L3722–3731 and L3739–3740: the resolution.
    private static func resolution(
        _ interaction: EventDerivations.Interaction, _ data: ReportData, into row: inout ReportRow
    ) {
        guard let resolution = interaction.resolution else { return }
        let took = resolution.time - interaction.start
        let resolver = Resolver(resolution)
        row["resolution_timestamp"] = ReportData.time(resolution.time)
        row["resolution_timestamp_millis"] = ReportData.millis(resolution.time)
        row["resolution_time_secs"] = ReportData.seconds(took)
        row["resolution_time_formatted"] = ReportData.hms(took)
        row["resolved_by"] = resolver.name(data)
        row["resolved_by_id"] = resolver.agentID ?? ""
        row["resolution_assigned_agent"] = data.agentEmail(resolution.agentID)
        row["resolution_assigned_agent_id"] = resolution.agentID ?? ""
        row["resolution_assigned_group"] = data.groupName(resolution.groupID)
        row["resolution_assigned_group_id"] = resolution.groupID ?? ""
        row["time_to_resolve_from_create_secs"] = ReportData.seconds(took)
        row["time_to_resolve_from_create_formatted"] = ReportData.hms(took)
    }
}
