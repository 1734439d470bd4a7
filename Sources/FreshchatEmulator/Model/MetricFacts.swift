/// The atomic values behind the historical metrics (docs L3905: "Count metrics sum the number of metric values …
/// Aggregate metrics summarize the atomic metrics values"), replayed from the EventLog: everything a metric says
/// comes from the events (ARCHITECTURE.md), none of it is stored twice.
///
/// `MetricFacts+Replay.swift` derives them; `MetricQuery` sums and aggregates them per subset and grouping.
struct MetricFacts: Sendable {
    /// One atomic value of a metric: when it happened, in which interaction, and the agent and group it counts for.
    struct Fact: Sendable, Equatable {
        /// Epoch milliseconds. For the x-minutes metrics, the instant compared with the x-minute window (the
        /// assignment or the creation).
        var time: Int64
        /// The interaction (docs L846–847), for metrics that count interactions once.
        var interactionID: String?
        /// The agent the value counts for (group_by agent, filter_by agent).
        var agentID: String?
        /// The group the value counts for (group_by group, filter_by group).
        var groupID: String?
        /// The CSAT rating (group_by rating).
        var rating: Int64?
        /// Seconds for the time metrics, the rating for count_per_rating, 1 for counts.
        var value: Double = 1
    }

    /// A stretch of time during which one open conversation is assigned to an agent (in a group, or none): what
    /// team_performance.concurrency_ratio measures. `to` is the end, exclusive; an assignment still open ends now.
    struct Span: Sendable, Equatable {
        var agentID: String
        var groupID: String?
        var from: Int64
        var to: Int64
    }

    /// The atomic values of each metric, in EventLog order.
    private(set) var byMetric: [Metric: [Fact]] = [:]
    /// Every agent assignment of an open conversation.
    private(set) var spans: [Span] = []

    /// An empty set of facts.
    init() {}

    /// The atomic values of `metric`.
    func facts(_ metric: Metric) -> [Fact] { byMetric[metric] ?? [] }

    /// Records an atomic value of `metric`.
    mutating func add(_ metric: Metric, _ fact: Fact) { byMetric[metric, default: []].append(fact) }

    /// Records an assignment span; an empty one is dropped.
    mutating func add(_ span: Span) {
        if span.to > span.from { spans.append(span) }
    }
}
