import Testing

@testable import FreshchatEmulator

/// `GET /v2/metrics/instant` (docs L4135–4251) on the seeded team, and after presence changes.
///
/// Seeded presence (seed/agents.json; online = login_status, active = AVAILABLE): Daniel online, active (OCR,
/// Automation); Kenji offline (Automation); Marcus online, "In a meeting" (Sales); Priya online, active (Billing,
/// Support); Sofia offline (Support, Sales); Lena deactivated, not a member.
@Suite struct MetricsInstantTests {
    // docs L4164–4168: the five metrics over the whole team.
    @Test(arguments: [
        ("team_presence.online", 3), ("team_presence.offline", 2), ("team_presence.active_on_intelliassign", 2),
        ("team_presence.inactive_on_intelliassign", 1), ("team_presence.total_members", 5),
    ])
    func instant_SeededTeam(metric: String, count: Int64) throws {
        let emulator = try TestEmulator()
        let answer = emulator.instantMetrics("metric=\(metric)&summary=true")
        #expect(answer.instantCounts == ["": count])
        #expect(answer["metric"] == .string(metric))
    }

    // docs L4174 (sample request, summary=false) and L4223 (its answer): one entry per filtered group with the ids of
    // the agents counted, every attribute in the example's order.
    @Test(arguments: TestMode.allCases)
    func instant_AnswersInTheShapeOfTheDocsExample(mode: TestMode) throws {
        let emulator = try TestEmulator()
        let response = try emulator.client(mode).send(
            .get,
            "/v2/metrics/instant?metric=team_presence.online&filter_by=group%3D\(Seeded.support)%2Cgroup%3D"
                + "\(Seeded.sales)&group_by=group&summary=false")
        #expect(response.code == 200, "\(response.text)")
        let expected: JSONValue = [
            "metric": "team_presence.online",
            "filters": [
                "metric_filters": [
                    ["key": "group", "value": .string(Seeded.support)],
                    ["key": "group", "value": .string(Seeded.sales)],
                ]
            ],
            "data": [
                [
                    "groupings": [["key": "group", "value": .string(Seeded.support)]],
                    "values": [
                        ["key": "team_presence.online", "resources": [["id": .string(Seeded.priya)]], "count": 1]
                    ],
                ],
                [
                    "groupings": [["key": "group", "value": .string(Seeded.sales)]],
                    "values": [
                        ["key": "team_presence.online", "resources": [["id": .string(Seeded.marcus)]], "count": 1]
                    ],
                ],
            ],
        ]
        #expect(response.json == expected)
    }

    // docs L4153: "If summary is true, the response contains only the count of agents in each group."; L4249: "The
    // resources array is empty if summary was set to true or the count value is 0."
    @Test func instant_SummaryTrue_HasCountsOnly_SummaryFalseListsAgents() throws {
        let emulator = try TestEmulator()
        let summary = emulator.instantMetrics("metric=team_presence.total_members&group_by=group&summary=true")
        for entry in summary["data"]?.arrayValue ?? [] {
            #expect(entry["values"]?.arrayValue?.first?["resources"] == [])
        }
        #expect(summary.instantCounts == [Seeded.sales: 2, Seeded.support: 2, Seeded.automation: 2, Seeded.billing: 1])
        let detailed = emulator.instantMetrics("metric=team_presence.offline&group_by=group")
        let resources = (detailed["data"]?.arrayValue ?? []).map {
            ($0["values"]?.arrayValue?.first?["resources"]?.arrayValue ?? []).map { $0["id"]?.stringValue ?? "" }
        }
        // Sales: Sofia; Support: Sofia; Automation: Kenji; Billing: nobody offline.
        #expect(resources == [[Seeded.sofia], [Seeded.sofia], [Seeded.kenji], []])
    }

    // docs L4149: group_by "Valid value: group" — without filter_by one entry per group, in configured order.
    @Test func instant_GroupWise_AllGroups() throws {
        let emulator = try TestEmulator()
        let answer = emulator.instantMetrics("metric=team_presence.online&group_by=group&summary=true")
        #expect(answer.metricGroupings == [Seeded.sales, Seeded.support, Seeded.automation, Seeded.billing])
        #expect(answer.instantCounts == [Seeded.sales: 1, Seeded.support: 1, Seeded.automation: 1, Seeded.billing: 1])
    }

    // docs L4150: filter_by without group_by: one entry, its groupings the filters, each agent counted once (Sofia is
    // in both Support and Sales).
    @Test func instant_FilteredWithoutGrouping_CountsEachAgentOnce() throws {
        let emulator = try TestEmulator()
        let answer = emulator.instantMetrics(
            "metric=team_presence.total_members&filter_by=group%3D\(Seeded.support)%2Cgroup%3D\(Seeded.sales)")
        #expect(answer.instantCounts == ["\(Seeded.support),\(Seeded.sales)": 3])
        #expect(answer["data"]?.arrayValue?.first?["groupings"] == answer["filters"]?["metric_filters"])
    }

    // docs L4160 spells the metric `team_presense.online`; that example request works and answers the right name.
    @Test func instant_DocsExampleSpelling_IsAccepted() throws {
        let emulator = try TestEmulator()
        let answer = emulator.instantMetrics(
            "metric=team_presense.online&filter_by=group%3D\(Seeded.support)&group_by=group&summary=true")
        #expect(answer["metric"] == "team_presence.online")
        #expect(answer.instantCounts == [Seeded.support: 1])
    }

    // docs L4167: inactive_on_intelliassign counts "online agents who are inactive": a custom status (PATCH, docs
    // L2336: UNAVAILABLE) moves Priya from active to inactive; she stays online.
    @Test func instant_CustomStatus_MakesAnAgentInactive() throws {
        let emulator = try TestEmulator()
        let patch = emulator.send(
            .patch, "/v2/agents/\(Seeded.priya)", json: ["agent_status": ["id": .string(Seeded.brb), "name": "BRB"]])
        #expect(patch.code == 200, "\(patch.text)")
        #expect(emulator.instantMetrics("metric=team_presence.active_on_intelliassign").instantCounts == ["": 1])
        #expect(emulator.instantMetrics("metric=team_presence.inactive_on_intelliassign").instantCounts == ["": 2])
        #expect(emulator.instantMetrics("metric=team_presence.online").instantCounts == ["": 3])
    }

    // Presence set through the control endpoint shows at once: Sofia logs in active, Daniel logs out.
    @Test func instant_FollowsPresenceChanges() throws {
        let emulator = try TestEmulator()
        #expect(emulator.putPresence(Seeded.sofia, ["online": true, "intelliassign_active": true]).code == 200)
        #expect(emulator.putPresence(Seeded.daniel, ["online": false]).code == 200)
        let online = emulator.instantMetrics("metric=team_presence.online")
        #expect(online.instantCounts == ["": 3])
        let ids = online["data"]?.arrayValue?.first?["values"]?.arrayValue?.first?["resources"]?.arrayValue?.map {
            $0["id"]?.stringValue ?? ""
        }
        #expect(ids == [Seeded.marcus, Seeded.priya, Seeded.sofia])
        #expect(emulator.instantMetrics("metric=team_presence.active_on_intelliassign").instantCounts == ["": 2])
        #expect(emulator.instantMetrics("metric=team_presence.offline").instantCounts == ["": 2])
        #expect(
            emulator.instantMetrics("metric=team_presence.active_on_intelliassign&group_by=group").instantCounts == [
                Seeded.sales: 1, Seeded.support: 2, Seeded.automation: 0, Seeded.billing: 1,
            ])
    }

    // Emulator decision: active on IntelliAssign means online and AVAILABLE — an offline agent made AVAILABLE with PUT
    // /v2/agents is not counted.
    @Test func instant_OfflineAvailableAgent_IsNotActive() throws {
        let emulator = try TestEmulator()
        let put = emulator.send(.put, "/v2/agents/\(Seeded.kenji)", json: ["availability_status": "AVAILABLE"])
        #expect(put.code == 200, "\(put.text)")
        #expect(emulator.instantMetrics("metric=team_presence.active_on_intelliassign").instantCounts == ["": 2])
        #expect(emulator.instantMetrics("metric=team_presence.offline").instantCounts == ["": 2])
    }

    // Emulator decision: deactivated agents are not members; a new agent is (offline, docs L1901 default false).
    @Test func instant_TotalMembers_ExcludesDeactivated_IncludesNewAgents() throws {
        let emulator = try TestEmulator()
        #expect(emulator.instantMetrics("metric=team_presence.total_members&summary=false").instantCounts == ["": 5])
        let created = emulator.send(.post, "/v2/agents", json: ["email": "new.agent@example.com"])
        #expect(created.code == 201, "\(created.text)")
        let answer = emulator.instantMetrics("metric=team_presence.total_members&summary=false")
        #expect(answer.instantCounts == ["": 6])
        let ids = answer["data"]?.arrayValue?.first?["values"]?.arrayValue?.first?["resources"]?.arrayValue ?? []
        #expect(!ids.contains(["id": .string(Seeded.lena)]))
        #expect(emulator.instantMetrics("metric=team_presence.offline").instantCounts == ["": 3])
    }

    // MARK: - Rules

    /// Expects `query` to be refused with a 400 naming `parameter`.
    private func expectRejected(
        _ query: String, naming parameter: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/metrics/instant?" + query)
        expectError(response, 400, "BAD_REQUEST", mentioning: parameter, sourceLocation: sourceLocation)
    }

    // docs L4146: "metricMandatory"; L4162–4168: the valid values.
    @Test(arguments: [
        "", "metric=", "metric=team_presence", "metric=team_presence.away",
        "metric=csat_metrics.rating", "metric=team_presense.nobody",
    ])
    func instant_MetricMissingOrUnknown_IsRejected(query: String) throws {
        try expectRejected(query, naming: "metric")
    }

    // docs L4149: group_by "Valid value: group".
    @Test(arguments: ["agent", "rating", ""])
    func instant_GroupByOtherThanGroup_IsRejected(groupBy: String) throws {
        try expectRejected("metric=team_presence.online&group_by=\(groupBy)", naming: "group_by")
    }

    // docs L4152: filter_by "Valid value: Any valid group.id(s)."
    @Test(arguments: ["agent%3D\(Seeded.priya)", "group%3Dnope", "group", "group%3D"])
    func instant_FilterByNotAGroup_IsRejected(filter: String) throws {
        try expectRejected("metric=team_presence.online&filter_by=\(filter)", naming: "filter_by")
    }

    // docs L4154: summary "Valid values: true, false".
    @Test(arguments: ["yes", "1", "", "TRUE"])
    func instant_SummaryNotABoolean_IsRejected(summary: String) throws {
        try expectRejected("metric=team_presence.online&summary=\(summary)", naming: "summary")
    }

    // Emulator decision: summary absent is false — resources are listed.
    @Test func instant_SummaryAbsent_ListsAgents() throws {
        let emulator = try TestEmulator()
        let answer = emulator.instantMetrics("metric=team_presence.inactive_on_intelliassign")
        #expect(
            answer["data"]?.arrayValue?.first?["values"]?.arrayValue?.first?["resources"] == [
                ["id": .string(Seeded.marcus)]
            ])
    }
}
