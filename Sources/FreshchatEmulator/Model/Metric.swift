/// A historical metric, named as the docs' table names it (docs L3965–4046, "Historical metrics"): whether it counts
/// or aggregates, which `group_by` values it takes and whether it is computed from now and `x_time` rather than
/// from `start` and `end`.
enum Metric: String, CaseIterable, Sendable {
    /// docs L3974–3975: "A count of the number of satisfactory interactions recorded through CSAT surveys".
    case satisfactoryInteractions = "csat_metrics.satisfactory_interactions"
    /// docs L3977–3978: "A count of the number of unsatisfactory interactions recorded through CSAT surveys".
    case unsatisfactoryInteractions = "csat_metrics.unsatisfactory_interactions"
    /// docs L3980–3981: "A count of the number of interactions that received a CSAT rating".
    case totalRatedInteractions = "csat_metrics.total_rated_interactions"
    /// docs L3983–3985: "Average rating received in the specified time period." Aggregate.
    case countPerRating = "csat_metrics.count_per_rating"
    /// docs L3986–3988: "A count of the number of CSAT surveys under each of the five possible ratings."
    case rating = "csat_metrics.rating"
    /// docs L3989–3992: "A count of the number of interactions created for an account … This is an account-level
    /// metric."
    case createdInteractions = "conversation_metrics.created_interactions"
    /// docs L3999–4005: "A count of the number of interactions assigned to an agent or group".
    case assignedInteractions = "conversation_metrics.assigned_interactions"
    /// docs L4006–4012: "A count of the number of interactions that a group or agent resolves".
    case resolvedInteractions = "conversation_metrics.resolved_interactions"
    /// docs L4013–4018: "conversations that were assigned to an agent or group x minutes from the current instant and
    /// are still pending a first response."
    case assignedXMinsAgoAndNotRepliedTo = "conversation_metrics.assigned_x_mins_ago_and_not_replied_to"
    /// docs L4019–4022: "conversations that were created x minutes from the current instant and are still
    /// unassigned."
    case createdXMinsAgoAndUnassigned = "conversation_metrics.created_x_mins_ago_and_unassigned"
    /// docs L4023–4025: "Average time a user has to wait before getting a response from the group or agent."
    case waitTime = "conversation_metrics.wait_time"
    /// docs L4032–4034: "Average time that a group or agent takes to send the first response to an assigned
    /// conversation."
    case firstResponseTime = "team_performance.first_response_time"
    /// docs L4035–4037: "Average time that a group or agent takes to send responses to an assigned conversation,
    /// after the first response."
    case responseTime = "team_performance.response_time"
    /// docs L4038–4040: "Average time that a group or agent takes to resolve an assigned conversation, from the time
    /// it is assigned."
    case resolutionTime = "team_performance.resolution_time"
    /// docs L4030: "Average time a user has to wait before getting a response from the group or agent, after the
    /// conversation is assigned to a group or agent. This metric cannot be retrieved as an independent metric".
    case teamWaitTime = "team_performance.wait_time"
    /// docs L4041–4043: "A count of the number of responses that the group or agent sends".
    case responsesSent = "team_performance.responses_sent"
    /// docs L4044–4046: "Average number of conversations that a group or agent handles simultaneously".
    case concurrencyRatio = "team_performance.concurrency_ratio"

    /// Whether the metric summarizes atomic values with an aggregator ("Aggregate" in the table) rather than counting
    /// them ("Count").
    var isAggregate: Bool {
        switch self {
        case .countPerRating, .waitTime, .firstResponseTime, .responseTime, .resolutionTime, .teamWaitTime,
            .concurrencyRatio:
            return true
        default:
            return false
        }
    }

    /// docs L3917: "For certain metrics, the retrieval calls do not consider the time period specified through start
    /// and end values. … These calls retrieve the metrics in the time period spanning x-minutes-from-the-current-instant
    /// to the current instant."
    var usesXTime: Bool { self == .assignedXMinsAgoAndNotRepliedTo || self == .createdXMinsAgoAndUnassigned }

    /// The table's "Valid values for group_by": group or agent; rating as well for csat_metrics.rating (L3988); none
    /// for the account-level created_interactions (L3991, L3925).
    var groupings: [MetricGrouping] {
        switch self {
        case .createdInteractions: return []
        case .rating: return [.group, .agent, .rating]
        default: return [.group, .agent]
        }
    }

    /// The table's "Valid values for filter_by": "Any valid group.id or agent.id", NA for created_interactions
    /// (L3991: "Count NA … This is an account-level metric.").
    var takesFilters: Bool { self != .createdInteractions }

    /// The summary metrics, which list their sub-metrics (docs L3967–3973, L3993–3998, L4026–4031).
    enum Summary: String, CaseIterable, Sendable {
        case csatMetrics = "csat_metrics"
        case conversationMetrics = "conversation_metrics"
        case teamPerformance = "team_performance"

        /// The sub-metrics, in the docs' order.
        var metrics: [Metric] {
            switch self {
            case .csatMetrics:
                // docs L3969–3972.
                return [
                    .satisfactoryInteractions, .unsatisfactoryInteractions, .totalRatedInteractions, .countPerRating,
                ]
            case .conversationMetrics:
                // docs L3995–3997.
                return [.assignedInteractions, .assignedXMinsAgoAndNotRepliedTo, .createdXMinsAgoAndUnassigned]
            case .teamPerformance:
                // docs L4027–4030.
                return [.firstResponseTime, .responseTime, .resolutionTime, .teamWaitTime]
            }
        }

        /// Whether the summary is an aggregate metric: the table says "Aggregate" for team_performance (L4031), "Count"
        /// for conversation_metrics (L3998) and "NA" for csat_metrics (L3973), whose aggregate sub-metric defaults to
        /// average (L3972).
        var needsAggregator: Bool { self == .teamPerformance }
    }

    /// The metrics a `metric` parameter names: a summary's sub-metrics or one metric. team_performance.wait_time
    /// alone names nothing (L4030: "cannot be retrieved as an independent metric").
    static func named(_ name: String) -> [Metric]? {
        if let summary = Summary(rawValue: name) { return summary.metrics }
        guard let metric = Metric(rawValue: name), metric != .teamWaitTime else { return nil }
        return [metric]
    }
}

/// The `group_by` values of the metrics APIs (docs L3930–3931: "Valid values: group, agent, rating"; L4149 for
/// instant metrics: "Valid value: group").
enum MetricGrouping: String, CaseIterable, Sendable {
    case group, agent, rating
}

/// One `filter_by` entry (docs L3932–3933: "specified as valid agent.id or group.id … in the format
/// group=group_id_1,group=group_id_2").
struct MetricFilter: Sendable, Equatable {
    /// docs L4110–4111: "Type of filter used. Possible values: group, agent".
    enum Key: String, Sendable {
        case group, agent
    }

    /// The kind of id.
    var key: Key
    /// The group's or agent's id.
    var value: String

    /// `{"key", "value"}`, an element of `filters.metric_filters` (docs L4109–4113) and of `groupings`.
    var json: JSONValue { ["key": .string(key.rawValue), "value": .string(value)] }

    /// Parses `group=id,agent=id` (already percent-decoded).
    /// - Parameter keys: the keys allowed.
    /// - Throws: `APIError` 400 naming `filter_by` and the entry that is malformed, of another key, or repeated.
    static func parse(_ text: String, keys: [Key], docsLine: Int) throws(APIError) -> [MetricFilter] {
        let allowed = keys.map(\.rawValue).joined(separator: " or ")
        var filters: [MetricFilter] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw .badRequest(
                    "filter_by: '\(entry)' is not of the form \(keys[0].rawValue)=<id>; the format is"
                        + " group=group_id_1,group=group_id_2 (docs L\(docsLine))")
            }
            guard let key = Key(rawValue: String(parts[0])), keys.contains(key) else {
                throw .badRequest("filter_by: '\(parts[0])' is not a filter; use \(allowed) (docs L\(docsLine))")
            }
            let filter = MetricFilter(key: key, value: String(parts[1]))
            guard !filters.contains(filter) else { throw .badRequest("filter_by: \(entry) is given twice") }
            filters.append(filter)
        }
        return filters
    }
}
