import Testing

@testable import FreshchatEmulator

/// Every rule of the `GET /v2/metrics/historical` query (docs L3882–3933), at its edge: one side answers 200, the
/// other a 400 BAD_REQUEST naming the parameter.
@Suite struct MetricsValidationTests {
    static let period = "start=2024-01-15T00:00:00.000Z&end=2024-01-15T10:00:00.000Z"

    /// Sends `query` and expects a 400 that mentions `parameter`.
    private func expectRejected(
        _ query: String, naming parameter: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/metrics/historical?" + query)
        expectError(response, 400, "BAD_REQUEST", mentioning: parameter, sourceLocation: sourceLocation)
    }

    /// Sends `query` and expects a 200.
    private func expectAccepted(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/metrics/historical?" + query)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
    }

    // MARK: - metric

    // docs L3887: "metricMandatory"; L3965: the valid values are the table's.
    @Test(arguments: ["", "metric=&", "metric=csat&", "metric=team_presence.online&", "metric=csat_metrics.&"])
    func metric_MissingOrUnknown_IsRejected(prefix: String) throws {
        try expectRejected(prefix + Self.period, naming: "metric")
    }

    // docs L4030: team_performance.wait_time "cannot be retrieved as an independent metric; it can only be retrieved
    // as part of the team_performance metrics."
    @Test func metric_TeamWaitTimeAlone_IsRejected_ButPartOfTeamPerformance() throws {
        try expectRejected("metric=team_performance.wait_time&aggregator=avg&" + Self.period, naming: "wait_time")
        try expectAccepted("metric=team_performance&aggregator=avg&" + Self.period)
    }

    // docs L3965–4046: every metric of the table, with what it needs, is accepted.
    @Test(arguments: [
        "csat_metrics", "csat_metrics.satisfactory_interactions", "csat_metrics.unsatisfactory_interactions",
        "csat_metrics.total_rated_interactions", "csat_metrics.count_per_rating&aggregator=avg", "csat_metrics.rating",
        "conversation_metrics.created_interactions", "conversation_metrics&x_time=5",
        "conversation_metrics.assigned_interactions", "conversation_metrics.resolved_interactions",
        "conversation_metrics.assigned_x_mins_ago_and_not_replied_to&x_time=5",
        "conversation_metrics.created_x_mins_ago_and_unassigned&x_time=5",
        "conversation_metrics.wait_time&aggregator=avg",
        "team_performance&aggregator=p90", "team_performance.first_response_time&aggregator=min",
        "team_performance.response_time&aggregator=max", "team_performance.resolution_time&aggregator=median",
        "team_performance.responses_sent", "team_performance.concurrency_ratio&aggregator=avg",
    ])
    func metric_EveryDocumentedMetric_IsAccepted(metric: String) throws {
        try expectAccepted("metric=\(metric)&" + Self.period)
    }

    // MARK: - start and end

    // docs L3889–3894: "startMandatory … endMandatory … Should be a date-time value specified in the UTC format."
    @Test(arguments: [
        ("metric=csat_metrics&end=2024-01-15T10:00:00Z", "start"),
        ("metric=csat_metrics&start=2024-01-15&end=2024-01-15T10:00:00Z", "start"),
        ("metric=csat_metrics&start=2024-01-15T00:00:00&end=2024-01-15T10:00:00Z", "start"),
        ("metric=csat_metrics&start=2024-01-15T00:00:00Z", "end"),
        ("metric=csat_metrics&start=2024-01-15T00:00:00Z&end=yesterday", "end"),
        ("metric=csat_metrics&start=2024-01-15T00:00:00Z&end=2024-02-30T00:00:00Z", "end"),
    ])
    func startEnd_MissingOrMalformed_IsRejected(query: String, parameter: String) throws {
        try expectRejected(query, naming: parameter)
    }

    // The period [start, end) must hold at least a millisecond.
    @Test func end_MustBeAfterStart() throws {
        try expectRejected(
            "metric=csat_metrics&start=2024-01-15T10:00:00.000Z&end=2024-01-15T10:00:00.000Z", naming: "end")
        try expectAccepted("metric=csat_metrics&start=2024-01-15T10:00:00.000Z&end=2024-01-15T10:00:00.001Z")
    }

    // MARK: - interval

    // docs L3901: "Valid values: 1m, 5m, 15m, 1h, 1d, 1w, 1mo".
    @Test(arguments: ["", "2h", "1M", "1month", "60m", "1%20h"])
    func interval_NotAValidValue_IsRejected(interval: String) throws {
        try expectRejected("metric=csat_metrics&interval=\(interval)&" + Self.period, naming: "interval")
    }

    // `MetricsAPI.maxSubsets`: 10,000 one-minute subsets are answered, 10,001 refused.
    @Test func interval_SubsetLimit_AtItsEdge() throws {
        let start = TestEmulator.start
        let limit = Int64(MetricsAPI.maxSubsets)
        let atLimit = Timestamp.format(start + limit * 60_000)
        let overLimit = Timestamp.format(start + limit * 60_000 + 1)
        let query = "metric=conversation_metrics.created_interactions&interval=1m&start=\(Timestamp.format(start))&end="
        try expectAccepted(query + atLimit)
        try expectRejected(query + overLimit, naming: "interval")
    }

    // MARK: - aggregator

    // docs L3902: "aggregatorMandatory for aggregate metrics"; team_performance is "Aggregate" (L4031).
    @Test(arguments: [
        "team_performance", "team_performance.first_response_time", "csat_metrics.count_per_rating",
        "conversation_metrics.wait_time", "team_performance.concurrency_ratio",
    ])
    func aggregator_MissingForAggregateMetric_IsRejected(metric: String) throws {
        try expectRejected("metric=\(metric)&" + Self.period, naming: "aggregator")
    }

    // docs L3903: "Ensure not to pass an aggregator value for count metrics."
    @Test(arguments: [
        "conversation_metrics.resolved_interactions", "conversation_metrics&x_time=5",
        "csat_metrics.rating", "team_performance.responses_sent", "conversation_metrics.created_interactions",
    ])
    func aggregator_ForCountMetric_IsRejected(metric: String) throws {
        try expectRejected("metric=\(metric)&aggregator=avg&" + Self.period, naming: "aggregator")
    }

    // docs L3908: "Valid values: min, max, avg, median, p90".
    @Test(arguments: ["mean", "", "AVG", "p95", "sum"])
    func aggregator_NotAValidValue_IsRejected(aggregator: String) throws {
        try expectRejected(
            "metric=conversation_metrics.wait_time&aggregator=\(aggregator)&" + Self.period, naming: "aggregator")
    }

    // MARK: - x_time

    // docs L3915: "x_timeMandatory for conversation_metrics.assigned_x_mins_ago_and_not_replied_to,
    // conversation_metrics.created_x_mins_ago_and_unassigned, and conversation_metrics".
    @Test(arguments: [
        "conversation_metrics", "conversation_metrics.assigned_x_mins_ago_and_not_replied_to",
        "conversation_metrics.created_x_mins_ago_and_unassigned",
    ])
    func xTime_Missing_IsRejected(metric: String) throws {
        try expectRejected("metric=\(metric)&" + Self.period, naming: "x_time")
    }

    // docs L3918: "x_time value is the value of the “x minutes”": whole minutes from 1 to `MetricsAPI.maxXTime`.
    @Test(arguments: ["0", "-1", "1.5", "five", "", "+5", "525601"])
    func xTime_NotAWholeNumberOfMinutesInRange_IsRejected(xTime: String) throws {
        try expectRejected(
            "metric=conversation_metrics.created_x_mins_ago_and_unassigned&x_time=\(xTime)&" + Self.period,
            naming: "x_time")
    }

    @Test(arguments: ["1", "525600"])
    func xTime_AtTheEdges_IsAccepted(xTime: String) throws {
        #expect(MetricsAPI.maxXTime == 525_600)
        try expectAccepted(
            "metric=conversation_metrics.created_x_mins_ago_and_unassigned&x_time=\(xTime)&" + Self.period)
    }

    // docs L3915 makes x_time mandatory for three metrics only; given for another it is checked, then ignored.
    @Test func xTime_ForAnotherMetric_IsCheckedAndIgnored() throws {
        try expectAccepted("metric=csat_metrics&x_time=5&" + Self.period)
        try expectRejected("metric=csat_metrics&x_time=0&" + Self.period, naming: "x_time")
    }

    // MARK: - group_by

    // docs L3931: "Valid values: group, agent, rating".
    @Test(arguments: ["channel", "", "groups", "Agent"])
    func groupBy_NotAValidValue_IsRejected(groupBy: String) throws {
        try expectRejected("metric=csat_metrics.rating&group_by=\(groupBy)&" + Self.period, naming: "group_by")
    }

    // docs L3924: only csat_metrics.rating "can additionally be retrieved rating-wise".
    @Test(arguments: ["csat_metrics", "csat_metrics.total_rated_interactions", "team_performance.responses_sent"])
    func groupBy_RatingForAnotherMetric_IsRejected(metric: String) throws {
        try expectRejected("metric=\(metric)&group_by=rating&" + Self.period, naming: "group_by")
        try expectAccepted("metric=\(metric)&group_by=agent&" + Self.period)
    }

    // docs L3925: "The conversation_metrics.created_interactions is an account-level metric … if you try to run an API
    // call with the group_by query param value as group, agent, or rating, the call fails."
    @Test(arguments: ["group", "agent", "rating"])
    func groupBy_ForCreatedInteractions_IsRejected(groupBy: String) throws {
        try expectRejected(
            "metric=conversation_metrics.created_interactions&group_by=\(groupBy)&" + Self.period, naming: "group_by")
    }

    // MARK: - filter_by

    // docs L3933: "the filter_by parameter value must be in the format group=group_id_1,group=group_id_2".
    @Test(arguments: [
        "group", "group=", "=\(Seeded.sales)", "channel%3D\(Seeded.sales)",
        "group%3D\(Seeded.sales)%2C%2Cgroup%3D\(Seeded.support)", "group%3D\(Seeded.sales)%2Cgroup%3D\(Seeded.sales)",
        "rating%3D5",
    ])
    func filterBy_Malformed_IsRejected(filter: String) throws {
        try expectRejected("metric=csat_metrics.rating&filter_by=\(filter)&" + Self.period, naming: "filter_by")
    }

    // Table, filter_by column: "Any valid group.id or agent.id".
    @Test func filterBy_UnknownGroupOrAgent_IsRejected() throws {
        try expectRejected("metric=csat_metrics.rating&filter_by=group%3Dnope&" + Self.period, naming: "filter_by")
        try expectRejected("metric=csat_metrics.rating&filter_by=agent%3Dnope&" + Self.period, naming: "filter_by")
        // Unencoded, the first = separates the parameter from its value.
        try expectAccepted(
            "metric=csat_metrics.rating&filter_by=group=\(Seeded.sales),agent=\(Seeded.lena)&" + Self.period)
    }

    // docs L3991: created_interactions "Count NA … This is an account-level metric."
    @Test func filterBy_ForCreatedInteractions_IsRejected() throws {
        try expectRejected(
            "metric=conversation_metrics.created_interactions&filter_by=group%3D\(Seeded.sales)&" + Self.period,
            naming: "filter_by")
    }
}
