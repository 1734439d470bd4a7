import Testing

@testable import FreshchatEmulator

/// The time reports of the raw reports (docs L3544–3630): first response, response, resolution and assignment
/// times, against the scripted day (`ReportsDay`).
@Suite struct ReportsTimeTests {
    // docs L3412: First-Response-Time "tracks the time agents and groups take to send the first response to a
    // customer message"; L3554 total_first_response_time_in_seconds; L3547–3549: the agent and group at the response.
    @Test func firstResponseTime_MeasuresFromTheFirstUserMessage_CellByCell() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("First-Response-Time")
        func first(
            _ conversation: String, _ interaction: String, _ start: String, at time: String, by agent: String,
            _ name: String, group: String, _ groupName: String, seconds: String, reopened: Bool
        ) -> [String: String] {
            [
                "channel_name": "Support", "reopened": reopened ? "true" : "false", "agent_name": name,
                "agent_id": agent, "group_name": groupName, "actor_name": name, "created_at": ReportTime.iso(time),
                "interaction_id": interaction, "interaction_raw_id": ReportsDay.raw(conversation, start),
                "total_first_response_time_in_seconds": seconds, "group_id": group, "actor_belongs_to_group": "true",
                "conversation_id": conversation, "value_in_seconds": seconds, "actor_id": agent,
                "channel_id": ReportsDay.channel,
            ]
        }
        expectCSVRows(
            rows, header: FirstResponseTimeReport.columns,
            [
                first(
                    day.c1, day.i1a, "10:00:00", at: "10:05:00", by: Seeded.priya, ReportsDay.priyaName,
                    group: Seeded.billing, "Billing", seconds: "300", reopened: false),
                first(
                    day.c2, day.i2, "10:00:01", at: "10:10:00", by: Seeded.sofia, ReportsDay.sofiaName,
                    group: Seeded.support, "Support", seconds: "599", reopened: false),
                first(
                    day.c1, day.i1b, "11:00:00", at: "11:10:00", by: Seeded.priya, ReportsDay.priyaName,
                    group: Seeded.support, "Support", seconds: "600", reopened: true),
            ])
    }

    // docs L3549: "If there is a response before assignment, this field value is empty." — and a response time keeps
    // its milliseconds.
    @Test func firstResponseTime_HasNoAgent_WhenTheResponseCameBeforeAssignment() throws {
        let emulator = try TestEmulator()
        let id = try emulator.openConversation(agent: nil)
        try emulator.moveClock(to: ReportTime.at("10:02:03.250"))
        #expect(emulator.sendMessage(id, Seeded.agentMessage(from: Seeded.marcus)).code == 200)
        let rows = try emulator.reportRows("First-Response-Time")
        let row = csvCells(rows.last ?? [], FirstResponseTimeReport.columns)
        #expect(row["agent_id"] == "")
        #expect(row["agent_name"] == "")
        #expect(row["actor_id"] == Seeded.marcus)
        #expect(row["group_name"] == "Billing")
        #expect(row["actor_belongs_to_group"] == "false", "Marcus is in Sales only")
        #expect(row["total_first_response_time_in_seconds"] == "123.25")
    }

    // docs L3577: Response-Time value_in_seconds "the sum of all response times recorded for an interaction"; L3571
    // created_at "Timestamp of when the conversation is resolved".
    @Test func responseTime_SumsEachAgentsResponses_PerResolvedInteraction() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Response-Time")
        func response(
            _ conversation: String, _ interaction: String, _ start: String, resolved: String, agent: String,
            _ agentName: String, actor: String, _ actorName: String, seconds: String, reopened: Bool
        ) -> [String: String] {
            [
                "channel_name": "Support", "reopened": reopened ? "true" : "false", "agent_name": agentName,
                "agent_id": agent, "actor_type": "AGENT", "group_name": "Support", "actor_name": actorName,
                "created_at": ReportTime.iso(resolved), "interaction_id": interaction,
                "interaction_raw_id": ReportsDay.raw(conversation, start), "group_id": Seeded.support,
                "actor_belongs_to_group": "true", "conversation_id": conversation, "value_in_seconds": seconds,
                "actor_id": actor, "channel_id": ReportsDay.channel,
            ]
        }
        let (priya, sofia) = (ReportsDay.priyaName, ReportsDay.sofiaName)
        expectCSVRows(
            rows, header: ResponseTimeReport.columns,
            [
                response(
                    day.c1, day.i1a, "10:00:00", resolved: "10:30:00", agent: Seeded.sofia, sofia, actor: Seeded.priya,
                    priya, seconds: "300", reopened: false),
                response(
                    day.c1, day.i1a, "10:00:00", resolved: "10:30:00", agent: Seeded.sofia, sofia, actor: Seeded.sofia,
                    sofia, seconds: "480", reopened: false),
                response(
                    day.c2, day.i2, "10:00:01", resolved: "10:40:00", agent: Seeded.sofia, sofia, actor: Seeded.sofia,
                    sofia, seconds: "599", reopened: false),
                response(
                    day.c1, day.i1b, "11:00:00", resolved: "11:20:00", agent: Seeded.priya, priya, actor: Seeded.priya,
                    priya, seconds: "600", reopened: true),
            ])
    }

    // docs L3414: Resolution-Time "tracks the time agents and groups take to resolve a conversation"; L3590 created_at
    // "Timestamp of when the conversation is resolved"; resolution time = resolved − the interaction's start.
    @Test func resolutionTime_MeasuresFromTheInteractionsStart_CellByCell() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Resolution-Time")
        func resolution(
            _ conversation: String, _ interaction: String, _ start: String, at time: String, by agent: String,
            _ name: String, seconds: String, reopened: Bool
        ) -> [String: String] {
            [
                "channel_name": "Support", "reopened": reopened ? "true" : "false", "agent_name": name,
                "agent_id": agent, "actor_type": "AGENT", "group_name": "Support", "actor_name": name,
                "created_at": ReportTime.iso(time), "interaction_id": interaction,
                "interaction_raw_id": ReportsDay.raw(conversation, start), "group_id": Seeded.support,
                "actor_belongs_to_group": "true", "conversation_id": conversation, "value_in_seconds": seconds,
                "actor_id": agent, "channel_id": ReportsDay.channel,
            ]
        }
        expectCSVRows(
            rows, header: ResolutionTimeReport.columns,
            [
                resolution(
                    day.c1, day.i1a, "10:00:00", at: "10:30:00", by: Seeded.sofia, ReportsDay.sofiaName,
                    seconds: "1800", reopened: false),
                resolution(
                    day.c2, day.i2, "10:00:01", at: "10:40:00", by: Seeded.sofia, ReportsDay.sofiaName,
                    seconds: "2399", reopened: false),
                resolution(
                    day.c1, day.i1b, "11:00:00", at: "11:20:00", by: Seeded.priya, ReportsDay.priyaName,
                    seconds: "1200", reopened: true),
            ])
    }

    // docs L3415: Conversation-Agent-Assigned "Tracks the time taken to assign a conversation to an agent"; L3611
    // reassigned; L3612 value "Time taken to assign a conversation to an agent, specified in seconds".
    @Test func conversationAgentAssigned_ListsEachAssignment_WithItsTimeAndReassignment() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Conversation-Agent-Assigned")
        func assigned(
            _ conversation: String, _ interaction: String, group: String, _ groupName: String, agent: String,
            at time: String, reassigned: Bool, value: String
        ) -> [String: String] {
            [
                "conversation_id": conversation, "interaction_id": interaction, "channel_id": ReportsDay.channel,
                "channel_name": "Support", "group_id": group, "group_name": groupName, "agent_id": agent,
                "actor_type": "SYSTEM", "created_at": ReportTime.iso(time),
                "reassigned": reassigned ? "true" : "false", "value": value,
            ]
        }
        expectCSVRows(
            rows, header: ConversationAgentAssignedReport.columns,
            [
                assigned(
                    day.c1, day.i1a, group: Seeded.billing, "Billing", agent: Seeded.priya, at: "10:00:00",
                    reassigned: false, value: "0"),
                assigned(
                    day.c2, day.i2, group: Seeded.support, "Support", agent: Seeded.sofia, at: "10:07:00",
                    reassigned: false, value: "419"),
                assigned(
                    day.c1, day.i1a, group: Seeded.support, "Support", agent: Seeded.sofia, at: "10:15:00",
                    reassigned: true, value: "900"),
                assigned(
                    day.c1, day.i1b, group: Seeded.support, "Support", agent: Seeded.priya, at: "11:05:00",
                    reassigned: false, value: "300"),
            ])
    }

    // docs L3416: Conversation-Group-Assigned "Tracks the time taken to assign a conversation to a group"; L3627–3628:
    // the agent "to whom the conversation is assigned for resolution".
    @Test func conversationGroupAssigned_ListsEachGroupAssignment_WithTheAgentOfTheResolution() throws {
        let day = try ReportsDay()
        let rows = try day.emulator.reportRows("Conversation-Group-Assigned")
        func assigned(
            _ conversation: String, _ interaction: String, _ start: String, group: String, _ groupName: String,
            at time: String, reassigned: Bool, value: String
        ) -> [String: String] {
            [
                "conversation_id": conversation, "interaction_id": interaction, "channel_id": ReportsDay.channel,
                "channel_name": "Support", "group_id": group, "group_name": groupName, "actor_type": "SYSTEM",
                "created_at": ReportTime.iso(time), "reassigned": reassigned ? "true" : "false", "value": value,
                "reopened": "false", "agent_name": ReportsDay.sofiaName, "agent_id": Seeded.sofia,
                "actor_name": "SYSTEM", "interaction_raw_id": ReportsDay.raw(conversation, start),
            ]
        }
        expectCSVRows(
            rows, header: ConversationGroupAssignedReport.columns,
            [
                assigned(
                    day.c1, day.i1a, "10:00:00", group: Seeded.billing, "Billing", at: "10:00:00", reassigned: false,
                    value: "0"),
                assigned(
                    day.c2, day.i2, "10:00:01", group: Seeded.support, "Support", at: "10:00:01", reassigned: false,
                    value: "0"),
                assigned(
                    day.c1, day.i1a, "10:00:00", group: Seeded.support, "Support", at: "10:15:00", reassigned: true,
                    value: "900"),
            ])
    }
}
