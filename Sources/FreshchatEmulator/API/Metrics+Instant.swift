import HTTP

/// Retrieve instant metrics: docs L4135–4251, `GET /v2/metrics/instant`.
extension MetricsAPI {
    /// The checked query (docs L4145–4154); unknown parameters are ignored.
    struct InstantQuery {
        var metric: MetricInstant
        var byGroup: Bool
        var filters: [MetricFilter]
        var summary: Bool

        /// - Throws: `APIError` 400 naming the first parameter that breaks a rule.
        init(_ query: QueryParameters) throws(APIError) {
            // docs L4146: "metricMandatory Name of the metric to be retrieved."
            guard let name = query["metric"], !name.isEmpty else {
                throw .badRequest("metric is mandatory, e.g. metric=team_presence.online (docs L4146)")
            }
            guard let metric = MetricInstant.named(name) else {
                let valid = MetricInstant.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRequest("metric: '\(name)' is not an instant metric; valid values: \(valid) (docs L4162)")
            }
            self.metric = metric
            // docs L4149: group_by "Valid value: group".
            if let text = query["group_by"], text != MetricGrouping.group.rawValue {
                throw .badRequest("group_by: the only valid value is group, not '\(text)' (docs L4149)")
            }
            byGroup = query["group_by"] != nil
            // docs L4152: filter_by "Valid value: Any valid group.id(s)."
            filters =
                try query["filter_by"].map { text throws(APIError) in
                    try MetricFilter.parse(text, keys: [.group], docsLine: 4151)
                } ?? []
            // docs L4154: summary "Valid values: true, false". Emulator decision: absent is false, as an unset flag.
            switch query["summary"] {
            case nil, "false"?: summary = false
            case "true"?: summary = true
            case let text?: throw .badRequest("summary must be true or false, not '\(text)' (docs L4154)")
            }
        }
    }

    /// docs L4178: "A successful request returns 200 OK along with the following response." — L4223:
    /// `{"metric", "filters": {"metric_filters"}, "data": [{"groupings", "values": [{"key", "resources": [{"id"}],
    /// "count"}]}]}`.
    ///
    /// Emulator decisions: the team is every agent that is not deactivated (a deactivated agent cannot work, L1894);
    /// with `group_by=group` there is one entry per group named by `filter_by` (L4237: "There are as many objects as
    /// the number of ids used in the filter_by value"), else per group in configured order; without it one entry, its
    /// groupings the filters (L4238: "the final grouping/filtering applied"), counting the agents in any of the
    /// filtered groups once. `resources` lists the agents by email, as objects `{"id"}` as in the example (L4223;
    /// L4249 says "array of strings").
    func instant(_ request: Request) throws -> Response {
        let query = try InstantQuery(request.query)
        let (team, groups) = try emulator.store.read { db in
            try Self.requireFilters(query.filters, db)
            return (try db.teamMembers().map(MetricPresence.init), try db.metricGroupIDs())
        }
        let filtered = query.filters.map(\.value)
        var entries: [(groupings: [JSONValue], agents: [MetricPresence])] = []
        if query.byGroup {
            for group in filtered.isEmpty ? groups : filtered {
                let grouping: JSONValue = ["key": "group", "value": .string(group)]
                entries.append(([grouping], team.filter { $0.groups.contains(group) }))
            }
        } else {
            let agents = filtered.isEmpty ? team : team.filter { !Set($0.groups).isDisjoint(with: filtered) }
            entries.append((query.filters.map(\.json), agents))
        }
        let data: [JSONValue] = entries.map { entry in
            let counted = entry.agents.filter(query.metric.includes)
            // docs L4249: "The resources array is empty if summary was set to true or the count value is 0."
            let resources: [JSONValue] = query.summary ? [] : counted.map { ["id": .string($0.agentID)] }
            let value: JSONValue = [
                "key": .string(query.metric.rawValue), "resources": .array(resources),
                "count": .integer(Int64(counted.count)),
            ]
            return ["groupings": .array(entry.groupings), "values": [value]]
        }
        let answer: JSONValue = [
            "metric": .string(query.metric.rawValue), "filters": ["metric_filters": .array(query.filters.map(\.json))],
            "data": .array(data),
        ]
        return .json(answer.bytes)
    }
}
