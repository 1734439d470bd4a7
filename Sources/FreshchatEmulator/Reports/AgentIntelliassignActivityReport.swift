/// The Agent-Intelliassign-Activity raw report (docs L3638–3646): one row per change of an agent's status in the
/// sub-report — to an IntelliAssign/OCR state (`active` when AVAILABLE, `inactive` when UNAVAILABLE) or to a custom
/// status (`custom_status`, with the status's name and how long the agent kept it).
enum AgentIntelliassignActivityReport: RawReportWriter {
    /// docs L3639–3646, in that order. The emulator has custom statuses (`PATCH /v2/agents/{id}`), so the two
    /// columns of L3643 ("available … only if this feature is enabled") are there; L3646's
    /// `agent_status in seconds` is written `agent_status_in_seconds`.
    static let columns = [
        "agent_name", "agent_id", "activity_type", "created_at", "agent_status", "agent_status_in_seconds",
    ]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let all = data.derived.statusChanges
        let changes = all.enumerated().filter { ReportData.within($0.element.time, from, to) }
        return ReportData.timeOrdered(changes, by: \.element.time).map { position, change in
            var row = ReportRow(columns)
            row["agent_name"] = data.agentName(change.agentID)
            row["agent_id"] = change.agentID
            row["created_at"] = ReportData.time(change.time)
            if change.toStatusID != nil {
                // docs L3641: "… or setting a custom status"; L3645: "agent_status: Custom status set by the agent.";
                // L3646: "Duration for which the agent has set the custom status" — until the agent's next status
                // change, empty while it lasts.
                row["activity_type"] = "custom_status"
                row["agent_status"] = change.toStatusName ?? ""
                let next = all[(position + 1)...].first { $0.agentID == change.agentID }
                row["agent_status_in_seconds"] = ReportData.seconds(next.map { $0.time - change.time })
            } else {
                // docs L3641: "agent logging in (active), logging off (inactive)".
                let available = change.availability == Agent.Availability.available.rawValue
                row["activity_type"] = available ? "active" : "inactive"
            }
            return row.cells
        }
    }
}
