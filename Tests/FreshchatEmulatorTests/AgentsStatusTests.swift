import HTTP
import Testing

@testable import FreshchatEmulator

extension AgentsTests {
    /// List all agent statuses (docs L2206–2277), `GET /v2/agents/status`, and update agent status (L2279–2337),
    /// `PATCH /v2/agents/{agent_id}`.
    @Suite struct Status {
        // MARK: - List all agent statuses

        // docs L2221: "A successful request returns 200 OK along with all agents’ status"; L2272: `{"states": [{"id",
        // "name"}, …]}` — the seeded custom statuses in their order, names verbatim ("Testing " keeps its space).
        @Test(arguments: TestMode.allCases)
        func statuses_ListsTheCustomStates_InOrder(mode: TestMode) throws {
            let emulator = try TestEmulator().client(mode)
            let response = emulator.send(.get, "/v2/agents/status")
            #expect(response.code == 200, "\(response.text)")
            let states = response.json["states"]?.arrayValue ?? []
            #expect(response.json.objectValue?.keys == ["states"])
            #expect(states.count == 13)
            #expect(states.first == ["id": .string(Seeded.brb), "name": "BRB"])
            #expect(states[4] == ["id": "fa8230ff-cfbc-4e62-8ecc-419d38ffb068", "name": "Testing "])
            #expect(states.last == ["id": "03022fd9-dff2-5efe-bf4b-a576ed2131d3", "name": "Lunch break"])
            #expect(states.allSatisfy { $0.objectValue?.keys == ["id", "name"] })
        }

        // The literal route wins over `{agent_id}` for GET only: other methods on /v2/agents/status reach the agent
        // routes, where "status" is no agent.
        @Test func statusPath_IsAnAgentID_ForOtherMethods() throws {
            let emulator = try TestEmulator()
            expectError(emulator.send(.put, "/v2/agents/status", body: "{}"), 404, "AGENT_NOT_FOUND")
            expectError(emulator.send(.delete, "/v2/agents/status"), 404, "AGENT_NOT_FOUND")
            expectError(
                emulator.setStatus("status", statusID: Seeded.brb, name: "BRB"), 404, "AGENT_NOT_FOUND")
        }

        // MARK: - Update agent status

        // docs L2306/L2315: the PATCH example; L2336: its response, `{"availability_status": "UNAVAILABLE",
        // "agent_status": {"id", "name"}}`. The retrieved agent carries the same.
        @Test(arguments: TestMode.allCases)
        func patchStatus_AnswersLikeTheDocsExample(mode: TestMode) throws {
            let emulator = try TestEmulator().client(mode)
            let response = emulator.send(
                .patch, "/v2/agents/\(Seeded.priya)",
                body: #"{ "agent_status": { "id": "0062b314-5b7d-466f-963e-1e0a723d4d64", "name": "In a meeting" } }"#)
            #expect(response.code == 200)
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(
                response.text
                    == #"{"availability_status":"UNAVAILABLE","agent_status":{"id":"0062b314-5b7d-466f-963e-1e0a723d4d64","name":"In a meeting"}}"#
            )
            let agent = emulator.agent(Seeded.priya)
            #expect(agent?["availability_status"] == "UNAVAILABLE")
            #expect(agent?["agent_status"] == ["id": .string(Seeded.inAMeeting), "name": "In a meeting"])
            #expect(emulator.listAgents("/v2/agents?availability_status=AVAILABLE").agents("first_name") == ["Daniel"])
        }

        // ARCHITECTURE.md: "Everything the reports and metrics say comes from the EventLog: … agent status changed."
        // Each move is logged with the agent, the time, from/to status and the availability.
        @Test func patchStatus_AppendsAgentStatusChanged_ForTheActivityReports() throws {
            let emulator = try TestEmulator()
            emulator.clock.advance(by: 60_000)
            #expect(emulator.setStatus(Seeded.priya, statusID: Seeded.brb, name: "BRB").code == 200)
            emulator.clock.advance(by: 5_000)
            #expect(emulator.setStatus(Seeded.priya, statusID: Seeded.inAMeeting, name: "In a meeting").code == 200)
            let events = try emulator.agentStatusEvents()
            #expect(events.count == 2)
            #expect(events.map(\.agentID) == [Seeded.priya, Seeded.priya])
            #expect(events.map(\.time) == [TestEmulator.start + 60_000, TestEmulator.start + 65_000])
            #expect(
                events[0].data == [
                    "from_status_id": .null, "from_status_name": "Active on Intelli Assign",
                    "to_status_id": .string(Seeded.brb), "to_status_name": "BRB",
                    "from_availability_status": "AVAILABLE",
                    "availability_status": "UNAVAILABLE",
                ])
            #expect(events[1].data["from_status_id"] == .string(Seeded.brb))
            #expect(events[1].data["to_status_name"] == "In a meeting")
            #expect(events[1].data["from_availability_status"] == "UNAVAILABLE")
        }

        // Setting the status the agent already has changes nothing and logs nothing (Marcus is "In a meeting").
        @Test func patchStatus_ToTheCurrentStatus_LogsNothing() throws {
            let emulator = try TestEmulator()
            let response = emulator.setStatus(Seeded.marcus, statusID: Seeded.inAMeeting, name: "In a meeting")
            #expect(
                response.json == [
                    "availability_status": "UNAVAILABLE",
                    "agent_status": ["id": .string(Seeded.inAMeeting), "name": "In a meeting"],
                ])
            #expect(try emulator.agentStatusEvents().isEmpty)
        }

        // docs L2323: "Note: If no value is specified for agent_status the previous status is retained."
        @Test(arguments: ["{}", #"{"agent_status":null}"#, #"{"availability_status":"AVAILABLE"}"#])
        func patchStatus_KeepsThePreviousStatus_WhenAgentStatusIsAbsent(body: String) throws {
            let emulator = try TestEmulator()
            let response = emulator.send(.patch, "/v2/agents/\(Seeded.sofia)", body: body)
            #expect(response.code == 200)
            #expect(
                response.json == [
                    "availability_status": "UNAVAILABLE", "agent_status": ["name": "Inactive on Intelli Assign"],
                ])
            #expect(emulator.agent(Seeded.sofia) == (try Seeded.seededAgent(Seeded.sofia)))
            #expect(try emulator.agentStatusEvents().isEmpty)
        }

        // docs L2322: name "Should be a valid states.name value" — the name of the state the id names, exactly.
        @Test(arguments: [
            (Seeded.inAMeeting, "Vacation"), (Seeded.inAMeeting, "in a meeting"), (Seeded.inAMeeting, "In a meeting "),
            ("fa8230ff-cfbc-4e62-8ecc-419d38ffb068", "Testing"), (Seeded.brb, ""),
        ])
        func patchStatus_IsRejected_WhenNameDoesNotMatchId(id: String, name: String) throws {
            let emulator = try TestEmulator()
            let response = emulator.setStatus(Seeded.priya, statusID: id, name: name)
            expectError(response, 400, "BAD_REQUEST", mentioning: "agent_status: status \(id) is named")
            #expect(response.json["message"]?.stringValue?.contains("not '\(name)'") == true)
            #expect(emulator.agent(Seeded.priya)?["agent_status"] == ["name": "Active on Intelli Assign"])
            #expect(try emulator.agentStatusEvents().isEmpty)
        }

        // docs L2321: id "Should be a valid states.id value" (the list of L2284: "use the List all agent statuses API").
        @Test(arguments: ["nope", "0062B314-5B7D-466F-963E-1E0A723D4D64", ""])
        func patchStatus_IsRejected_WhenIdIsNotAState(id: String) throws {
            let emulator = try TestEmulator()
            expectError(
                emulator.setStatus(Seeded.priya, statusID: id, name: "In a meeting"), 400, "BAD_REQUEST",
                mentioning: "agent_status: no custom status with id \(id)")
        }

        // docs L2285 (note 2): "You can use this API only to update an agent’s existing status (IntelliAssign/OCR/Custom
        // status) to a custom status. You cannot use this API to update a custom status to IntelliAssign/OCR states
        // (Active/Inactive)."
        @Test(arguments: ["Active on Intelli Assign", "Inactive on Intelli Assign", "Active on OCR", "Inactive on OCR"])
        func patchStatus_IsRejected_ForAnIntelliAssignOrOCRState(name: String) throws {
            let emulator = try TestEmulator()
            for body: JSONValue in [
                ["agent_status": ["name": .string(name)]], ["agent_status": ["id": "x", "name": .string(name)]],
            ] {
                let response = emulator.send(.patch, "/v2/agents/\(Seeded.marcus)", body: body.serialized())
                expectError(response, 400, "BAD_REQUEST", mentioning: "only a custom status")
                #expect(response.json["message"]?.stringValue?.contains("docs L2285") == true)
            }
            #expect(
                emulator.agent(Seeded.marcus)?["agent_status"] == [
                    "id": .string(Seeded.inAMeeting), "name": "In a meeting",
                ])
        }

        // docs L2319–2322: agent_status is an object of id (string) and name (string); each missing or mistyped member is
        // named by its path.
        @Test(arguments: [
            (#"{"agent_status":"In a meeting"}"#, "agent_status must be an object, not string"),
            (#"{"agent_status":{"id":1,"name":"BRB"}}"#, "agent_status.id must be a string, not number"),
            (
                #"{"agent_status":{"id":"b75c38ce-7471-4db9-900f-238cd1b51938","name":false}}"#,
                "agent_status.name must be a string, not boolean"
            ),
            (#"{"agent_status":{"name":"BRB"}}"#, "agent_status.id is mandatory"),
            (#"{"agent_status":{"id":"b75c38ce-7471-4db9-900f-238cd1b51938"}}"#, "agent_status.name is mandatory"),
            (#"{"agent_status":{}}"#, "agent_status.id is mandatory"),
            ("[]", "request body must be a JSON object"),
        ])
        func patchStatus_IsRejected_WhenTheBodyIsMalformed(body: String, message: String) throws {
            let emulator = try TestEmulator()
            expectError(
                emulator.send(.patch, "/v2/agents/\(Seeded.priya)", body: body), 400, "BAD_REQUEST", mentioning: message
            )
        }

        // docs L46: { "code":404, "status":"AGENT_NOT_FOUND", "message":"agent not found" }
        @Test func patchStatus_Returns404_ForAnUnknownAgent() throws {
            let emulator = try TestEmulator()
            let response = emulator.setStatus("nope", statusID: Seeded.brb, name: "BRB")
            #expect(response.code == 404)
            #expect(response.text == #"{"code":404,"status":"AGENT_NOT_FOUND","message":"agent not found"}"#)
        }
    }
}
