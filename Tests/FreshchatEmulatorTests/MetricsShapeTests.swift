import Testing

@testable import FreshchatEmulator

/// The shape of the historical answer (docs L4100–4133) and how the period is cut into subsets.
@Suite struct MetricsShapeTests {
    // docs L4052: the sample request (count_per_rating, avg, two groups, group_by group, interval 1h) and L4100: its
    // answer. For the day, over 24 hours, with Support and Billing: only Support has ratings (C1 5 at 10:35, C3 3 at
    // 11:10), so one grouping with two hourly elements, every attribute in the example's order.
    @Test(arguments: TestMode.allCases)
    func historical_AnswersInTheShapeOfTheDocsExample(mode: TestMode) throws {
        let day = try MetricsDay()
        let target =
            "/v2/metrics/historical?metric=csat_metrics.count_per_rating&start=2024-01-15T10:00:00.000Z"
            + "&end=2024-01-16T10:00:00.000Z&aggregator=avg"
            + "&filter_by=group%3D\(Seeded.support)%2Cgroup%3D\(Seeded.billing)&group_by=group&interval=1h"
        let response = try day.emulator.client(mode).send(.get, target)
        #expect(response.code == 200, "\(response.text)")
        #expect(response.headers["Content-Type"] == "application/json")
        let expected: JSONValue = [
            "metrics": ["csat_metrics.count_per_rating"], "start": "2024-01-15T10:00:00.000Z",
            "end": "2024-01-16T10:00:00.000Z",
            "filters": [
                "metric_filters": [
                    ["key": "group", "value": .string(Seeded.support)],
                    ["key": "group", "value": .string(Seeded.billing)],
                ]
            ],
            "aggregator": "avg", "interval": "1h",
            "data": [
                [
                    "groupings": [["key": "group", "value": .string(Seeded.support)]],
                    "series": [
                        [
                            "start": "2024-01-15T10:00:00.000Z", "end": "2024-01-15T11:00:00.000Z",
                            "values": [["key": "csat_metrics.count_per_rating", "value": "5.0"]],
                        ],
                        [
                            "start": "2024-01-15T11:00:00.000Z", "end": "2024-01-15T12:00:00.000Z",
                            "values": [["key": "csat_metrics.count_per_rating", "value": "3.0"]],
                        ],
                    ],
                ]
            ],
        ]
        // JSONObject equality compares members in order, so this pins the example's attribute order too.
        #expect(response.json == expected)
    }

    // docs L4114: "For count metrics, aggregator is “ ”"; without interval the series is the whole period and
    // interval is empty; start and end are echoed in the API's format.
    @Test func historical_CountMetric_EmptyAggregatorAndInterval() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=conversation_metrics.resolved_interactions&start=2024-01-15T10:00:00Z&end=2024-01-15T12:00:00Z")
        #expect(answer["aggregator"] == "")
        #expect(answer["interval"] == "")
        #expect(answer["start"] == "2024-01-15T10:00:00.000Z")
        #expect(answer["filters"] == ["metric_filters": []])
        #expect(
            answer["data"] == [
                [
                    "groupings": [],
                    "series": [
                        [
                            "start": "2024-01-15T10:00:00.000Z", "end": "2024-01-15T12:00:00.000Z",
                            "values": [["key": "conversation_metrics.resolved_interactions", "value": "3"]],
                        ]
                    ],
                ]
            ])
    }

    // docs L3898: subsets of an interval; the first and last are cut at start and end, the others aligned (UTC).
    @Test func historical_UnalignedStart_CutsTheFirstSubset() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=conversation_metrics.created_interactions&interval=5m"
                + "&start=2024-01-15T10:02:30.000Z&end=2024-01-15T10:20:00.000Z")
        let series = answer["data"]?.arrayValue?.first?["series"]?.arrayValue ?? []
        #expect(
            series.map { ($0["start"]?.stringValue ?? "") + "/" + ($0["end"]?.stringValue ?? "") } == [
                "2024-01-15T10:02:30.000Z/2024-01-15T10:05:00.000Z",
                "2024-01-15T10:05:00.000Z/2024-01-15T10:10:00.000Z",
                "2024-01-15T10:10:00.000Z/2024-01-15T10:15:00.000Z",
                "2024-01-15T10:15:00.000Z/2024-01-15T10:20:00.000Z",
            ])
        // C1 was created at 10:00, before the period; C2 at 10:15.
        #expect(
            answer.metricSeries[""]?.map { $0["conversation_metrics.created_interactions"] ?? "-" } == [
                "0", "0", "0", "1",
            ])
    }

    // docs L3901: 1m subsets; 10:10–10:13 holds only Priya's reply at 10:10.
    @Test func historical_PerMinute() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=team_performance.responses_sent&interval=1m&start=\(MetricsDay.stamp(10))&end=\(MetricsDay.stamp(13))"
        )
        #expect(answer.metricSeries[""]?.map { $0["team_performance.responses_sent"] ?? "-" } == ["1", "0", "0"])
    }

    // An aggregate without atomic values in the period leaves no element and no grouping: data is empty.
    @Test func historical_AggregateWithoutValues_HasNoData() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=team_performance.resolution_time&aggregator=avg&start=2024-01-14T00:00:00.000Z"
                + "&end=2024-01-15T00:00:00.000Z")
        #expect(answer["data"] == [])
        #expect(answer["metrics"] == ["team_performance.resolution_time"])
    }

    // docs L3974–3988 on an empty account: every count is zero.
    @Test func historical_FreshEmulator_CountsZero() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(
            .get,
            "/v2/metrics/historical?metric=conversation_metrics&x_time=5&start=2024-01-15T00:00:00Z"
                + "&end=2024-01-15T10:00:00Z")
        #expect(response.code == 200, "\(response.text)")
        let values = response.json.metricSeries[""] ?? []
        #expect(
            values == [
                ["conversation_metrics.assigned_interactions": "0"],
                [
                    "conversation_metrics.assigned_x_mins_ago_and_not_replied_to": "0",
                    "conversation_metrics.created_x_mins_ago_and_unassigned": "0",
                ],
            ])
    }

    // docs L74: the metrics endpoints are under /v2 and need the bearer token.
    @Test func historical_NeedsTheBearerToken() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(
            .get, "/v2/metrics/historical?metric=csat_metrics&start=2024-01-15T00:00:00Z&end=2024-01-15T10:00:00Z",
            token: nil)
        expectError(response, 401, "UNAUTHENTICATED")
    }
}
