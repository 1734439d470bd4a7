import HTTP

/// Reading the query of `GET /v2/metrics/historical` (docs L3882–3933). Each rule refuses with a 400 naming the
/// parameter, checked in the docs' order: metric, start, end, interval, aggregator, x_time, group_by, filter_by.
extension MetricsAPI {
    /// The checked query; unknown parameters are ignored.
    /// - Throws: `APIError` 400 naming the first parameter that breaks a rule.
    static func historicalQuery(_ query: QueryParameters) throws(APIError) -> MetricQuery {
        // docs L3887: "metricMandatory Name of the metric to be retrieved."
        guard let name = query["metric"], !name.isEmpty else {
            throw .badRequest(
                "metric is mandatory, e.g. metric=conversation_metrics.resolved_interactions (docs L3887)")
        }
        if name == Metric.teamWaitTime.rawValue {
            throw .badRequest(
                "metric: team_performance.wait_time \"cannot be retrieved as an independent metric; it can only be"
                    + " retrieved as part of the team_performance metrics\" (docs L4030)")
        }
        guard let metrics = Metric.named(name) else {
            let valid =
                Metric.Summary.allCases.map(\.rawValue) + Metric.allCases.filter { $0 != .teamWaitTime }.map(\.rawValue)
            throw .badRequest(
                "metric: '\(name)' is not a historical metric; valid values: \(valid.joined(separator: ", ")) (docs"
                    + " L3965)")
        }
        let summary = Metric.Summary(rawValue: name)
        // docs L3889–3894: start and end "Mandatory … Should be a date-time value specified in the UTC format."
        let start = try time(query, "start", line: 3889)
        let end = try time(query, "end", line: 3892)
        guard end > start else {
            throw .badRequest("end must be after start: the period is [start, end) (docs L3891–3894)")
        }
        let interval = try interval(query, start: start, end: end)
        let aggregator = try aggregator(query, name: name, metrics: metrics, summary: summary)
        // docs L3915: "x_timeMandatory for conversation_metrics.assigned_x_mins_ago_and_not_replied_to,
        // conversation_metrics.created_x_mins_ago_and_unassigned, and conversation_metrics".
        let xTime = try xTime(query)
        if xTime == nil, metrics.contains(where: \.usesXTime) {
            throw .badRequest("x_time is mandatory for \(name): the x in \"x minutes\", e.g. x_time=5 (docs L3915)")
        }
        let groupBy = try groupBy(query, name: name, metrics: metrics)
        var filters: [MetricFilter] = []
        if let text = query["filter_by"] {
            guard metrics.allSatisfy(\.takesFilters) else {
                throw .badRequest(
                    "filter_by: \(name) is an account-level metric; its valid filter_by values are NA (docs L3991)")
            }
            filters = try MetricFilter.parse(text, keys: [.group, .agent], docsLine: 3933)
        }
        return MetricQuery(
            metrics: metrics, start: start, end: end, interval: interval, aggregator: aggregator, xTime: xTime,
            groupBy: groupBy, filters: filters)
    }

    private static func time(_ query: QueryParameters, _ name: String, line: Int) throws(APIError) -> Int64 {
        guard let text = query[name] else {
            throw .badRequest("\(name) is mandatory, a UTC date-time such as 2022-03-08T10:00:00.000Z (docs L\(line))")
        }
        guard let millis = Timestamp.parse(text) else {
            throw .badRequest(
                "\(name) must be a UTC date-time such as 2022-03-08T10:00:00.000Z, not '\(text)' (docs L\(line))")
        }
        return millis
    }

    /// docs L3901: "Valid values: 1m, 5m, 15m, 1h, 1d, 1w, 1mo".
    private static func interval(_ query: QueryParameters, start: Int64, end: Int64) throws(APIError)
        -> MetricInterval?
    {
        guard let text = query["interval"] else { return nil }
        guard let interval = MetricInterval(rawValue: text) else {
            throw .badRequest("interval must be one of 1m, 5m, 15m, 1h, 1d, 1w, 1mo, not '\(text)' (docs L3901)")
        }
        guard interval.subsets(from: start, to: end, limit: maxSubsets) != nil else {
            throw .badRequest(
                "interval: \(text) cuts start…end into more than \(maxSubsets) subsets; use a longer interval or a"
                    + " shorter period")
        }
        return interval
    }

    /// docs L3902–3903: "aggregatorMandatory for aggregate metrics … Ensure not to pass an aggregator value for count
    /// metrics." L3972: for csat_metrics "If an aggregator is not specified, the default aggregator is average."
    private static func aggregator(
        _ query: QueryParameters, name: String, metrics: [Metric], summary: Metric.Summary?
    ) throws(APIError) -> MetricAggregator? {
        let aggregates = metrics.contains(where: \.isAggregate)
        guard let text = query["aggregator"] else {
            guard aggregates else { return nil }
            guard summary == .csatMetrics else {
                throw .badRequest(
                    "aggregator is mandatory for the aggregate metric \(name): min, max, avg, median or p90 (docs"
                        + " L3902)")
            }
            return .avg
        }
        guard aggregates else {
            throw .badRequest(
                "aggregator: \(name) is a count metric; \"Ensure not to pass an aggregator value for count metrics\""
                    + " (docs L3903)")
        }
        guard let aggregator = MetricAggregator(rawValue: text) else {
            throw .badRequest("aggregator must be one of min, max, avg, median, p90, not '\(text)' (docs L3908)")
        }
        return aggregator
    }

    /// docs L3918: "x_time value is the value of the “x minutes”": a whole number of minutes, 1 to `maxXTime`. Given
    /// for a metric that does not use it, it is checked and ignored.
    private static func xTime(_ query: QueryParameters) throws(APIError) -> Int64? {
        guard let text = query["x_time"] else { return nil }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let minutes = Int64(text),
            (1...maxXTime).contains(minutes)
        else {
            throw .badRequest(
                "x_time must be a whole number of minutes from 1 to \(maxXTime), not '\(text)' (docs L3918)")
        }
        return minutes
    }

    /// docs L3931: "Valid values: group, agent, rating"; L3924: rating only for csat_metrics.rating; L3925: "The
    /// conversation_metrics.created_interactions is an account-level metric … if you try to run an API call with the
    /// group_by query param value as group, agent, or rating, the call fails."
    private static func groupBy(_ query: QueryParameters, name: String, metrics: [Metric]) throws(APIError)
        -> MetricGrouping?
    {
        guard let text = query["group_by"] else { return nil }
        guard let grouping = MetricGrouping(rawValue: text) else {
            throw .badRequest("group_by must be one of group, agent, rating, not '\(text)' (docs L3931)")
        }
        guard metrics.allSatisfy({ $0.groupings.contains(grouping) }) else {
            if metrics.contains(.createdInteractions) {
                throw .badRequest(
                    "group_by: \(name) is an account-level metric and cannot be retrieved group-wise or agent-wise"
                        + " (docs L3925)")
            }
            throw .badRequest(
                "group_by: \(name) cannot be retrieved rating-wise; only csat_metrics.rating can (docs L3924)")
        }
        return grouping
    }
}
