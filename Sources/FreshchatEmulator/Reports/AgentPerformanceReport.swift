/// The Agent-performance raw report (docs L3748–3767): one row per agent in the store (ordered by email), measured
/// over the sub-report. Counts take the events in `[from, to)`; durations (active and online time, concurrency,
/// engagement) take the part of it before the report was generated.
///
/// Definitions: a response and a first response as in EventDerivations; handle time is an interaction's resolution
/// time (from its start) for the agent it was resolved by; active and online time are the time the agent was
/// AVAILABLE; an agent holds a conversation from its assignment until it is unassigned, replaced or resolved.
enum AgentPerformanceReport: RawReportWriter {
    /// docs L3749–3767, in that order.
    static let columns = [
        "agent_id", "agent_email", "agent_name", "average_first_response_time_secs", "average_response_time_secs",
        "average_handle_time_secs", "active_time_mins", "average_csat_score", "count_assigned", "count_resolved",
        "count_unique_resolved", "count_transfers_out", "count_messages", "count_responses", "concurrency",
        "engagement_time_secs", "online_time_mins", "report_start_time", "report_end_time",
    ]

    /// An agent holds a conversation through the sub-report without the conversation having an entry in it.
    static var readsWholeLog: Bool { true }

    static func rows(from: Int64, to: Int64, _ data: ReportData) -> [[String]] {
        let derived = data.derived
        let interactions = derived.interactions
        let responses = interactions.flatMap(\.responses).filter { ReportData.within($0.time, from, to) }
        let firstResponses = interactions.compactMap(\.firstResponse).filter { ReportData.within($0.time, from, to) }
        let resolved = interactions.filter { ReportData.within($0.resolution?.time, from, to) }
        let assignments = interactions.flatMap(\.agentAssignments).filter { ReportData.within($0.time, from, to) }
        let ratings = data.events.filter { $0.kind == .csatSubmitted && ReportData.within($0.time, from, to) }
        let messages = derived.messages.filter {
            ReportData.within($0.event.time, from, to) && $0.event.actorType == Message.ActorType.agent.rawValue
        }
        return data.directory.agentOrder.compactMap { data.directory.agents[$0] }.map { agent in
            let id = agent.id
            var row = ReportRow(columns)
            row["agent_id"] = id
            row["agent_email"] = agent.email
            row["agent_name"] = agent.name
            row["average_first_response_time_secs"] = averageSeconds(
                firstResponses.filter { $0.agentID == id }.map(\.waited))
            row["average_response_time_secs"] = averageSeconds(responses.filter { $0.agentID == id }.map(\.waited))
            let handled = resolved.filter { $0.resolution?.agentID == id }
            row["average_handle_time_secs"] = averageSeconds(
                handled.compactMap { interaction in interaction.resolution.map { $0.time - interaction.start } })
            // The measured window: the sub-report up to when the report was generated, from the agent's creation.
            let start = max(from, agent.createdTime)
            let end = min(to, data.generatedAt)
            let available = availableMillis(agent, from: start, to: end, data)
            // docs L3755: "Time for which the agent is active on IntelliAssign"; L3765: "Time for which the agent has
            // been online on Freshchat" — both the time AVAILABLE.
            row["active_time_mins"] = ReportCalendar.minutes(available)
            let scores = ratings.filter { $0.agentID == id }.compactMap { $0.data["rating"]?.intValue }
            row["average_csat_score"] = ReportCalendar.ratio(scores.reduce(0, +), Int64(scores.count))
            row["count_assigned"] = String(assignments.filter { $0.id == id }.count)
            row["count_resolved"] = String(handled.count)
            row["count_unique_resolved"] = String(Set(handled.map(\.key.conversationID)).count)
            // docs L3760: "Number of conversations reassigned to other agents from the agent".
            row["count_transfers_out"] = String(assignments.filter { $0.from == id && $0.id != id }.count)
            row["count_messages"] = String(messages.filter { $0.event.actorID == id }.count)
            row["count_responses"] = String(responses.filter { $0.agentID == id }.count)
            let held = derived.holdings.filter { $0.agentID == id }.compactMap { holding -> (Int64, Int64)? in
                let clippedStart = max(holding.start, from)
                let clippedEnd = min(holding.end ?? data.generatedAt, end)
                return clippedEnd > clippedStart ? (clippedStart, clippedEnd) : nil
            }
            // docs L3763: "Average number of conversations assigned to the agent for resolution simultaneously" —
            // the time-weighted average over the window.
            let window = end - from
            row["concurrency"] =
                window > 0 ? ReportCalendar.ratio(held.reduce(Int64(0)) { $0 + $1.1 - $1.0 }, window) : ""
            // docs L3764: "Time for which the agent is in the assigned mode … handling at least one conversation".
            row["engagement_time_secs"] = ReportCalendar.seconds(unionLength(held))
            row["online_time_mins"] = ReportCalendar.minutes(available)
            row["report_start_time"] = ReportData.time(from)
            row["report_end_time"] = ReportData.time(to)
            return row.cells
        }
    }

    /// The mean of durations, in seconds; empty without any.
    static func averageSeconds(_ durations: [Int64]) -> String {
        ReportCalendar.ratio(durations.reduce(0, +), Int64(durations.count) * 1000)
    }

    /// How long `agent` was AVAILABLE in `[from, to)`: its availability before its first logged change is that
    /// change's `from_availability_status`, or without changes its availability now.
    static func availableMillis(
        _ agent: ReportData.Directory.Agent, from: Int64, to: Int64, _ data: ReportData
    ) -> Int64 {
        guard to > from else { return 0 }
        let availableValue = Agent.Availability.available.rawValue
        let changes = data.derived.statusChanges.filter { $0.agentID == agent.id }
        var available = (changes.first?.fromAvailability ?? agent.availability) == availableValue
        var cursor = from
        var total: Int64 = 0
        for change in changes {
            if change.time >= to { break }
            if change.time > from {
                if available { total += change.time - cursor }
                cursor = change.time
            }
            available = change.availability == availableValue
        }
        if available { total += to - cursor }
        return total
    }

    /// The length of the union of `spans`.
    static func unionLength(_ spans: [(Int64, Int64)]) -> Int64 {
        var total: Int64 = 0
        var current: (Int64, Int64)?
        for span in spans.sorted(by: { $0.0 < $1.0 }) {
            if let open = current, span.0 <= open.1 {
                current = (open.0, max(open.1, span.1))
            } else {
                if let open = current { total += open.1 - open.0 }
                current = span
            }
        }
        if let open = current { total += open.1 - open.0 }
        return total
    }
}
