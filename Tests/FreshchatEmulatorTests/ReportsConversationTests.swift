import Testing

@testable import FreshchatEmulator

/// The conversation reports of the raw reports (docs L3448–3542, L3648–3664), cell by cell against the scripted
/// day (`ReportsDay`).
@Suite struct ReportsConversationTests {
    // docs L3406: Conversation-Created "lists the details of all conversations created within a time frame";
    // L3450: "reopened: If true, specifies that the conversation is a reopened conversation"; L3453: reopen_cause
    // "Possible values: AGENT_REOPEN, USER_MESSAGE, …".
    @Test func conversationCreated_ListsEachCreationAndReopening_CellByCell() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Conversation-Created")
        expectCSVRows(
            rows, header: ConversationCreatedReport.columns,
            [
                [
                    "channel_name": "Support", "reopened": "false", "actor_type": "USER", "group_name": "Billing",
                    "created_at": ReportTime.iso("10:00:00"), "interaction_id": day.i1a,
                    "conv_url": ReportsDay.url(day.c1), "interaction_raw_id": ReportsDay.raw(day.c1, "10:00:00"),
                    "group_id": Seeded.billing, "conversation_id": day.c1, "is_conv_offline": "false",
                    "channel_id": ReportsDay.channel,
                ],
                [
                    "channel_name": "Support", "reopened": "false", "actor_type": "USER", "group_name": "Support",
                    "created_at": ReportTime.iso("10:00:01"), "interaction_id": day.i2,
                    "conv_url": ReportsDay.url(day.c2), "interaction_raw_id": ReportsDay.raw(day.c2, "10:00:01"),
                    "group_id": Seeded.support, "conversation_id": day.c2, "is_conv_offline": "false",
                    "channel_id": ReportsDay.channel,
                ],
                [
                    "channel_name": "Support", "reopened": "true", "actor_type": "USER", "group_name": "Support",
                    "reopen_cause": "USER_MESSAGE", "created_at": ReportTime.iso("11:00:00"),
                    "interaction_id": day.i1b, "conv_url": ReportsDay.url(day.c1),
                    "interaction_raw_id": ReportsDay.raw(day.c1, "11:00:00"), "group_id": Seeded.support,
                    "conversation_id": day.c1, "is_conv_offline": "false", "channel_id": ReportsDay.channel,
                ],
            ])
    }

    // The sub-report is `[from_date, to_date)`: an event at exactly `end` belongs to the next range.
    @Test func conversationCreated_LeavesOutTheEventAtEnd_AndKeepsTheOneAtStart() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Conversation-Created", start: "10:00:01", end: "11:00:00")
        #expect(rows.dropFirst().map { $0[6] } == [day.i2])
    }

    // docs L3408: Conversation-Resolved "lists the details of all conversations resolved within a time frame";
    // L3481–3482: actor_type AGENT, resolve_type AGENT_RESOLVE for an agent's resolution.
    @Test func conversationResolved_ListsEachResolution_CellByCell() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Conversation-Resolved")
        func resolved(
            _ conversation: String, _ interaction: String, _ start: String, at time: String, by agent: String,
            _ name: String, reopened: Bool
        ) -> [String: String] {
            [
                "channel_name": "Support", "reopened": reopened ? "true" : "false", "actor_type": "AGENT",
                "resolve_type": "AGENT_RESOLVE", "agent_name": name, "agent_id": agent, "group_name": "Support",
                "actor_name": name, "created_at": ReportTime.iso(time), "interaction_id": interaction,
                "interaction_raw_id": ReportsDay.raw(conversation, start), "group_id": Seeded.support,
                "actor_belongs_to_group": "true", "conversation_id": conversation, "actor_id": agent,
                "channel_id": ReportsDay.channel,
            ]
        }
        expectCSVRows(
            rows, header: ConversationResolvedReport.columns,
            [
                resolved(
                    day.c1, day.i1a, "10:00:00", at: "10:30:00", by: Seeded.sofia, ReportsDay.sofiaName, reopened: false
                ),
                resolved(
                    day.c2, day.i2, "10:00:01", at: "10:40:00", by: Seeded.sofia, ReportsDay.sofiaName, reopened: false),
                resolved(
                    day.c1, day.i1b, "11:00:00", at: "11:20:00", by: Seeded.priya, ReportsDay.priyaName, reopened: true),
            ])
    }

    // docs L3482: resolve_type "AGENT_RESOLVE, AUTO_RESOLVE, …" — a conversation resolved through the API without an
    // agent is the system's resolution.
    @Test func conversationResolved_IsTheSystems_WhenNoAgentIsAssigned() throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation(agent: nil, group: Seeded.billing)
        let rows = try emulator.reportRows("Conversation-Resolved")
        let row = csvCells(rows.last ?? [], ConversationResolvedReport.columns)
        #expect(row["conversation_id"] == id)
        #expect(row["actor_type"] == "SYSTEM")
        #expect(row["resolve_type"] == "AUTO_RESOLVE")
        #expect(row["actor_name"] == "SYSTEM")
        #expect(row["agent_id"] == "")
        #expect(row["group_name"] == "Billing")
        #expect(row["actor_belongs_to_group"] == "false")
    }

    // docs L3411: CSAT-Score "lists all customer satisfaction ratings received agent-wise"; L3531 has_response; L3539
    // csat_response "Comment provided by the user"; L3542 value "Numeric value of the CSAT rating".
    @Test func csatScore_ListsEachRating_CellByCell() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("CSAT-Score")
        expectCSVRows(
            rows, header: CSATScoreReport.columns,
            [
                [
                    "channel_name": "Support", "reopened": "false", "agent_name": ReportsDay.sofiaName,
                    "agent_id": Seeded.sofia, "csat_submitter_user_name": ReportsDay.adaName,
                    "csat_submitter_user_id": day.ada, "group_name": "Support", "actor_name": ReportsDay.sofiaName,
                    "created_at": ReportTime.iso("10:31:00"), "has_response": "true", "interaction_id": day.i1a,
                    "interaction_raw_id": ReportsDay.raw(day.c1, "10:00:00"), "issue_resolved": "true",
                    "group_id": Seeded.support, "actor_belongs_to_group": "true", "conversation_id": day.c1,
                    "csat_reopen": "false", "csat_response": ReportsDay.feedback, "actor_id": Seeded.sofia,
                    "channel_id": ReportsDay.channel, "value": "4",
                ],
                [
                    "channel_name": "Support", "reopened": "true", "agent_name": ReportsDay.priyaName,
                    "agent_id": Seeded.priya, "csat_submitter_user_name": ReportsDay.adaName,
                    "csat_submitter_user_id": day.ada, "group_name": "Support", "actor_name": ReportsDay.priyaName,
                    "created_at": ReportTime.iso("11:25:00"), "has_response": "false", "interaction_id": day.i1b,
                    "interaction_raw_id": ReportsDay.raw(day.c1, "11:00:00"), "issue_resolved": "false",
                    "group_id": Seeded.support, "actor_belongs_to_group": "true", "conversation_id": day.c1,
                    "csat_reopen": "false", "actor_id": Seeded.priya, "channel_id": ReportsDay.channel,
                    "value": "2",
                ],
            ])
    }

    // docs L3419: Conversation-Activity "lists the details of all conversations created, reopened and resolved within
    // a time frame"; L3655–3659: assigned_at, agent_id, org_agent_id, resolved_at, resolved_by.
    @Test func conversationActivity_ListsEachInteraction_WithItsAssignmentAndResolution() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Conversation-Activity")
        func activity(
            _ conversation: String, _ interaction: String, _ start: String, user: String, org: String,
            assigned: String, agent: String, orgAgent: String, resolved: String
        ) -> [String: String] {
            [
                "created_at": ReportTime.iso(start), "interaction_raw_id": ReportsDay.raw(conversation, start),
                "interaction_id": interaction, "conversation_id": conversation, "user_id": user,
                "org_contact_id": org, "assigned_at": ReportTime.iso(assigned), "agent_id": agent,
                "org_agent_id": orgAgent, "resolved_at": ReportTime.iso(resolved), "resolved_by": agent,
                "group_id": Seeded.support, "group_name": "Support", "channel_id": ReportsDay.channel,
                "channel_name": "Support",
            ]
        }
        expectCSVRows(
            rows, header: ConversationActivityReport.columns,
            [
                activity(
                    day.c1, day.i1a, "10:00:00", user: day.ada, org: "1001", assigned: "10:15:00", agent: Seeded.sofia,
                    orgAgent: "", resolved: "10:30:00"),
                activity(
                    day.c2, day.i2, "10:00:01", user: day.bob, org: "", assigned: "10:07:00", agent: Seeded.sofia,
                    orgAgent: "", resolved: "10:40:00"),
                activity(
                    day.c1, day.i1b, "11:00:00", user: day.ada, org: "1001", assigned: "11:05:00",
                    agent: Seeded.priya, orgAgent: "566895102921767652", resolved: "11:20:00"),
            ])
    }

    // docs L3409: Conversation-Resolution-Label lists "all resolution labels attached to a conversation when the
    // conversation is resolved" — the API attaches none, so the CSV is its header (L3497–3517) alone.
    @Test func conversationResolutionLabel_IsTheHeaderAlone() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Conversation-Resolution-Label")
        #expect(rows.count == 1)
        #expect(rows.first?.count == 21)
        #expect(rows.first?.first == "channel_name")
        #expect(rows.first?.contains("label_sub_category_name") == true)
        #expect(rows.first?.last == "labelled_by_type")
    }
}
