/// A checked `GET /v2/metrics/historical` request (docs L3876–3963) and its answer, shaped as the docs' example
/// (L4100): `metrics`, `start`, `end`, `filters.metric_filters`, `aggregator`, `interval`, and `data` of
/// `{groupings, series: [{start, end, values: [{key, value}]}]}`.
///
/// How the answer is laid out (emulator decisions, docs L4118–4133 leave them open):
/// - Without `interval` the series has one element, the whole period; with one, an element per subset
///   (`MetricInterval`). A value counts in a subset when `start ≤ time < end`.
/// - A count is always given (`"0"` included); an aggregate only where it has atomic values. An element without
///   values is left out, and so is a grouping without elements — as in the example, where one of two filtered groups
///   and all but one hourly subset are absent (L4052, L4100).
/// - The x-minutes metrics are one more element, from x minutes before now to now (L3917), after the subsets.
/// - With `group_by`, one grouping per group (agent) named by `filter_by`, else per group (agent) in the store and
///   any other in the events, each `[{"key": group_by, "value": id}]` (L4002: "retrieved for all groups"); for
///   `rating`, one per rating from 5 to 1 (L3924). Without `group_by`, one entry whose groupings are the filters
///   applied (L4121: "the final grouping/filtering applied"), `[]` without filters.
/// - `filter_by` keeps the atomic values of the groups named and of the agents named (L4002: "The retrieved values
///   are filtered by the group ids or agent ids specified in the filter_by value"); naming both kinds keeps values
///   matching both.
struct MetricQuery: Sendable {
    /// The metrics retrieved: one, or a summary's sub-metrics.
    var metrics: [Metric]
    var start: Int64
    var end: Int64
    var interval: MetricInterval?
    /// The aggregator for the aggregate metrics; nil when every metric counts.
    var aggregator: MetricAggregator?
    /// `x_time` in minutes.
    var xTime: Int64?
    var groupBy: MetricGrouping?
    var filters: [MetricFilter]

    /// What one grouping selects: the filters, and the grouping's own key and value.
    struct Selection {
        var groups: Set<String>
        var agents: Set<String>
        var grouping: (key: MetricGrouping, value: String)?

        /// Whether a value of `agentID` and `groupID` (and `rating`) belongs to this grouping.
        func matches(agentID: String?, groupID: String?, rating: Int64? = nil) -> Bool {
            if !groups.isEmpty, !groups.contains(groupID ?? "") { return false }
            if !agents.isEmpty, !agents.contains(agentID ?? "") { return false }
            guard let grouping else { return true }
            switch grouping.key {
            case .group: return groupID == grouping.value
            case .agent: return agentID == grouping.value
            case .rating: return rating.map(String.init) == grouping.value
            }
        }
    }

    /// The answer, computed from `facts` at `now`.
    /// - Parameters:
    ///   - groups: every group id, in configured order.
    ///   - agents: every agent id, in the store's order.
    ///   - subsetLimit: the most subsets an interval may give (checked when the request was read).
    func answer(facts: MetricFacts, groups: [String], agents: [String], now: Int64, subsetLimit: Int) -> JSONValue {
        let subsets = interval?.subsets(from: start, to: end, limit: subsetLimit) ?? [(start, end)]
        let filterGroups = Set(filters.filter { $0.key == .group }.map(\.value))
        let filterAgents = Set(filters.filter { $0.key == .agent }.map(\.value))
        var data: [JSONValue] = []
        for grouping in groupings(facts: facts, groups: groups, agents: agents) {
            let selection = Selection(groups: filterGroups, agents: filterAgents, grouping: grouping)
            let rangeMetrics = metrics.filter { !$0.usesXTime }
            let columns = rangeMetrics.map { values(of: $0, selection, subsets: subsets, facts: facts, now: now) }
            var series: [JSONValue] = []
            for (index, subset) in subsets.enumerated() {
                let values = zip(rangeMetrics, columns).compactMap { metric, column in
                    column[index].map { JSONValue.object(["key": .string(metric.rawValue), "value": $0]) }
                }
                if !values.isEmpty { series.append(Self.element(subset.start, subset.end, values)) }
            }
            let xMetrics = metrics.filter(\.usesXTime)
            if !xMetrics.isEmpty, let xTime {
                let from = now - xTime * 60_000
                let values = xMetrics.map { metric in
                    JSONValue.object(
                        [
                            "key": .string(metric.rawValue),
                            "value": MetricValue.count(
                                facts.facts(metric).count {
                                    $0.time >= from && $0.time <= now && selection.matches(fact: $0)
                                }),
                        ])
                }
                series.append(Self.element(from, now, values))
            }
            guard !series.isEmpty else { continue }
            let keys: [JSONValue] =
                grouping.map { [["key": .string($0.key.rawValue), "value": .string($0.value)]] }
                ?? filters.map(\.json)
            data.append(["groupings": .array(keys), "series": .array(series)])
        }
        return [
            "metrics": .array(metrics.map { .string($0.rawValue) }), "start": .string(Timestamp.format(start)),
            "end": .string(Timestamp.format(end)), "filters": ["metric_filters": .array(filters.map(\.json))],
            // docs L4114: "For count metrics, aggregator is “ ”."
            "aggregator": .string(aggregator?.rawValue ?? ""), "interval": .string(interval?.rawValue ?? ""),
            "data": .array(data),
        ]
    }

    private static func element(_ start: Int64, _ end: Int64, _ values: [JSONValue]) -> JSONValue {
        [
            "start": .string(Timestamp.format(start)), "end": .string(Timestamp.format(end)),
            "values": .array(values),
        ]
    }

    /// The groupings of the answer: nil alone without `group_by`.
    private func groupings(facts: MetricFacts, groups: [String], agents: [String])
        -> [(key: MetricGrouping, value: String)?]
    {
        guard let groupBy else { return [nil] }
        let named: [String]
        switch groupBy {
        case .rating:
            return (1...5).reversed().map { (MetricGrouping.rating, String($0)) }
        case .group:
            named = filters.filter { $0.key == .group }.map(\.value)
            if named.isEmpty {
                let seen =
                    metrics.flatMap { facts.facts($0).compactMap(\.groupID) } + spans(facts).compactMap(\.groupID)
                return (groups + Set(seen).subtracting(groups).sorted()).map { (.group, $0) }
            }
        case .agent:
            named = filters.filter { $0.key == .agent }.map(\.value)
            if named.isEmpty {
                let seen = metrics.flatMap { facts.facts($0).compactMap(\.agentID) } + spans(facts).map(\.agentID)
                return (agents + Set(seen).subtracting(agents).sorted()).map { (.agent, $0) }
            }
        }
        return named.map { (groupBy, $0) }
    }

    /// The assignment spans, when concurrency_ratio is among the metrics.
    private func spans(_ facts: MetricFacts) -> [MetricFacts.Span] {
        metrics.contains(.concurrencyRatio) ? facts.spans : []
    }
}

extension MetricQuery.Selection {
    /// Whether `fact` belongs to this grouping.
    func matches(fact: MetricFacts.Fact) -> Bool {
        matches(agentID: fact.agentID, groupID: fact.groupID, rating: fact.rating)
    }
}
