/// The Agent-Activity raw report (docs L3632–3636): one row per change of an agent's availability in the sub-report.
/// The emulator has no dashboard sign-in; an agent becoming AVAILABLE (`PUT /v2/agents/{id}` availability_status) is
/// read as logging in (`online`), becoming UNAVAILABLE (that, or a custom status set with `PATCH
/// /v2/agents/{id}`) as logging off (`offline`). Status changes that keep the availability are not activity here.
enum AgentActivityReport: RawReportWriter {
    /// docs L3633–3636, in that order.
    static let columns = ["agent_name", "agent_id", "activity_type", "created_at"]

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let changes = data.derived.statusChanges.filter {
            ReportData.within($0.time, from, to) && $0.availability != $0.fromAvailability
        }
        return ReportData.timeOrdered(changes, by: \.time).map { change in
            var row = ReportRow(columns)
            row["agent_name"] = data.agentName(change.agentID)
            row["agent_id"] = change.agentID
            // docs L3635: "Type of activity, agent logging in (online) or logging off (offline)".
            row["activity_type"] = change.availability == Agent.Availability.available.rawValue ? "online" : "offline"
            row["created_at"] = ReportData.time(change.time)
            return row.cells
        }
    }
}
