import Testing

@testable import FreshchatEmulator

/// The agent reports of the raw reports (docs L3632–3646, L3748–3767), against the scripted day (`ReportsDay`).
@Suite struct ReportsAgentTests {
    // docs L3417: Agent-Activity "Tracks agent activity in the Freshchat dashboard."; L3635: activity_type "agent
    // logging in (online) or logging off (offline)".
    @Test func agentActivity_ListsEachAvailabilityChange_CellByCell() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Agent-Activity")
        expectCSVRows(
            rows, header: ["agent_name", "agent_id", "activity_type", "created_at"],
            [
                [
                    "agent_name": ReportsDay.priyaName, "agent_id": Seeded.priya, "activity_type": "offline",
                    "created_at": ReportTime.iso("12:00:00"),
                ],
                [
                    "agent_name": ReportsDay.priyaName, "agent_id": Seeded.priya, "activity_type": "online",
                    "created_at": ReportTime.iso("12:30:00"),
                ],
            ])
    }

    // docs L3641: activity_type "agent logging in (active), logging off (inactive), or setting a custom status";
    // L3645–3646: agent_status and its duration in seconds.
    @Test func agentIntelliassignActivity_ListsEachStatusChange_WithTheCustomStatusDuration() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Agent-Intelliassign-Activity")
        expectCSVRows(
            rows,
            header: [
                "agent_name", "agent_id", "activity_type", "created_at", "agent_status", "agent_status_in_seconds",
            ],
            [
                [
                    "agent_name": ReportsDay.priyaName, "agent_id": Seeded.priya, "activity_type": "custom_status",
                    "created_at": ReportTime.iso("12:00:00"), "agent_status": "In a meeting",
                    "agent_status_in_seconds": "1800",
                ],
                [
                    "agent_name": ReportsDay.priyaName, "agent_id": Seeded.priya, "activity_type": "active",
                    "created_at": ReportTime.iso("12:30:00"),
                ],
            ])
    }

    // docs L3421: Agent-performance "Tracks the agent performance within a time frame of 24 hours"; L3752–3767.
    // Window [00:00, 12:30): Priya AVAILABLE until 12:00 (720 min), holding C1 10:00–10:15 and 11:05–11:20 (30 of 750
    // min); Sofia holding C2 10:07–10:40 and C1 10:15–10:30 (48 min, 33 of them engaged).
    @Test func agentPerformance_MeasuresEachAgent_OverTheWindow() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Agent-performance", end: "12:30:00")
        let header = AgentPerformanceReport.columns
        #expect(rows.first == header)
        let byAgent = Dictionary(
            rows.dropFirst().map { (csvCells($0, header)["agent_id"] ?? "", csvCells($0, header)) },
            uniquingKeysWith: { a, _ in a })
        #expect(rows.dropFirst().map { csvCells($0, header)["agent_email"] ?? "" } == Seeded.agentEmails)
        let window = [
            "report_start_time": ReportTime.iso("00:00:00"), "report_end_time": ReportTime.iso("12:30:00"),
        ]
        let priya: [String: String] = [
            "agent_id": Seeded.priya, "agent_email": "priya.raman@example.com", "agent_name": ReportsDay.priyaName,
            "average_first_response_time_secs": "450", "average_response_time_secs": "450",
            "average_handle_time_secs": "1200", "active_time_mins": "720", "average_csat_score": "2",
            "count_assigned": "2", "count_resolved": "1", "count_unique_resolved": "1", "count_transfers_out": "1",
            "count_messages": "2", "count_responses": "2", "concurrency": "0.04", "engagement_time_secs": "1800",
            "online_time_mins": "720",
        ].merging(window) { a, _ in a }
        let sofia: [String: String] = [
            "agent_id": Seeded.sofia, "agent_email": "sofia.lindqvist@example.com", "agent_name": ReportsDay.sofiaName,
            "average_first_response_time_secs": "599", "average_response_time_secs": "539.5",
            "average_handle_time_secs": "2099.5", "active_time_mins": "0", "average_csat_score": "4",
            "count_assigned": "2", "count_resolved": "2", "count_unique_resolved": "2", "count_transfers_out": "0",
            "count_messages": "2", "count_responses": "2", "concurrency": "0.064", "engagement_time_secs": "1980",
            "online_time_mins": "0",
        ].merging(window) { a, _ in a }
        let daniel: [String: String] = [
            "agent_id": Seeded.daniel, "agent_email": "daniel.okafor@example.com", "agent_name": "Daniel Okafor",
            "active_time_mins": "750", "count_assigned": "0", "count_resolved": "0", "count_unique_resolved": "0",
            "count_transfers_out": "0", "count_messages": "0", "count_responses": "0", "concurrency": "0",
            "engagement_time_secs": "0", "online_time_mins": "750",
        ].merging(window) { a, _ in a }
        for (id, expected) in [(Seeded.priya, priya), (Seeded.sofia, sofia), (Seeded.daniel, daniel)] {
            for column in header {
                #expect(byAgent[id]?[column] == expected[column] ?? "", "\(id) \(column)")
            }
        }
    }

    // docs L3421: "within a time frame of 24 hours" — time after the report's generation is not counted: a window
    // reaching past it measures up to the generation (12:30:01, one second of Priya's AVAILABLE time after 12:30).
    @Test func agentPerformance_StopsCounting_WhenTheReportWasGenerated() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Agent-performance")
        let priya = rows.dropFirst().map { csvCells($0, AgentPerformanceReport.columns) }.first {
            $0["agent_id"] == Seeded.priya
        }
        #expect(priya?["active_time_mins"] == "720.017")
        #expect(priya?["report_end_time"] == "2024-01-16T00:00:00.000Z")
    }
}
