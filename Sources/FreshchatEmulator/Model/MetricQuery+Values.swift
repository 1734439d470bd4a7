/// The values of one metric for one grouping, subset by subset.
extension MetricQuery {
    /// The value of `metric` in each of `subsets` for `selection`, as the answer writes it; nil for an aggregate
    /// without atomic values. A value counts in a subset when `start ≤ time < end`.
    func values(
        of metric: Metric, _ selection: Selection, subsets: [(start: Int64, end: Int64)], facts: MetricFacts,
        now: Int64
    ) -> [JSONValue?] {
        if metric == .concurrencyRatio {
            let spans = facts.spans.filter { selection.matches(agentID: $0.agentID, groupID: $0.groupID) }
            return subsets.map { concurrency(spans, from: $0.start, to: min($0.end, now)) }
        }
        // One pass over the selected values in time order, subset after subset.
        let selected = facts.facts(metric).filter(selection.matches(fact:)).sorted { $0.time < $1.time }
        var index = selected.startIndex
        return subsets.map { subset in
            while index < selected.endIndex, selected[index].time < subset.start { index += 1 }
            var end = index
            while end < selected.endIndex, selected[end].time < subset.end { end += 1 }
            defer { index = end }
            let inSubset = selected[index..<end]
            guard metric.isAggregate else {
                // docs L4000: "A count of the number of interactions assigned": an interaction assigned twice in a
                // subset (to a group, then to an agent; or reassigned) is one assigned interaction.
                if metric == .assignedInteractions {
                    return MetricValue.count(Set(inSubset.map(\.interactionID)).count)
                }
                return MetricValue.count(inSubset.count)
            }
            return (aggregator ?? .avg).aggregate(inSubset.map(\.value)).map(MetricValue.decimal)
        }
    }

    /// docs L4045: concurrency_ratio, "Average number of conversations that a group or agent handles simultaneously".
    /// Emulator decision: for each agent, the number of open conversations assigned to them averaged over the time
    /// they handle at least one (the Agent-performance report's concurrency over its engagement time, L3763–3764),
    /// within the subset and up to now; the aggregator then summarizes the agents' ratios (one value for an agent
    /// grouping). For a group grouping only the conversations in that group count.
    private func concurrency(_ spans: [MetricFacts.Span], from: Int64, to: Int64) -> JSONValue? {
        guard to > from else { return nil }
        var agents: [String] = []
        var edges: [String: [(time: Int64, delta: Int)]] = [:]
        for span in spans {
            let start = max(span.from, from)
            let end = min(span.to, to)
            guard end > start else { continue }
            if edges[span.agentID] == nil { agents.append(span.agentID) }
            edges[span.agentID, default: []] += [(start, 1), (end, -1)]
        }
        let ratios = agents.compactMap { agent -> Double? in
            var handled: Int64 = 0
            var engaged: Int64 = 0
            var count = 0
            var last = from
            for edge in (edges[agent] ?? []).sorted(by: { $0.time < $1.time }) {
                handled += Int64(count) * (edge.time - last)
                if count > 0 { engaged += edge.time - last }
                count += edge.delta
                last = edge.time
            }
            return engaged > 0 ? Double(handled) / Double(engaged) : nil
        }
        return (aggregator ?? .avg).aggregate(ratios).map(MetricValue.decimal)
    }
}
