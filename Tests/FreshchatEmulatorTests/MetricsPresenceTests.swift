import HTTP
import Testing

@testable import FreshchatEmulator

/// `PUT /_emulator/agents/{agent_id}/presence`: the control endpoint that logs agents in and out and makes them
/// active or inactive on IntelliAssign, the state the instant metrics count (docs L4162–4168).
@Suite struct MetricsPresenceTests {
    // The answer, and the agent object (docs L1870: login_status, agent_status, availability_status) after Sofia
    // (seeded offline, "Inactive on Intelli Assign") logs in active.
    @Test func presence_LogsInActive_AndTheAgentObjectShowsIt() throws {
        let emulator = try TestEmulator()
        let response = emulator.putPresence(Seeded.sofia, ["online": true, "intelliassign_active": true])
        #expect(response.code == 200, "\(response.text)")
        #expect(
            response.json == [
                "id": .string(Seeded.sofia), "online": true, "intelliassign_active": true,
                "availability_status": "AVAILABLE", "agent_status": ["name": "Active on Intelli Assign"],
            ])
        let agent = emulator.send(.get, "/v2/agents/\(Seeded.sofia)").json
        #expect(agent["login_status"] == true)
        #expect(agent["availability_status"] == "AVAILABLE")
        #expect(agent["agent_status"] == ["name": "Active on Intelli Assign"])
    }

    // docs L3635, L3641: the Agent-Activity and Agent-Intelliassign-Activity reports record logging in/off and
    // active/inactive; each change is one `agent_status_changed` event carrying both.
    @Test func presence_AppendsAnAgentStatusChangedEvent() throws {
        let emulator = try TestEmulator()
        try emulator.setMetricsClock(to: TestEmulator.start + 60_000)
        _ = emulator.putPresence(Seeded.sofia, ["online": true, "intelliassign_active": true])
        let events = try emulator.agentStatusEvents()
        #expect(events.count == 1)
        let event = try #require(events.last)
        #expect(event.agentID == Seeded.sofia)
        #expect(event.time == TestEmulator.start + 60_000)
        #expect(event.data["from_login_status"] == false)
        #expect(event.data["login_status"] == true)
        #expect(event.data["from_status_name"] == "Inactive on Intelli Assign")
        #expect(event.data["to_status_name"] == "Active on Intelli Assign")
        #expect(event.data["availability_status"] == "AVAILABLE")
    }

    // A log-out alone (Marcus, online in the custom status "In a meeting") keeps the custom status and is an event
    // too; asking for what already is changes nothing and appends nothing.
    @Test func presence_LogOutKeepsACustomStatus_NoChangeNoEvent() throws {
        let emulator = try TestEmulator()
        let response = emulator.putPresence(Seeded.marcus, ["online": false])
        #expect(response.code == 200, "\(response.text)")
        #expect(response.json["agent_status"] == ["id": .string(Seeded.inAMeeting), "name": "In a meeting"])
        #expect(response.json["online"] == false)
        let events = try emulator.agentStatusEvents()
        #expect(events.count == 1)
        #expect(events.first?.data["login_status"] == false)
        #expect(events.first?.data["to_status_name"] == "In a meeting")
        #expect(emulator.putPresence(Seeded.marcus, ["online": false]).code == 200)
        #expect(emulator.putPresence(Seeded.kenji, ["intelliassign_active": false]).code == 200)
        #expect(try emulator.agentStatusEvents().count == 1)
    }

    // docs L3641: "logging off (inactive)" — logging out an active agent (Priya) makes her inactive too.
    @Test func presence_LogOutOfAnActiveAgent_MakesHerInactive() throws {
        let emulator = try TestEmulator()
        let response = emulator.putPresence(Seeded.priya, ["online": false])
        #expect(response.json["intelliassign_active"] == false)
        #expect(response.json["agent_status"] == ["name": "Inactive on Intelli Assign"])
        #expect(response.json["availability_status"] == "UNAVAILABLE")
        // Daniel is on OCR (docs L1912): his states are the OCR ones.
        let daniel = emulator.putPresence(Seeded.daniel, ["intelliassign_active": false])
        #expect(daniel.json["agent_status"] == ["name": "Inactive on OCR"])
        #expect(daniel.json["online"] == true)
    }

    // An offline agent cannot become active; an agent going offline cannot be active.
    @Test func presence_ActiveNeedsOnline() throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.putPresence(Seeded.kenji, ["intelliassign_active": true]), 400, "BAD_REQUEST",
            mentioning: "intelliassign_active")
        expectError(
            emulator.putPresence(Seeded.priya, ["online": false, "intelliassign_active": true]), 400, "BAD_REQUEST",
            mentioning: "intelliassign_active")
        #expect(try emulator.agentStatusEvents().isEmpty)
    }

    // The body names its members and their types.
    @Test(arguments: [
        ("{}", "online or intelliassign_active"), (#"{"online": "yes"}"#, "online must be a boolean"),
        (#"{"intelliassign_active": 1}"#, "intelliassign_active must be a boolean"), ("[]", "JSON object"),
        ("", "request body"),
    ])
    func presence_BadBody_IsRejected(body: String, message: String) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.put, "/_emulator/agents/\(Seeded.sofia)/presence", body: body)
        expectError(response, 400, "BAD_REQUEST", mentioning: message)
    }

    // docs L46: an unknown agent is 404 AGENT_NOT_FOUND; a deactivated one has no presence.
    @Test func presence_UnknownOrDeactivatedAgent_IsRejected() throws {
        let emulator = try TestEmulator()
        expectError(emulator.putPresence("nope", ["online": true]), 404, "AGENT_NOT_FOUND")
        expectError(emulator.putPresence(Seeded.lena, ["online": true]), 400, "BAD_REQUEST", mentioning: "deactivated")
    }

    // README "Control plane": with --admin-token, /_emulator/ requests carry it; through the host, the presence route
    // falls through to the app (EmulatorHost: "other /_emulator paths … belong to the app").
    @Test func presence_ThroughTheHost_NeedsTheAdminTokenWhenSet() throws {
        let base = try TestEmulator(configure: { $0.adminToken = "admin-secret" })
        let host = EmulatorHost(emulator: base.emulator)
        func put(_ token: String?) -> TestResponse {
            var fields: [(String, String)] = [("Host", "localhost"), ("Content-Type", "application/json")]
            if let token { fields.append(("Authorization", "Bearer \(token)")) }
            return TestResponse(
                host.respond(
                    to: Request(
                        method: .put, target: "/_emulator/agents/\(Seeded.sofia)/presence",
                        headers: HTTPHeaders(fields), body: Array(#"{"online": true}"#.utf8))))
        }
        expectError(put(nil), 401, "UNAUTHENTICATED")
        expectError(put("test-token"), 401, "UNAUTHENTICATED")
        let accepted = put("admin-secret")
        #expect(accepted.code == 200, "\(accepted.text)")
        #expect(accepted.json["online"] == true)
    }
}
