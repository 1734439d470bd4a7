import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// Update a conversation (docs L1401–1485) through the API: the lifecycle rules, properties, events, updated_time.
@Suite struct ConversationsUpdateTests {
    static func makeEmulator() throws -> TestEmulator {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        return emulator
    }

    // docs L1473: "To resolve a conversation, in the request body, specify the status attribute value as resolved."
    // docs L1485: "A successful request returns 200 OK along with the updated conversation object."
    @Test func resolve_Succeeds_FromAnOpenConversation_AndMovesUpdatedTime() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .assigned)
        try emulator.advance(milliseconds: 5_000)
        let updated = emulator.update(id, ["status": "resolved"])
        #expect(updated["status"] == "resolved")
        #expect(updated["assigned_agent_id"] == .string(Seeded.priya))
        #expect(updated["updated_time"] == "2024-01-15T10:00:06.000Z")
        #expect(updated["created_time"] == "2024-01-15T10:00:00.000Z")
        #expect(emulator.fetchConversation(id) == updated)
        let resolved = try emulator.events(of: id).last
        #expect(resolved?.kind == .conversationResolved)
        #expect(resolved?.agentID == Seeded.priya)
        #expect(resolved?.time == TestEmulator.start + 6_000)
    }

    // docs L1405: "Resolve an open conversation" — not a resolved one.
    @Test func resolve_IsRejected_WhenAlreadyResolved() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .resolved)
        let response = emulator.send(.put, "/v2/conversations/\(id)", json: ["status": "resolved"])
        expectError(response, 400, "BAD_REQUEST", mentioning: "status: the conversation is already resolved")
    }

    // docs L1806: required "Specifies whether it is mandatory for the field to have a valid value to resolve a
    // conversation."
    @Test func resolve_IsRejected_WhenRequiredFieldIsEmpty() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        try emulator.requireField("cf_rating")
        let response = emulator.send(.put, "/v2/conversations/\(id)", json: ["status": "resolved"])
        expectError(response, 400, "BAD_REQUEST", mentioning: "properties.cf_rating must have a value")
        #expect(emulator.fetchConversation(id)?["status"] == "new")
    }

    // The fields are read on every update: one made required after an update has read them is required for the next
    // (`Database.conversationFields` parses the stored fields again only when they changed).
    @Test func aFieldMadeRequired_BetweenTwoUpdates_IsRequiredByTheSecond() throws {
        let emulator = try Self.makeEmulator()
        let first = try emulator.conversation(in: .new)
        let second = try emulator.conversation(in: .new)
        #expect(emulator.update(first, ["status": "resolved"])["status"] == "resolved")
        try emulator.requireField("cf_rating")
        let response = emulator.send(.put, "/v2/conversations/\(second)", json: ["status": "resolved"])
        expectError(response, 400, "BAD_REQUEST", mentioning: "properties.cf_rating must have a value")
    }

    // docs L1806 with L1458: properties and status change in one request; the merged properties are checked.
    @Test func resolve_Succeeds_WhenTheRequiredFieldIsFilledInTheSameRequest() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        try emulator.requireField("cf_rating")
        let updated = emulator.update(id, ["status": "resolved", "properties": ["cf_rating": "4"]])
        #expect(updated["status"] == "resolved")
        #expect(updated["properties"] == ["priority": "Low", "cf_rating": "4"])
    }

    // docs L1475: "If there is an agent assigned to the conversation, the agent is unassigned; the status of the
    // conversation changes to new." L847: "If the conversation is reopened, a new interaction_id is assigned".
    @Test func reopen_UnassignsTheAgent_AndStartsANewInteraction() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .resolved)
        let before = try emulator.emulator.store.read { try $0.conversation(id: id) }
        let updated = emulator.update(id, ["status": "reopened"])
        #expect(updated["status"] == "new")
        #expect(updated.objectValue?.keys.contains("assigned_agent_id") == false)
        #expect(updated["assigned_group_id"] == .string(Seeded.billing))
        let after = try emulator.emulator.store.read { try $0.conversation(id: id) }
        #expect(after?.interactionID != before?.interactionID)
        let events = try emulator.events(of: id).suffix(2)
        #expect(events.map(\.kind) == [.conversationReopened, .agentUnassigned])
        #expect(events.first?.data["cause"] == "API")
        #expect(events.first?.interactionID == after?.interactionID)
    }

    // docs L1475: "While reopening the conversation, you can also reassign the conversation to a new group."
    @Test func reopen_ReassignsTheGroup_WhenOneIsGiven() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .resolved)
        let updated = emulator.update(id, ["status": "reopened", "assigned_group_id": .string(Seeded.sales)])
        #expect(updated["assigned_group_id"] == .string(Seeded.sales))
        #expect(try emulator.events(of: id).last?.data["from_group_id"] == .string(Seeded.billing))
    }

    // docs L1406: "Reopen a resolved conversation".
    @Test(arguments: [ConversationStatus.new, .assigned, .reopened])
    func reopen_IsRejected_WhenNotResolved(_ status: ConversationStatus) throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: status)
        let response = emulator.send(.put, "/v2/conversations/\(id)", json: ["status": "reopened"])
        expectError(response, 400, "BAD_REQUEST", mentioning: "status: only a resolved conversation can be reopened")
    }

    // docs L1477: "The conversation gets assigned to the specified group and the conversation status changes to new."
    @Test func assignGroup_SetsTheGroup_AndStatusNew() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .assigned)
        let updated = emulator.update(id, ["status": "assigned", "assigned_group_id": .string(Seeded.support)])
        #expect(updated["status"] == "new")
        #expect(updated["assigned_group_id"] == .string(Seeded.support))
        #expect(updated.objectValue?.keys.contains("assigned_agent_id") == false)
        let events = try emulator.events(of: id).suffix(2)
        #expect(events.map(\.kind) == [.groupAssigned, .agentUnassigned])
    }

    // docs L1479: "specify the status attribute value as assigned and the assigned_agent_id attribute value as the
    // agent id"
    @Test func assignAgent_SetsTheAgent_AndStatusAssigned() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        let updated = emulator.update(id, ["status": "assigned", "assigned_agent_id": .string(Seeded.marcus)])
        #expect(updated["status"] == "assigned")
        #expect(updated["assigned_agent_id"] == .string(Seeded.marcus))
        #expect(updated["assigned_org_agent_id"] == "462153445185974756")
        let reassigned = emulator.update(id, ["status": "assigned", "assigned_agent_id": .string(Seeded.sofia)])
        #expect(reassigned["assigned_org_agent_id"] == "")
        let event = try emulator.events(of: id).last
        #expect(event?.kind == .agentAssigned)
        #expect(event?.agentID == Seeded.sofia)
        #expect(event?.data["from_agent_id"] == .string(Seeded.marcus))
    }

    // docs L1466: "Ensure that the agent to whom the conversation is assigned belongs to the group to which the
    // conversation is assigned."
    @Test func assignAgent_IsRejected_WhenTheAgentIsNotInTheGroup() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .assigned)
        let response = emulator.send(
            .put, "/v2/conversations/\(id)", json: ["status": "assigned", "assigned_agent_id": .string(Seeded.marcus)])
        expectError(
            response, 400, "BAD_REQUEST", mentioning: "assigned_agent_id: agent \(Seeded.marcus) does not belong")
    }

    // docs L1465: assigned_agent_id "Mandatory … if the value of conversation.status is assigned."
    @Test func assign_IsRejected_WithoutAgentOrGroup() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        let response = emulator.send(.put, "/v2/conversations/\(id)", json: ["status": "assigned"])
        expectError(response, 400, "BAD_REQUEST", mentioning: "assigned_agent_id is mandatory when status is assigned")
    }

    // Emulator decision: a resolved conversation is reopened before it is (re)assigned.
    @Test func assign_IsRejected_WhenResolved() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .resolved)
        let response = emulator.send(
            .put, "/v2/conversations/\(id)", json: ["status": "assigned", "assigned_group_id": .string(Seeded.sales)])
        expectError(response, 400, "BAD_REQUEST", mentioning: "a resolved conversation cannot be (un)assigned")
    }

    // docs L1465, L1468: the ids are "auto-generated when an agent’s information is configured" / "a group is created".
    @Test func assign_IsRejected_ForAnUnknownAgentOrGroup() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        expectError(
            emulator.send(.put, "/v2/conversations/\(id)", json: ["status": "assigned", "assigned_agent_id": "x"]), 400,
            "BAD_REQUEST", mentioning: "assigned_agent_id: no agent with id x")
        expectError(
            emulator.send(.put, "/v2/conversations/\(id)", json: ["assigned_group_id": "y"]), 400, "BAD_REQUEST",
            mentioning: "assigned_group_id: no group with id y")
    }

    // docs L1481: "To unassign a conversation from the assigned agent or group, in the request body, specify an empty
    // value (" ") for the assigned_agent_id or assigned_group_id attribute."
    @Test(arguments: [" ", ""])
    func unassign_RemovesTheAgentAndGroup_WhenTheValueIsEmpty(_ empty: String) throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .assigned)
        let updated = emulator.update(id, ["assigned_agent_id": .string(empty), "assigned_group_id": .string(empty)])
        #expect(updated["status"] == "new")
        #expect(updated.objectValue?.keys.contains("assigned_agent_id") == false)
        #expect(updated.objectValue?.keys.contains("assigned_group_id") == false)
        #expect(try emulator.events(of: id).suffix(2).map(\.kind) == [.groupUnassigned, .agentUnassigned])
    }

    // docs L1458: "Only the values of the status, assigned_agent_id, assigned_group_id, and properties attributes can
    // be updated using this API."
    @Test func update_IgnoresOtherAttributes_AndKeepsUpdatedTime_WhenNothingChanges() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        let before = try #require(emulator.fetchConversation(id))
        try emulator.advance(milliseconds: 60_000)
        let updated = emulator.update(
            id,
            [
                "channel_id": "d645c4a5-2b8c-4109-af56-4887373522e3", "app_id": "x", "skill_id": 7,
                "conversation_id": "other", "assigned_org_agent_id": "1", "created_time": "2020-01-01T00:00:00.000Z",
            ])
        #expect(updated == before)
        #expect(try emulator.events(of: id).count == 2)
    }

    // docs L1416: conversation_id "Identifier of the conversation object"; docs L45: the 404 error shape.
    @Test func update_Is404_ForAnUnknownConversation() throws {
        let emulator = try Self.makeEmulator()
        expectError(emulator.send(.put, "/v2/conversations/nope", json: [:]), 404, "CONVERSATION_NOT_FOUND")
    }

    // docs L1462: status "Possible values: new, assigned, resolved, reopened".
    @Test func update_IsRejected_ForAnUnknownStatus() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        expectError(
            emulator.send(.put, "/v2/conversations/\(id)", json: ["status": "closed"]), 400, "BAD_REQUEST",
            mentioning: "status must be one of new, assigned, resolved, reopened")
    }

    // MARK: - Properties

    // docs L1471: "You can update the default conversation property - priority - through this API. The custom
    // conversation properties are specified by the prefix cf_".
    @Test func properties_AreMerged_AndMoveUpdatedTime() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.startConversation(Seeded.createBody([("properties", ["cf_type": "General Query"])]))
        try emulator.advance(milliseconds: 1_000)
        let updated = emulator.update(
            id, ["properties": ["priority": "High", "cf_rating": "5", "cf_supported_products": ["Freshchat"]]])
        #expect(
            updated["properties"]
                == [
                    "priority": "High", "cf_type": "General Query", "cf_rating": "5",
                    "cf_supported_products": ["Freshchat"],
                ])
        #expect(updated["updated_time"] == "2024-01-15T10:00:02.000Z")
        let cleared = emulator.update(id, ["properties": ["cf_type": .null, "cf_rating": ""]])
        #expect(cleared["properties"] == ["priority": "High", "cf_supported_products": ["Freshchat"]])
    }

    // docs L791: "The valid values of the properties.priority attribute are Low, Medium, High, and Urgent."
    @Test func properties_AreValidated_AsOnCreate() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        for (properties, mentioning): (JSONValue, String) in [
            (["priority": "Highest"], "properties.priority must be one of"),
            (["priority": .null], "properties.priority must be one of"),
            (["cf_type": "Other"], "properties.cf_type must be one of"),
            (["cf_rating": true], "properties.cf_rating must be a whole number"),
            (["cf_unknown": "x"], "properties.cf_unknown is not a conversation property"),
        ] {
            let response = emulator.send(.put, "/v2/conversations/\(id)", json: ["properties": properties])
            expectError(response, 400, "BAD_REQUEST", mentioning: mentioning)
        }
    }

    // docs L1803: editable "Specifies whether the field value can be modified."
    @Test func properties_AreRejected_WhenTheFieldIsNotEditable() throws {
        let emulator = try Self.makeEmulator()
        let id = try emulator.conversation(in: .new)
        try emulator.emulator.store.write { db in
            try db.execute(
                "UPDATE conversation_property SET doc = json_set(doc, '$.editable', json('false')) WHERE name = 'cf_type'"
            )
        }
        let response = emulator.send(.put, "/v2/conversations/\(id)", json: ["properties": ["cf_type": "Feedback"]])
        expectError(response, 400, "BAD_REQUEST", mentioning: "properties.cf_type is not editable")
    }
}
