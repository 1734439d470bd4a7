import Testing

@testable import FreshchatEmulator

/// The count metrics of `GET /v2/metrics/historical` over the scripted day (`MetricsDay`), against numbers computed by
/// hand from its table.
@Suite struct MetricsCountTests {
    // MARK: - conversation_metrics.created_interactions

    // docs L3990: "A count of the number of interactions created for an account"; L847: a reopened conversation gets a
    // new interaction. C1, C2, C3, C4 and the reopened C3 (11:20) and C2 (11:40): 6.
    @Test func createdInteractions_CountsCreationsAndReopenings() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=conversation_metrics.created_interactions")
        #expect(answer.metricValues("conversation_metrics.created_interactions") == ["": "6"])
    }

    // docs L3898: "If there is an interval specified, the time period is broken down into subsets based on the interval
    // value and the metric is retrieved for each subset." 10–11: C1, C2; 11–12: C3, C3 reopened, C2 reopened, C4.
    @Test func createdInteractions_PerHour() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=conversation_metrics.created_interactions&interval=1h")
        #expect(
            answer.metricSeries[""] == [
                ["conversation_metrics.created_interactions": "2"], ["conversation_metrics.created_interactions": "4"],
            ])
    }

    // docs L3901: 15m subsets: 10:00 C1, 10:15 C2, none, none, 11:00 C3, 11:20 C3 reopened, 11:40 C2 reopened, 11:50 C4.
    // A count is given for every subset, zero included.
    @Test func createdInteractions_PerQuarterHour_IncludesZeros() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=conversation_metrics.created_interactions&interval=15m")
        let values = answer.metricSeries[""]?.map { $0["conversation_metrics.created_interactions"] ?? "-" }
        #expect(values == ["1", "1", "0", "0", "1", "1", "1", "1"])
    }

    // docs L3899: "for a time period of one month, if the interval is 1w (1 week), the retrieved metrics contains four
    // values - one for each week." Weeks start on Monday (UTC): Wed 10th–Mon 15th, 15th–22nd, 22nd–29th, 29th–31st.
    @Test func createdInteractions_PerWeek_AlignedOnMonday() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=conversation_metrics.created_interactions&interval=1w"
                + "&start=2024-01-10T00:00:00.000Z&end=2024-01-31T00:00:00.000Z")
        let series = answer["data"]?.arrayValue?.first?["series"]?.arrayValue ?? []
        #expect(
            series.map { $0["start"]?.stringValue ?? "" } == [
                "2024-01-10T00:00:00.000Z", "2024-01-15T00:00:00.000Z", "2024-01-22T00:00:00.000Z",
                "2024-01-29T00:00:00.000Z",
            ])
        #expect(series.last?["end"] == "2024-01-31T00:00:00.000Z")
        #expect(
            answer.metricSeries[""]?.map { $0["conversation_metrics.created_interactions"] ?? "-" } == [
                "0", "6", "0", "0",
            ])
    }

    // docs L3901: 1mo subsets start on the 1st of the month (UTC), 1d subsets at midnight.
    @Test func createdInteractions_PerMonthAndPerDay() throws {
        let day = try MetricsDay()
        let months = day.historical(
            "metric=conversation_metrics.created_interactions&interval=1mo"
                + "&start=2023-12-20T00:00:00.000Z&end=2024-03-01T00:00:00.000Z")
        let monthStarts = months["data"]?.arrayValue?.first?["series"]?.arrayValue?.map {
            $0["start"]?.stringValue ?? ""
        }
        #expect(monthStarts == ["2023-12-20T00:00:00.000Z", "2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z"])
        #expect(
            months.metricSeries[""]?.map { $0["conversation_metrics.created_interactions"] ?? "-" } == ["0", "6", "0"])
        let days = day.historical(
            "metric=conversation_metrics.created_interactions&interval=1d"
                + "&start=2024-01-14T12:00:00.000Z&end=2024-01-16T12:00:00.000Z")
        let dayEnds = days["data"]?.arrayValue?.first?["series"]?.arrayValue?.map { $0["end"]?.stringValue ?? "" }
        #expect(dayEnds == ["2024-01-15T00:00:00.000Z", "2024-01-16T00:00:00.000Z", "2024-01-16T12:00:00.000Z"])
        #expect(
            days.metricSeries[""]?.map { $0["conversation_metrics.created_interactions"] ?? "-" } == ["0", "6", "0"])
    }

    // The period is [start, end): C2 created at exactly 10:15 is in a period ending at 10:15:00.001, not in one ending
    // at 10:15.
    @Test func createdInteractions_PeriodIncludesStart_ExcludesEnd() throws {
        let day = try MetricsDay()
        let before = day.historical(
            "metric=conversation_metrics.created_interactions&start=\(MetricsDay.stamp(1))&end=\(MetricsDay.stamp(15))")
        #expect(before.metricValues("conversation_metrics.created_interactions") == ["": "0"])
        let end = Timestamp.format(MetricsDay.at(15) + 1)
        let including = day.historical(
            "metric=conversation_metrics.created_interactions&start=\(MetricsDay.stamp(15))&end=\(end)")
        #expect(including.metricValues("conversation_metrics.created_interactions") == ["": "1"])
    }

    // MARK: - conversation_metrics.assigned_interactions

    // docs L4000: "A count of the number of interactions assigned to an agent or group". C1 (group, then Priya: one
    // interaction), C2 (Marcus, then Sofia), C3, C3 reopened (keeps Support, then Sofia), C2 reopened (keeps Sales): 5.
    @Test func assignedInteractions_CountsEachInteractionOnce() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=conversation_metrics.assigned_interactions")
        #expect(answer.metricValues("conversation_metrics.assigned_interactions") == ["": "5"])
        let hourly = day.historical("metric=conversation_metrics.assigned_interactions&interval=1h")
        #expect(hourly.metricSeries[""]?.map { $0["conversation_metrics.assigned_interactions"] ?? "-" } == ["2", "3"])
    }

    // docs L4002: "If the group_by value is group, the number of interactions assigned to each group is retrieved for
    // all groups." Sales: C2, C2 reopened; Support: C1, C3, C3 reopened; Automation and Billing: none.
    @Test func assignedInteractions_GroupWise_ListsAllGroups() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=conversation_metrics.assigned_interactions&group_by=group")
        #expect(answer.metricGroupings == [Seeded.sales, Seeded.support, Seeded.automation, Seeded.billing])
        #expect(
            answer.metricValues("conversation_metrics.assigned_interactions") == [
                Seeded.sales: "2", Seeded.support: "3", Seeded.automation: "0", Seeded.billing: "0",
            ])
    }

    // docs L4004: "If the group_by value is agent, the number of interactions assigned to each agent is retrieved for
    // all agents configured in the Freshchat system." Priya: C1, C3; Marcus: C2; Sofia: C2, C3 reopened.
    @Test func assignedInteractions_AgentWise_ListsAllAgents() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=conversation_metrics.assigned_interactions&group_by=agent")
        #expect(
            answer.metricGroupings == [
                Seeded.daniel, Seeded.kenji, Seeded.lena, Seeded.marcus, Seeded.priya, Seeded.sofia,
            ])
        #expect(
            answer.metricValues("conversation_metrics.assigned_interactions") == [
                Seeded.daniel: "0", Seeded.kenji: "0", Seeded.lena: "0", Seeded.marcus: "1", Seeded.priya: "2",
                Seeded.sofia: "2",
            ])
    }

    // docs L3953 (Example 4): group-wise, filtered by agents. "The retrieved values are filtered by the group ids or
    // agent ids specified in the filter_by value" (L4002): Sofia's assignments are C2 (Sales) and C3 (Support).
    @Test func assignedInteractions_GroupWise_FilteredByAgent() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=conversation_metrics.assigned_interactions&group_by=group&filter_by=agent%3D\(Seeded.sofia)")
        #expect(
            answer.metricValues("conversation_metrics.assigned_interactions") == [
                Seeded.sales: "1", Seeded.support: "1", Seeded.automation: "0", Seeded.billing: "0",
            ])
        #expect(answer["filters"]?["metric_filters"] == [["key": "agent", "value": .string(Seeded.sofia)]])
    }

    // MARK: - conversation_metrics.resolved_interactions

    // docs L4007: "A count of the number of interactions that a group or agent resolves": C1 (Priya, Support), C3
    // (Priya, Support), C2 (Sofia, Sales).
    @Test func resolvedInteractions_Total_GroupWise_AgentWise() throws {
        let day = try MetricsDay()
        let metric = "conversation_metrics.resolved_interactions"
        #expect(day.historical("metric=\(metric)").metricValues(metric) == ["": "3"])
        let groups = day.historical("metric=\(metric)&group_by=group").metricValues(metric)
        #expect(groups[Seeded.support] == "2" && groups[Seeded.sales] == "1" && groups[Seeded.billing] == "0")
        let agents = day.historical("metric=\(metric)&group_by=agent").metricValues(metric)
        #expect(agents[Seeded.priya] == "2" && agents[Seeded.sofia] == "1" && agents[Seeded.marcus] == "0")
    }

    // MARK: - team_performance.responses_sent

    // docs L4042: "A count of the number of responses that the group or agent sends". Priya 10:10, 10:23, 11:02;
    // Marcus 10:40; Sofia 11:10, 11:45 — Sofia's private note in C1 at 10:21, while U1 waits, is not a response.
    @Test func responsesSent_CountsAgentReplies_NotPrivateNotes() throws {
        let day = try MetricsDay()
        let metric = "team_performance.responses_sent"
        #expect(day.historical("metric=\(metric)").metricValues(metric) == ["": "6"])
        #expect(
            day.historical("metric=\(metric)&interval=1h").metricSeries[""]?.map { $0[metric] ?? "-" } == ["3", "3"])
        let agents = day.historical("metric=\(metric)&group_by=agent").metricValues(metric)
        #expect(agents[Seeded.priya] == "3" && agents[Seeded.marcus] == "1" && agents[Seeded.sofia] == "2")
    }

    // docs L3943 (Example 2): "a group-wise retrieval of the team_performance.responses_sent metric and filter the
    // retrieved data for two groups": one grouping per group named, in the order named.
    @Test func responsesSent_GroupWise_FilteredByTwoGroups() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=team_performance.responses_sent&filter_by=group%3D\(Seeded.support)%2Cgroup%3D\(Seeded.sales)"
                + "&group_by=group")
        #expect(answer.metricGroupings == [Seeded.support, Seeded.sales])
        #expect(answer.metricValues("team_performance.responses_sent") == [Seeded.support: "4", Seeded.sales: "2"])
    }

    // docs L3927: "You can use the filter_by query parameter to filter … the retrieved metrics". Without group_by the
    // one entry's groupings are the filters applied (L4121: "the final grouping/filtering applied").
    @Test func responsesSent_FilteredWithoutGrouping() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=team_performance.responses_sent&filter_by=group%3D\(Seeded.support)")
        #expect(
            answer["data"]?.arrayValue?.first?["groupings"] == [["key": "group", "value": .string(Seeded.support)]])
        #expect(answer.metricValues("team_performance.responses_sent") == [Seeded.support: "4"])
        let both = day.historical(
            "metric=team_performance.responses_sent&filter_by=group%3D\(Seeded.support)%2Cagent%3D\(Seeded.sofia)")
        #expect(both.metricValues("team_performance.responses_sent") == ["\(Seeded.support),\(Seeded.sofia)": "1"])
    }

    // MARK: - csat_metrics

    // docs L3975–3981. Emulator decision: ratings 4–5 are satisfactory, 1–3 unsatisfactory. C1 5, C3 3, C2 2.
    @Test func csatCounts_SatisfactoryUnsatisfactoryTotal() throws {
        let day = try MetricsDay()
        let satisfactory = "csat_metrics.satisfactory_interactions"
        #expect(day.historical("metric=\(satisfactory)").metricValues(satisfactory) == ["": "1"])
        let unsatisfactory = "csat_metrics.unsatisfactory_interactions"
        #expect(day.historical("metric=\(unsatisfactory)").metricValues(unsatisfactory) == ["": "2"])
        let total = day.historical("metric=csat_metrics.total_rated_interactions&group_by=group")
        #expect(total.metricValues("csat_metrics.total_rated_interactions")[Seeded.support] == "2")
        #expect(total.metricValues("csat_metrics.total_rated_interactions")[Seeded.sales] == "1")
    }

    // docs L3924: "if the group_by value for this metric is rating, the API call retrieves the number of CSAT surveys
    // under each of the five possible ratings - that is, number of CSATs that have returned with a rating of 5, number
    // of CSATs that have returned with a rating of 4, and so on."
    @Test func csatRating_RatingWise_FiveToOne() throws {
        let day = try MetricsDay()
        let answer = day.historical("metric=csat_metrics.rating&group_by=rating")
        #expect(answer.metricGroupings == ["5", "4", "3", "2", "1"])
        #expect(answer.metricValues("csat_metrics.rating") == ["5": "1", "4": "0", "3": "1", "2": "1", "1": "0"])
        #expect(answer["data"]?.arrayValue?.first?["groupings"] == [["key": "rating", "value": "5"]])
        let priya = day.historical("metric=csat_metrics.rating&group_by=rating&filter_by=agent%3D\(Seeded.priya)")
        #expect(priya.metricValues("csat_metrics.rating") == ["5": "1", "4": "0", "3": "1", "2": "0", "1": "0"])
        #expect(day.historical("metric=csat_metrics.rating").metricValues("csat_metrics.rating") == ["": "3"])
    }

    // MARK: - x-minutes metrics

    // docs L4014: "assigned to an agent or group x minutes from the current instant and are still pending a first
    // response"; L3917: "the time period spanning x-minutes-from-the-current-instant to the current instant". At 12:00
    // only C2 (reopened 11:40, kept Sales, nobody has written) waits: counted with x_time 20 (11:40 is exactly 20
    // minutes ago), not with 19.
    @Test func assignedXMinsAgo_CountsFromNow_AtTheEdge() throws {
        let day = try MetricsDay()
        let metric = "conversation_metrics.assigned_x_mins_ago_and_not_replied_to"
        #expect(day.historical("metric=\(metric)&x_time=20").metricValues(metric) == ["": "1"])
        #expect(day.historical("metric=\(metric)&x_time=19").metricValues(metric) == ["": "0"])
        let groups = day.historical("metric=\(metric)&x_time=20&group_by=group").metricValues(metric)
        #expect(groups[Seeded.sales] == "1" && groups[Seeded.support] == "0")
        // start and end do not matter (L3917: "the retrieval calls do not consider the time period").
        let elsewhere = day.historical(
            "metric=\(metric)&x_time=20&start=2022-10-02T10:00:00.000Z&end=2022-11-04T10:00:00.000Z")
        #expect(elsewhere.metricValues(metric) == ["": "1"])
    }

    // docs L4020: "created x minutes from the current instant and are still unassigned" — without an agent: C2
    // reopened at 11:40 (in Sales) and C4 at 11:50 (no group). C3 has Sofia.
    @Test func createdXMinsAgo_CountsOpenConversationsWithoutAgent() throws {
        let day = try MetricsDay()
        let metric = "conversation_metrics.created_x_mins_ago_and_unassigned"
        #expect(day.historical("metric=\(metric)&x_time=20").metricValues(metric) == ["": "2"])
        #expect(day.historical("metric=\(metric)&x_time=10").metricValues(metric) == ["": "1"])
        #expect(day.historical("metric=\(metric)&x_time=9").metricValues(metric) == ["": "0"])
        let groups = day.historical("metric=\(metric)&x_time=20&group_by=group").metricValues(metric)
        #expect(groups[Seeded.sales] == "1" && groups[Seeded.support] == "0")
    }

    // docs L3958: the x window is one series element from now − x to now, whatever the interval.
    @Test func xMinsMetric_IsOneElementFromNowMinusX() throws {
        let day = try MetricsDay()
        let answer = day.historical(
            "metric=conversation_metrics.created_x_mins_ago_and_unassigned&x_time=17&interval=1h")
        let series = answer["data"]?.arrayValue?.first?["series"]?.arrayValue ?? []
        #expect(series.count == 1)
        #expect(series.first?["start"] == .string(Timestamp.format(MetricsDay.now - 17 * 60_000)))
        #expect(series.first?["end"] == .string(Timestamp.format(MetricsDay.now)))
    }
}
