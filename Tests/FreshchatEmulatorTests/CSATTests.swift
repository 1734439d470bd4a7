import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// Create a CSAT rating for a conversation (docs L2667–2753), `POST /v2/csat/{conversation_id}`, on conversations
/// created, resolved and reopened through the API.
@Suite struct CSATTests {
    /// docs L2708: the request body example, verbatim.
    static let docsBody = """
        { "issue_resolved": true, "rating":5, "additional_feedback": "Issue was resolved in a very short time", \
        "reopen_conversation": false }
        """

    /// Bodies with an attribute of the wrong type, and what the 400 says.
    static let wrongTypes: [(JSONValue, String)] = [
        (["issue_resolved": true, "rating": "5"], "rating must be an integer"),
        (["issue_resolved": true, "rating": .double(4.5)], "rating must be an integer"),
        (["issue_resolved": true, "rating": 4, "additional_feedback": 3], "additional_feedback must be a string"),
        (["issue_resolved": false, "reopen_conversation": "yes"], "reopen_conversation must be a boolean"),
    ]

    /// A dissatisfied customer asking to reopen.
    static let reopenBody: JSONValue = [
        "issue_resolved": false, "rating": 2, "additional_feedback": "Still broken", "reopen_conversation": true,
    ]

    // docs L2722: "A successful request returns 201 Created along with the created csat object." L2737: the object's
    // attributes, in order.
    @Test(arguments: TestMode.allCases)
    func csat_Returns201_WithTheCSATObject_ForTheDocsExample(mode: TestMode) throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let interaction = try emulator.interactionID(of: id)
        let response = try emulator.client(mode).send(.post, "/v2/csat/\(id)", body: Self.docsBody)
        #expect(response.code == 201, "\(response.text)")
        let csat = response.json
        #expect(
            csat.objectValue?.keys == [
                "csat_response_id", "created", "additional_feedback", "rating", "interaction_id", "conversation_id",
                "issue_resolved", "csat_attributer_id", "app_id", "reopen_conversation",
            ])
        #expect(csat["csat_response_id"]?.intValue != nil)
        // docs L2742: created "specified in epoch format" — epoch milliseconds (L2737: 1683812688548).
        #expect(csat["created"] == .integer(TestEmulator.start + 1_000))
        #expect(csat["additional_feedback"] == "Issue was resolved in a very short time")
        #expect(csat["rating"] == 5)
        #expect(csat["interaction_id"] == .string(interaction))
        #expect(csat["conversation_id"] == .string(id))
        #expect(csat["issue_resolved"] == true)
        // docs L2750: the agent assigned at resolution, Priya, by her organisation-level id (docs L1398).
        #expect(csat["csat_attributer_id"] == 566_895_102_921_767_652)
        // docs L2751: app_id, the account's app_id 4adf4aab-…-78aa094cd1a1 as an integer (its last 12 hex digits).
        #expect(csat["app_id"] == 132_671_695_802_785)
        #expect(csat["reopen_conversation"] == false)
        // The interaction is the one its messages carry (docs L846–847).
        let messages = emulator.send(.get, "/v2/conversations/\(id)/messages").json["messages"]?.arrayValue
        #expect(messages?.first?["interaction_id"] == .string(interaction))
    }

    // docs L2715: rating "Valid values: 1 - 5".
    @Test(arguments: [0, 6, -1, 100])
    func csat_IsRejected_WhenRatingIsOutOfRange(rating: Int64) throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let response = emulator.postCSAT(id, ["issue_resolved": true, "rating": .integer(rating)])
        expectError(response, 400, "BAD_REQUEST", mentioning: "rating must be an integer from 1 to 5, not \(rating)")
        #expect(try emulator.ratingCount() == 0)
    }

    // docs L2715: rating "Valid values: 1 - 5" — both ends accepted.
    @Test(arguments: [1, 5])
    func csat_IsAccepted_AtTheEndsOfTheRatingRange(rating: Int64) throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let response = emulator.postCSAT(id, ["issue_resolved": true, "rating": .integer(rating)])
        #expect(response.code == 201, "\(response.text)")
        #expect(response.json["rating"] == .integer(rating))
    }

    // docs L2714: "ratingMandatory if the value of issue_resolved is true."
    @Test(arguments: [JSONValue.object(["issue_resolved": true]), ["issue_resolved": true, "rating": .null]])
    func csat_IsRejected_WhenRatingIsMissing_AndIssueResolvedIsTrue(body: JSONValue) throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        expectError(
            emulator.postCSAT(id, body), 400, "BAD_REQUEST",
            mentioning: "rating is mandatory when issue_resolved is true")
    }

    // docs L2714: rating is mandatory only when issue_resolved is true; without one the object has no rating.
    @Test func csat_IsAccepted_WithoutRating_WhenIssueIsNotResolved() throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let response = emulator.postCSAT(id, ["issue_resolved": false])
        #expect(response.code == 201, "\(response.text)")
        #expect(response.json["rating"] == nil)
        #expect(response.json["additional_feedback"] == nil)
        #expect(response.json["issue_resolved"] == false)
        #expect(response.json["reopen_conversation"] == false)
    }

    // docs L2712: "issue_resolvedMandatory boolean"
    @Test(arguments: [
        JSONValue.object(["rating": 5]), ["issue_resolved": .null, "rating": 5],
        ["issue_resolved": "true", "rating": 5], ["issue_resolved": 1, "rating": 5],
    ])
    func csat_IsRejected_WhenIssueResolvedIsMissingOrNotABoolean(body: JSONValue) throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        expectError(emulator.postCSAT(id, body), 400, "BAD_REQUEST", mentioning: "issue_resolved")
    }

    // docs L2714: rating is an integer; L2716: additional_feedback a string; L2717: reopen_conversation a boolean.
    @Test(arguments: wrongTypes)
    func csat_IsRejected_WhenAnAttributeHasTheWrongType(body: JSONValue, message: String) throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        expectError(emulator.postCSAT(id, body), 400, "BAD_REQUEST", mentioning: message)
    }

    // docs L2679: "Note: Using this API, you can post CSAT rating only for resolved conversations."
    @Test(arguments: [nil, Seeded.priya])
    func csat_IsRejected_WhenConversationIsOpen(agent: String?) throws {
        let emulator = try TestEmulator()
        let id = try emulator.openConversation(agent: agent)
        let status = agent == nil ? "new" : "assigned"
        expectError(
            emulator.postCSAT(id, ["issue_resolved": true, "rating": 4]), 400, "BAD_REQUEST",
            mentioning: "is \(status); a CSAT rating can be posted only for a resolved conversation")
        #expect(try emulator.ratingCount() == 0)
        #expect(try emulator.events(of: id).contains { $0.kind == .csatSubmitted } == false)
    }

    // docs L2679 with L1475: a conversation reopened with PUT is open again.
    @Test func csat_IsRejected_WhenConversationWasReopened() throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        emulator.update(id, ["status": "reopened"])
        expectError(
            emulator.postCSAT(id, ["issue_resolved": true, "rating": 4]), 400, "BAD_REQUEST", mentioning: "is new")
    }

    // docs L2684: conversation_id "Identifier of the conversation object"; an unknown one is not found, as is one whose
    // creation (202, docs L1357) has not completed yet.
    @Test func csat_IsNotFound_WhenTheConversationDoesNotExist() throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.postCSAT("00000000-0000-4000-8000-0000000fffff", ["issue_resolved": true, "rating": 4]), 404,
            "CONVERSATION_NOT_FOUND")
        let user = emulator.createUserID(["first_name": "Ada"])
        let pending = emulator.send(.post, "/v2/conversations", json: Seeded.createBody(for: user))
        let pendingID = pending.json["conversation_id"]?.stringValue ?? ""
        expectError(
            emulator.postCSAT(pendingID, ["issue_resolved": true, "rating": 4]), 404, "CONVERSATION_NOT_FOUND")
    }

    // docs L2746: "An interaction is a conversation from the time it is initiated to the time the conversation is
    // resolved." One rating per interaction: a second is a conflict, whatever it says.
    @Test(arguments: [JSONValue.object(["issue_resolved": true, "rating": 3]), ["issue_resolved": false]])
    func csat_IsRejected_WhenTheInteractionAlreadyHasARating(second: JSONValue) throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let first = emulator.postCSAT(id, ["issue_resolved": true, "rating": 5])
        #expect(first.code == 201)
        let response = emulator.postCSAT(id, second)
        expectError(response, 409, "CONFLICT", mentioning: "already has a CSAT rating")
        #expect(
            response.json["message"]?.stringValue?.contains("\(first.json["csat_response_id"]?.intValue ?? -1)") == true
        )
        #expect(try emulator.ratingCount() == 1)
        #expect(try emulator.events(of: id).filter { $0.kind == .csatSubmitted }.count == 1)
    }

    // docs L2719: "Note: A conversation cannot be reopened if issue_resolved is true."
    @Test func csat_IsRejected_WhenReopenIsAskedWithIssueResolved() throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let response = emulator.postCSAT(id, ["issue_resolved": true, "rating": 1, "reopen_conversation": true])
        expectError(response, 400, "BAD_REQUEST", mentioning: "cannot be reopened if issue_resolved is true")
        #expect(emulator.fetchConversation(id)?["status"] == "resolved")
        #expect(try emulator.ratingCount() == 0)
    }

    // docs L2752: reopen_conversation "Specifies whether the conversation is reopened based on the CSAT rating
    // provided." Reopened as docs L1475 describes ("the agent is unassigned; the status of the conversation changes to
    // new"), in a new interaction (L2746: "If the conversation is reopened, a new interaction_id is assigned").
    @Test func csat_ReopensTheConversation_WhenAskedAndTheIssueIsNotResolved() throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let before = try emulator.interactionID(of: id)
        try emulator.advance(milliseconds: 4_000)
        let response = emulator.postCSAT(id, Self.reopenBody)
        #expect(response.code == 201, "\(response.text)")
        #expect(response.json["reopen_conversation"] == true)
        #expect(response.json["interaction_id"] == .string(before))
        let conversation = emulator.fetchConversation(id)
        #expect(conversation?["status"] == "new")
        #expect(conversation?.objectValue?.keys.contains("assigned_agent_id") == false)
        #expect(conversation?["assigned_group_id"] == .string(Seeded.billing))
        #expect(conversation?["updated_time"] == "2024-01-15T10:00:05.000Z")
        let after = try emulator.interactionID(of: id)
        #expect(after != before)
        let events = try emulator.events(of: id).suffix(3)
        #expect(events.map(\.kind) == [.csatSubmitted, .conversationReopened, .agentUnassigned])
        #expect(events.map(\.interactionID) == [before, after, after])
        #expect(events.dropFirst().first?.data["cause"] == "CUSTOMER_DISSATISFACTION")
        #expect(events.allSatisfy { $0.time == TestEmulator.start + 5_000 })
    }

    // Without reopen_conversation the conversation stays resolved and unchanged.
    @Test func csat_LeavesTheConversationResolved_WhenNotAskedToReopen() throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let before = emulator.fetchConversation(id)
        try emulator.advance(milliseconds: 4_000)
        #expect(emulator.postCSAT(id, ["issue_resolved": false, "rating": 1]).code == 201)
        #expect(emulator.fetchConversation(id) == before)
    }

    // docs L2746: "If the conversation is reopened, a new interaction_id is assigned to the conversation." The new
    // interaction, once resolved, takes its own rating — whether the reopen came from a CSAT, a PUT (L1475) or a user
    // message.
    @Test(arguments: ["csat", "put", "message"])
    func csat_IsAccepted_ForTheNewInteraction_AfterAReopen(reopenBy: String) throws {
        let emulator = try TestEmulator()
        let (id, user) = try emulator.resolvedConversationAndUser()
        let first = emulator.postCSAT(
            id, reopenBy == "csat" ? Self.reopenBody : ["issue_resolved": false, "rating": 2])
        #expect(first.code == 201)
        switch reopenBy {
        case "put": emulator.update(id, ["status": "reopened"])
        case "message": #expect(emulator.sendMessage(id, Seeded.userMessage("Not fixed", from: user)).code == 200)
        default: break
        }
        emulator.update(id, ["status": "assigned", "assigned_agent_id": .string(Seeded.priya)])
        emulator.update(id, ["status": "resolved"])
        let second = emulator.postCSAT(id, ["issue_resolved": true, "rating": 5])
        #expect(second.code == 201, "\(second.text)")
        #expect(second.json["interaction_id"] == .string(try emulator.interactionID(of: id)))
        #expect(second.json["interaction_id"] != first.json["interaction_id"])
        #expect(second.json["csat_response_id"] != first.json["csat_response_id"])
        #expect(try emulator.ratingCount() == 2)
    }

    // ARCHITECTURE.md: the CSAT report and metrics (docs L3520–3542, L3967–3987) read csat_submitted from the EventLog.
    @Test func csat_AppendsCSATSubmitted_WithRatingAndIssueResolved() throws {
        let emulator = try TestEmulator()
        let (id, user) = try emulator.resolvedConversationAndUser()
        let response = emulator.postCSAT(id, ["issue_resolved": true, "rating": 4])
        let event = try #require(try emulator.events(of: id).last)
        #expect(event.kind == .csatSubmitted)
        #expect(event.time == TestEmulator.start + 1_000)
        #expect(event.interactionID == response.json["interaction_id"]?.stringValue)
        #expect(event.userID == user)
        #expect(event.agentID == Seeded.priya)
        #expect(event.groupID == Seeded.billing)
        #expect(event.channelID == Seeded.channel)
        #expect(
            event.data == [
                "csat_response_id": response.json["csat_response_id"] ?? .null, "rating": 4, "issue_resolved": true,
                "reopen_conversation": false,
            ])
    }

    // docs L2750: csat_attributer_id "Identifier of the agent to whom the conversation was assigned at the time of
    // resolution", an integer: the agent's org_contact_id, or the number the last 12 hex digits of its id spell when it
    // has none (Sofia); absent when no agent was assigned.
    @Test(arguments: [
        (Seeded.priya, Seeded.billing, JSONValue.integer(566_895_102_921_767_652)),
        (Seeded.marcus, Seeded.sales, .integer(462_153_445_185_974_756)),
        (Seeded.sofia, Seeded.support, .integer(44_254_547_361_932)), (nil, Seeded.billing, nil),
    ])
    func csat_AttributesTheRatingToTheAgentAssignedAtResolution(agent: String?, group: String, expected: JSONValue?)
        throws
    {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation(agent: agent, group: group)
        let response = emulator.postCSAT(id, ["issue_resolved": true, "rating": 3])
        #expect(response.code == 201, "\(response.text)")
        #expect(response.json["csat_attributer_id"] == expected)
    }

    // docs L2673/L2680: the endpoint is POST (the sample curl at L2698 says PUT; only POST is served).
    @Test func csat_IsMethodNotAllowed_ForPUT() throws {
        let emulator = try TestEmulator()
        let id = try emulator.resolvedConversation()
        let response = emulator.send(.put, "/v2/csat/\(id)", body: Self.docsBody)
        #expect(response.code == 405)
        #expect(response.headers["Allow"] == "POST")
    }

    // docs L663 (user deletion "primarily serves to meet General Data Protection Regulation (GDPR) requirements"):
    // erasing the user who rated erases their comment; the rating itself stays for the reports.
    @Test func csat_ForgetsTheCommentAndItsAuthor_WhenTheUserIsDeleted() throws {
        let emulator = try TestEmulator()
        let other = emulator.createUserID(["first_name": "Bea"])
        let (id, user) = try emulator.resolvedConversationAndUser(otherUsers: [other])
        let remark = "My card number is 4111 1111 1111 1111"
        #expect(emulator.postCSAT(id, ["issue_resolved": false, "additional_feedback": .string(remark)]).code == 201)
        #expect(emulator.send(.delete, "/v2/users/\(user)").code == 202)
        try emulator.advance()
        #expect(try emulator.rowsContaining([remark]) == [])
        // The EventLog keeps ids (README: "EventLog rows hold ids only"); the rating no longer names its author.
        let author = try emulator.emulator.store.read { db in try db.scalar("SELECT user_id FROM csat") }
        #expect(author == .null)
        #expect(try emulator.ratingCount() == 1)
    }
}
