import HTTP
import Testing

@testable import FreshchatEmulator

extension AgentsTests {
    /// Update agent information (docs L2159–2204), `PUT /v2/agents/{agent_id}`.
    @Suite struct Update {
        // docs L2204: "A successful request returns 200 OK along with the updated agent object." The docs' update example
        // (L2200) on the agent of the object example (L1870), with a seeded group.
        @Test func update_Returns200_WithTheUpdatedAgent() throws {
            let emulator = try TestEmulator()
            var body = Seeded.alice.objectValue ?? [:]
            body["last_name"] = "Adrian"
            body["groups"] = [.string(Seeded.billing)]
            let response = emulator.send(.put, "/v2/agents/\(Seeded.sofia)", body: JSONValue.object(body).serialized())
            #expect(response.code == 200, "\(response.text)")
            let agent = response.json
            #expect(agent.objectValue?.keys == AgentsTests.attributes)
            #expect(agent["id"] == .string(Seeded.sofia))
            #expect(agent["created_time"] == "2022-11-07T08:41:03.552Z")
            #expect(agent["email"] == "alice.adrian@email.com")
            #expect(agent["last_name"] == "Adrian")
            #expect(agent["groups"] == [.string(Seeded.billing)])
            #expect(agent["avatar"] == ["url": "https://web.freshchat.com/img/johndoe.png"])
            #expect(agent["social_profiles"] == [["type": "facebook", "id": "alice.adrian"]])
            #expect(agent["license_type"] == "FULLTIME")
            #expect(emulator.agent(Seeded.sofia) == agent)
            // The group membership the filters read follows.
            #expect(
                emulator.listAgents("/v2/agents?groups=\(Seeded.billing)").agents("id") == [
                    Seeded.sofia, Seeded.priya,
                ], "alice.adrian@ sorts first")
            #expect(emulator.listAgents("/v2/agents?groups=\(Seeded.sales)").agents("id") == [Seeded.marcus])
        }

        // docs L2161: "If an attribute value is null or not passed as part of the request payload, the attribute’s
        // existing value is retained."
        @Test(arguments: [
            "{}", #"{"first_name":null,"email":null,"groups":null,"avatar":null,"social_profiles":null}"#,
            #"{"avatar":{}}"#, #"{"avatar":{"url":null}}"#, #"{"role_id":null,"role_name":"Admin"}"#,
        ])
        func update_KeepsEveryValue_WhenNullOrAbsent(body: String) throws {
            let emulator = try TestEmulator()
            let before = emulator.agent(Seeded.priya)
            let response = emulator.send(.put, "/v2/agents/\(Seeded.priya)", body: body)
            #expect(response.code == 200, "\(response.text)")
            #expect(response.json == before)
            #expect(emulator.agent(Seeded.priya) == before)
        }

        // docs L2161: a value that is passed replaces the existing one — an empty array empties the list.
        @Test func update_ReplacesLists_WithTheGivenOnes() throws {
            let emulator = try TestEmulator()
            let agent = emulator.send(
                .put, "/v2/agents/\(Seeded.priya)", body: #"{"groups":[],"social_profiles":[],"biography":""}"#
            ).json
            #expect(agent["groups"] == [] && agent["social_profiles"] == [] && agent["biography"] == "")
            #expect(emulator.listAgents("/v2/agents?groups=\(Seeded.billing)").agents() == [])
        }

        // docs L1906: role_name follows role_id; L1914: scope too.
        @Test func update_MovesRoleNameAndScope_WithTheRole() throws {
            let emulator = try TestEmulator()
            let agent = emulator.send(
                .put, "/v2/agents/\(Seeded.priya)", body: #"{"role_id":"ADMIN","role_name":"Agent"}"#
            )
            .json
            #expect(agent["role_id"] == "ADMIN" && agent["role_name"] == "Admin" && agent["scope"] == "Global")
        }

        // Emulator decision: the email stays unique among agents ignoring case, but an agent may keep (or recase) its
        // own.
        @Test(arguments: ["priya.raman@example.com", "PRIYA.RAMAN@EXAMPLE.COM"])
        func update_Accepts_TheAgentsOwnEmail(email: String) throws {
            let emulator = try TestEmulator()
            let response = emulator.send(.put, "/v2/agents/\(Seeded.priya)", body: #"{"email":"\#(email)"}"#)
            #expect(response.code == 200, "\(response.text)")
            #expect(response.json["email"] == .string(email))
        }

        @Test(arguments: ["marcus.webb@example.com", "Marcus.Webb@example.com"])
        func update_IsRejected_WhenEmailIsAnotherAgents(email: String) throws {
            let emulator = try TestEmulator()
            let response = emulator.send(.put, "/v2/agents/\(Seeded.priya)", body: #"{"email":"\#(email)"}"#)
            expectError(response, 400, "BAD_REQUEST", mentioning: "email: an agent with email \(email) already exists")
            #expect(emulator.agent(Seeded.priya)?["email"] == "priya.raman@example.com")
        }

        // The create rules hold for an update (docs L2114–2134), and a refused update changes nothing.
        @Test(arguments: [
            (#"{"role_id":"SUPER_USER"}"#, "role_id: no role with id 'SUPER_USER'"),
            (#"{"groups":["\#(Seeded.sales)","nope"]}"#, "groups[1]: no group with id nope"),
            (#"{"social_profiles":[{"type":"myspace","id":"x"}]}"#, "social_profiles[0].type must be one of"),
            (#"{"email":""}"#, "email must be an email address"), (#"{"email":5}"#, "email must be a string"),
            (#"{"availability_status":"AWAY"}"#, "availability_status must be AVAILABLE or UNAVAILABLE"),
            (#"{"first_name":"Ok","phone":9}"#, "phone must be a string, not number"),
        ])
        func update_IsRejected_ByTheCreateRules(body: String, message: String) throws {
            let emulator = try TestEmulator()
            let before = emulator.agent(Seeded.priya)
            expectError(
                emulator.send(.put, "/v2/agents/\(Seeded.priya)", body: body), 400, "BAD_REQUEST", mentioning: message)
            #expect(emulator.agent(Seeded.priya) == before)
            #expect(try emulator.agentRowCounts() == (6, 7))
        }

        // docs L46: { "code":404, "status":"AGENT_NOT_FOUND", "message":"agent not found" }
        @Test func update_Returns404_ForAnUnknownAgent() throws {
            let emulator = try TestEmulator()
            let response = emulator.send(.put, "/v2/agents/nope", body: #"{"first_name":"X"}"#)
            #expect(response.code == 404)
            #expect(response.text == #"{"code":404,"status":"AGENT_NOT_FOUND","message":"agent not found"}"#)
        }

        // docs L1882: availability_status is the agent's "availability for conversation auto-assignment"; changing it
        // moves the agent to the matching IntelliAssign/OCR state (leaving a custom one), an `agent_status_changed`
        // event for the activity reports.
        @Test func update_OfAvailability_MovesTheStatus_AndLogsIt() throws {
            let emulator = try TestEmulator()
            emulator.clock.advance(by: 7)
            let marcus = emulator.send(
                .put, "/v2/agents/\(Seeded.marcus)", body: #"{"availability_status":"AVAILABLE"}"#)
            #expect(marcus.json["availability_status"] == "AVAILABLE")
            #expect(marcus.json["agent_status"] == ["name": "Active on Intelli Assign"])
            let daniel = emulator.send(
                .put, "/v2/agents/\(Seeded.daniel)", body: #"{"availability_status":"UNAVAILABLE"}"#)
            #expect(daniel.json["agent_status"] == ["name": "Inactive on OCR"])
            // The same availability again is no change: Sofia stays as she is, nothing is logged.
            let sofia = emulator.send(
                .put, "/v2/agents/\(Seeded.sofia)", body: #"{"availability_status":"UNAVAILABLE"}"#)
            #expect(sofia.json == (try Seeded.seededAgent(Seeded.sofia)))
            let events = try emulator.agentStatusEvents()
            #expect(events.map(\.agentID) == [Seeded.marcus, Seeded.daniel])
            #expect(events.first?.time == TestEmulator.start + 7)
            #expect(
                events.first?.data == [
                    "from_status_id": .string(Seeded.inAMeeting), "from_status_name": "In a meeting",
                    "to_status_id": .null,
                    "to_status_name": "Active on Intelli Assign", "from_availability_status": "UNAVAILABLE",
                    "availability_status": "AVAILABLE",
                ])
        }

        // The columns the filters and sorting read stay in step with the object.
        @Test func update_KeepsTheListInStep() throws {
            let emulator = try TestEmulator()
            _ = emulator.send(
                .put, "/v2/agents/\(Seeded.kenji)",
                body: #"{"email":"aaron@example.com","first_name":"Aaron","availability_status":"AVAILABLE"}"#)
            #expect(emulator.listAgents("/v2/agents?items_per_page=1").agents() == ["aaron@example.com"])
            #expect(
                emulator.listAgents("/v2/agents?sort_by=first_name&items_per_page=1").agents("first_name") == ["Aaron"])
            #expect(
                emulator.listAgents("/v2/agents?availability_status=AVAILABLE").agents("first_name") == [
                    "Aaron", "Daniel", "Priya",
                ])
        }
    }
}
