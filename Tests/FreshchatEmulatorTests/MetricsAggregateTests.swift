import Testing

@testable import FreshchatEmulator

/// The aggregate metrics of `GET /v2/metrics/historical` over the scripted day (`MetricsDay`), in seconds, against
/// numbers computed by hand.
///
/// First responses (user waiting since → response; assignments):
/// - C1: U1 waits from 10:00, group at 10:02, Priya at 10:05, reply 10:10 → wait 600, team wait 480, first response
///   300; U1 again 10:20 → 10:23: response time 180; resolved 10:30, assigned since 10:02 → resolution 1680.
/// - C2: created 10:15 with Sales and Marcus, reply 10:40 → 1500 each; U2 11:00 → Sofia 11:10: response time 600;
///   resolved 11:30 → resolution 4500.
/// - C3: created 11:00 with Support and Priya, reply 11:02 → 120 each; resolved 11:05 → resolution 300.
/// - C3 reopened 11:20 (keeps Support), Sofia 11:25, reply 11:45 → wait 1500, team wait 1500, first response 1200.
@Suite struct MetricsAggregateTests {
    /// `metric` with `aggregator`, the single value without grouping.
    private func value(_ day: MetricsDay, _ metric: String, _ aggregator: String) -> String? {
        day.historical("metric=\(metric)&aggregator=\(aggregator)").metricValues(metric)[""]
    }

    // docs L4024: conversation_metrics.wait_time, "Average time a user has to wait before getting a response":
    // 600, 1500, 120, 1500. docs L3909–3913: min, max, avg (930), median (mean of 600 and 1500), p90 (rank ⌈3.6⌉ = 4).
    @Test(arguments: [("min", "120.0"), ("max", "1500.0"), ("avg", "930.0"), ("median", "1050.0"), ("p90", "1500.0")])
    func waitTime_EachAggregator(aggregator: String, expected: String) throws {
        let day = try MetricsDay()
        #expect(value(day, "conversation_metrics.wait_time", aggregator) == expected)
    }

    // docs L4024 "from the group or agent": by the agent who responded and the group at that moment.
    @Test func waitTime_GroupWiseAndAgentWise() throws {
        let day = try MetricsDay()
        let metric = "conversation_metrics.wait_time"
        let groups = day.historical("metric=\(metric)&aggregator=avg&group_by=group").metricValues(metric)
        // Support: 600, 120, 1500; Sales: 1500. Groups without values are left out.
        #expect(groups == [Seeded.support: "740.0", Seeded.sales: "1500.0"])
        let agents = day.historical("metric=\(metric)&aggregator=avg&group_by=agent").metricValues(metric)
        #expect(agents == [Seeded.priya: "360.0", Seeded.marcus: "1500.0", Seeded.sofia: "1500.0"])
    }

    // docs L4033: first_response_time, "takes to send the first response to an assigned conversation" — from the
    // assignment in force: 300, 1500, 120, 1200.
    @Test func firstResponseTime_FromTheAssignment() throws {
        let day = try MetricsDay()
        #expect(value(day, "team_performance.first_response_time", "avg") == "780.0")
        #expect(value(day, "team_performance.first_response_time", "min") == "120.0")
    }

    // docs L3948 (Example 3): "an agent-wise retrieval of the team_performance.first_response_time metric and filter
    // the retrieved data for two agents". Priya 300 and 120; Sofia 1200.
    @Test func firstResponseTime_AgentWise_FilteredByTwoAgents() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=team_performance.first_response_time&aggregator=avg"
                + "&filter_by=agent%3D\(Seeded.priya)%2Cagent%3D\(Seeded.sofia)&group_by=agent")
        #expect(answer.metricGroupings == [Seeded.priya, Seeded.sofia])
        #expect(
            answer.metricValues("team_performance.first_response_time") == [
                Seeded.priya: "210.0", Seeded.sofia: "1200.0",
            ])
    }

    // docs L4036: response_time, "after the first response": 180 (C1), 600 (C2).
    @Test func responseTime_AfterTheFirstResponse() throws {
        let day = try MetricsDay()
        #expect(value(day, "team_performance.response_time", "avg") == "390.0")
        let hourly = day.historical("metric=team_performance.response_time&aggregator=max&interval=1h")
        #expect(
            hourly.metricSeries[""] == [
                ["team_performance.response_time": "180.0"], ["team_performance.response_time": "600.0"],
            ])
    }

    // docs L4039: resolution_time, "from the time it is assigned": 1680, 300, 4500. median 1680, p90 (rank ⌈2.7⌉ = 3).
    @Test(arguments: [("avg", "2160.0"), ("median", "1680.0"), ("p90", "4500.0"), ("min", "300.0")])
    func resolutionTime_FromTheFirstAssignment(aggregator: String, expected: String) throws {
        let day = try MetricsDay()
        #expect(value(day, "team_performance.resolution_time", aggregator) == expected)
    }

    // docs L4027–4030: team_performance lists first_response_time, response_time, resolution_time and wait_time
    // ("after the conversation is assigned": 480, 1500, 120, 1500 → 900).
    @Test func teamPerformance_ListsItsFourSubMetrics() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=team_performance&aggregator=avg")
        #expect(
            answer["metrics"] == [
                "team_performance.first_response_time", "team_performance.response_time",
                "team_performance.resolution_time", "team_performance.wait_time",
            ])
        #expect(
            answer.metricSeries[""] == [
                [
                    "team_performance.first_response_time": "780.0", "team_performance.response_time": "390.0",
                    "team_performance.resolution_time": "2160.0", "team_performance.wait_time": "900.0",
                ]
            ])
        #expect(answer["aggregator"] == "avg")
    }

    // docs L3984: count_per_rating, "Average rating received": (5 + 3 + 2) / 3, two decimals.
    @Test func countPerRating_AverageRating() throws {
        let day = try MetricsDay()
        #expect(value(day, "csat_metrics.count_per_rating", "avg") == "3.33")
        let groups = day.historical("metric=csat_metrics.count_per_rating&aggregator=avg&group_by=group")
        #expect(groups.metricValues("csat_metrics.count_per_rating") == [Seeded.support: "4.0", Seeded.sales: "2.0"])
    }

    // docs L3968–3972: csat_metrics lists the four sub-metrics; "If an aggregator is not specified, the default
    // aggregator is average."
    @Test func csatMetrics_ListsItsSubMetrics_AverageByDefault() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=csat_metrics&group_by=agent")
        #expect(answer["aggregator"] == "avg")
        #expect(
            answer["metrics"] == [
                "csat_metrics.satisfactory_interactions", "csat_metrics.unsatisfactory_interactions",
                "csat_metrics.total_rated_interactions", "csat_metrics.count_per_rating",
            ])
        let series = answer.metricSeries
        #expect(
            series[Seeded.priya] == [
                [
                    "csat_metrics.satisfactory_interactions": "1", "csat_metrics.unsatisfactory_interactions": "1",
                    "csat_metrics.total_rated_interactions": "2", "csat_metrics.count_per_rating": "4.0",
                ]
            ])
        // Marcus resolved nothing: counts of zero, no average.
        #expect(
            series[Seeded.marcus] == [
                [
                    "csat_metrics.satisfactory_interactions": "0", "csat_metrics.unsatisfactory_interactions": "0",
                    "csat_metrics.total_rated_interactions": "0",
                ]
            ])
        let min = day.historical("metric=csat_metrics&aggregator=min")
        #expect(min.metricValues("csat_metrics.count_per_rating") == ["": "2.0"])
    }

    // docs L4045: concurrency_ratio, "Average number of conversations that a group or agent handles simultaneously".
    // Priya: C1 10:05–10:30 and C3 11:00–11:05 → 1.0; Marcus: C2 10:15–10:50 → 1.0; Sofia: C2 10:50–11:30 (Sales) and
    // C3 11:25–now (Support) → 75 conversation-minutes over 70 engaged minutes ≈ 1.07.
    @Test func concurrencyRatio_PerAgentOverEngagedTime() throws {
        let day = try MetricsDay()
        let metric = "team_performance.concurrency_ratio"
        let agents = day.historical("metric=\(metric)&aggregator=avg&group_by=agent").metricValues(metric)
        #expect(agents == [Seeded.marcus: "1.0", Seeded.priya: "1.0", Seeded.sofia: "1.07"])
        #expect(value(day, metric, "avg") == "1.02")
        #expect(value(day, metric, "max") == "1.07")
        // By group only the group's conversations count: Sofia handles one at a time in each.
        let groups = day.historical("metric=\(metric)&aggregator=max&group_by=group").metricValues(metric)
        #expect(groups == [Seeded.sales: "1.0", Seeded.support: "1.0"])
        // 11:00–12:00: Priya 1.0 (11:00–11:05); Sofia 65 conversation-minutes over 60 → 1.0833; mean 1.04.
        let hourly = day.historical("metric=\(metric)&aggregator=avg&interval=1h")
        #expect(hourly.metricSeries[""] == [[metric: "1.0"], [metric: "1.04"]])
    }
}
