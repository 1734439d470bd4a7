import Testing

@testable import FreshchatEmulator

/// The conversation lifecycle as a pure state machine (docs "Update a conversation", L1401–1485), without the store:
/// every (status, action) pair.
@Suite struct ConversationStatusTests {
    typealias Machine = ConversationStatus.Machine

    /// a1 and a2 belong to g1; a3 only to g2.
    static let a1 = Machine.Agent(id: "a1", groupIDs: ["g1"])
    static let a2 = Machine.Agent(id: "a2", groupIDs: ["g1", "g2"])
    static let a3 = Machine.Agent(id: "a3", groupIDs: ["g2"])

    /// The starting state for each status: assigned and resolved have agent a1 in group g1; new and reopened only g1.
    static func start(_ status: ConversationStatus) -> Machine {
        switch status {
        case .assigned, .resolved: return Machine(status, agentID: "a1", groupID: "g1")
        case .new, .reopened: return Machine(status, groupID: "g1")
        }
    }

    /// One request of PUT /v2/conversations/{id}, as the machine receives it.
    struct Request: Sendable, CustomTestStringConvertible {
        var name: String
        var status: ConversationStatus?
        var agent: Machine.Change<Machine.Agent>?
        var group: Machine.Change<String>?
        var emptyRequired: [String] = []
        var testDescription: String { name }
    }

    static let resolve = Request(name: "resolve", status: .resolved)
    static let resolveMissingRequired = Request(
        name: "resolve with cf_type empty", status: .resolved, emptyRequired: ["cf_type"])
    static let reopen = Request(name: "reopen", status: .reopened)
    static let assignAgent = Request(name: "assign agent a2", status: .assigned, agent: .set(a2))
    static let assignAgentOutsideGroup = Request(
        name: "assign agent a3 (not in g1)", status: .assigned, agent: .set(a3))
    static let assignGroup = Request(name: "assign group g2", status: .assigned, group: .set("g2"))
    static let assignNothing = Request(name: "status assigned alone", status: .assigned)
    static let unassignAgent = Request(name: "unassign agent", agent: .unassign)
    static let unassignGroup = Request(name: "unassign group", group: .unassign)
    static let setNew = Request(name: "status new", status: .new)

    /// What a cell expects: the outcome and the state afterwards.
    struct Cell: Sendable, CustomTestStringConvertible {
        var from: ConversationStatus
        var request: Request
        var outcome: Machine.Outcome
        var after: Machine
        var testDescription: String { "\(from.rawValue) × \(request.name)" }
    }

    static func cell(_ from: ConversationStatus, _ request: Request, _ actions: [Machine.Action], _ after: Machine)
        -> Cell
    {
        Cell(from: from, request: request, outcome: .perform(actions), after: after)
    }

    static func rejected(_ from: ConversationStatus, _ request: Request, _ rejection: Machine.Rejection) -> Cell {
        Cell(from: from, request: request, outcome: .reject(rejection), after: start(from))
    }

    static let cells: [Cell] = [
        // docs L1405: "Resolve an open conversation"; L1473: "specify the status attribute value as resolved."
        cell(.new, resolve, [.resolved], Machine(.resolved, groupID: "g1")),
        cell(.assigned, resolve, [.resolved], Machine(.resolved, agentID: "a1", groupID: "g1")),
        rejected(.resolved, resolve, .alreadyResolved),
        cell(.reopened, resolve, [.resolved], Machine(.resolved, groupID: "g1")),
        // docs L1806: required — "mandatory for the field to have a valid value to resolve a conversation."
        rejected(.new, resolveMissingRequired, .requiredPropertiesEmpty(["cf_type"])),
        rejected(.assigned, resolveMissingRequired, .requiredPropertiesEmpty(["cf_type"])),
        rejected(.resolved, resolveMissingRequired, .alreadyResolved),
        rejected(.reopened, resolveMissingRequired, .requiredPropertiesEmpty(["cf_type"])),
        // docs L1475: "If there is an agent assigned to the conversation, the agent is unassigned; the status of the
        // conversation changes to new."
        rejected(.new, reopen, .notResolved(.new)),
        rejected(.assigned, reopen, .notResolved(.assigned)),
        cell(.resolved, reopen, [.reopened, .agentUnassigned("a1")], Machine(.new, groupID: "g1")),
        rejected(.reopened, reopen, .notResolved(.reopened)),
        // docs L1479: status assigned + assigned_agent_id assigns the agent.
        cell(.new, assignAgent, [.agentAssigned("a2", from: nil)], Machine(.assigned, agentID: "a2", groupID: "g1")),
        cell(
            .assigned, assignAgent, [.agentAssigned("a2", from: "a1")], Machine(.assigned, agentID: "a2", groupID: "g1")
        ),
        rejected(.resolved, assignAgent, .resolvedCannotBeAssigned),
        cell(
            .reopened, assignAgent, [.agentAssigned("a2", from: nil)], Machine(.assigned, agentID: "a2", groupID: "g1")),
        // docs L1466: "Ensure that the agent … belongs to the group to which the conversation is assigned."
        rejected(.new, assignAgentOutsideGroup, .agentNotInGroup(agentID: "a3", groupID: "g1")),
        rejected(.assigned, assignAgentOutsideGroup, .agentNotInGroup(agentID: "a3", groupID: "g1")),
        rejected(.resolved, assignAgentOutsideGroup, .resolvedCannotBeAssigned),
        rejected(.reopened, assignAgentOutsideGroup, .agentNotInGroup(agentID: "a3", groupID: "g1")),
        // docs L1477: "The conversation gets assigned to the specified group and the conversation status changes to new."
        cell(.new, assignGroup, [.groupAssigned("g2", from: "g1")], Machine(.new, groupID: "g2")),
        cell(
            .assigned, assignGroup, [.groupAssigned("g2", from: "g1"), .agentUnassigned("a1")],
            Machine(.new, groupID: "g2")),
        rejected(.resolved, assignGroup, .resolvedCannotBeAssigned),
        cell(.reopened, assignGroup, [.groupAssigned("g2", from: "g1")], Machine(.new, groupID: "g2")),
        // docs L1465: assigned_agent_id "Mandatory … if the value of conversation.status is assigned".
        rejected(.new, assignNothing, .assignNeedsAgentOrGroup),
        rejected(.assigned, assignNothing, .assignNeedsAgentOrGroup),
        rejected(.resolved, assignNothing, .assignNeedsAgentOrGroup),
        rejected(.reopened, assignNothing, .assignNeedsAgentOrGroup),
        // docs L1481: "specify an empty value (" ") for the assigned_agent_id or assigned_group_id attribute."
        cell(.new, unassignAgent, [], Machine(.new, groupID: "g1")),
        cell(.assigned, unassignAgent, [.agentUnassigned("a1")], Machine(.new, groupID: "g1")),
        rejected(.resolved, unassignAgent, .resolvedCannotBeAssigned),
        cell(.reopened, unassignAgent, [], Machine(.reopened, groupID: "g1")),
        cell(.new, unassignGroup, [.groupUnassigned("g1")], Machine(.new)),
        cell(.assigned, unassignGroup, [.groupUnassigned("g1")], Machine(.assigned, agentID: "a1")),
        rejected(.resolved, unassignGroup, .resolvedCannotBeAssigned),
        cell(.reopened, unassignGroup, [.groupUnassigned("g1")], Machine(.reopened)),
        // Emulator decision: new is not a transition, only the current status of a new conversation (L1475, L1477).
        cell(.new, setNew, [], Machine(.new, groupID: "g1")),
        rejected(.assigned, setNew, .cannotSetNew(.assigned)),
        rejected(.resolved, setNew, .cannotSetNew(.resolved)),
        rejected(.reopened, setNew, .cannotSetNew(.reopened)),
    ]

    // Every (status, request) pair: the outcome, and the state afterwards (unchanged when rejected).
    @Test(arguments: cells)
    func update_FollowsTheLifecycle(_ cell: Cell) {
        var machine = Self.start(cell.from)
        let outcome = machine.update(
            status: cell.request.status, agent: cell.request.agent, group: cell.request.group,
            emptyRequiredProperties: cell.request.emptyRequired)
        #expect(outcome == cell.outcome)
        #expect(machine == cell.after)
    }

    // docs L779: "Possible values: new, assigned, resolved, reopened" — the matrix has every request for each one.
    @Test func matrix_CoversEveryStatusAndRequest() {
        let requests = Set(Self.cells.map(\.request.name))
        for status in ConversationStatus.allCases {
            #expect(Set(Self.cells.filter { $0.from == status }.map(\.request.name)) == requests, "\(status)")
        }
    }

    // docs L1475: "While reopening the conversation, you can also reassign the conversation to a new group."
    @Test func reopen_ReassignsTheGroup_WhenOneIsGiven() {
        var machine = Self.start(.resolved)
        #expect(
            machine.update(status: .reopened, agent: nil, group: .set("g2"))
                == .perform([.reopened, .agentUnassigned("a1"), .groupAssigned("g2", from: "g1")]))
        #expect(machine == Machine(.new, groupID: "g2"))
    }

    // docs L1475: reopening unassigns the agent, so a different agent in the same request is refused.
    @Test func reopen_IsRejected_WhenADifferentAgentIsGiven() {
        var machine = Self.start(.resolved)
        #expect(machine.update(status: .reopened, agent: .set(Self.a2), group: nil) == .reject(.agentWhileReopening))
        #expect(machine == Self.start(.resolved))
    }

    // Echoing the current agent (a client PUTs back what it GOT) while reopening still unassigns it (docs L1475).
    @Test func reopen_UnassignsTheAgent_WhenTheCurrentAgentIsEchoed() {
        var machine = Self.start(.resolved)
        #expect(
            machine.update(status: .reopened, agent: .set(Self.a1), group: .set("g1"))
                == .perform([.reopened, .agentUnassigned("a1")]))
        #expect(machine == Machine(.new, groupID: "g1"))
    }

    // docs L1479: "You can assign the conversation to an agent without assigning the conversation to a group."
    @Test func assignAgent_Succeeds_WhenTheConversationHasNoGroup() {
        var machine = Machine(.new)
        #expect(machine.assign(agent: .set(Self.a3), group: nil) == .perform([.agentAssigned("a3", from: nil)]))
        #expect(machine == Machine(.assigned, agentID: "a3"))
    }

    // docs L1479: the agent must belong to the group the conversation gets in the same request.
    @Test func assignAgentAndGroup_ChecksTheNewGroup() {
        var machine = Self.start(.assigned)
        #expect(
            machine.update(status: .assigned, agent: .set(Self.a3), group: .set("g2"))
                == .perform([.groupAssigned("g2", from: "g1"), .agentAssigned("a3", from: "a1")]))
        #expect(machine == Machine(.assigned, agentID: "a3", groupID: "g2"))
        #expect(
            machine.update(status: .assigned, agent: .set(Self.a3), group: .set("g1"))
                == .reject(.agentNotInGroup(agentID: "a3", groupID: "g1")))
    }

    // A PUT that echoes the current agent and group changes nothing and is no error, even when resolved.
    @Test func update_DoesNothing_WhenTheCurrentAssignmentIsEchoed() {
        for status in [ConversationStatus.assigned, .resolved] {
            var machine = Self.start(status)
            #expect(machine.update(status: nil, agent: .set(Self.a1), group: .set("g1")) == .perform([]))
            #expect(machine == Self.start(status))
        }
    }

    // Resolving and assigning in one request: the assignment first, then the resolution (docs L1454 example).
    @Test func resolve_AppliesTheAssignmentFirst() {
        var machine = Self.start(.new)
        #expect(
            machine.update(status: .resolved, agent: .set(Self.a1), group: nil)
                == .perform([.agentAssigned("a1", from: nil), .resolved]))
        #expect(machine == Machine(.resolved, agentID: "a1", groupID: "g1"))
    }

    // docs L1405–1406: "Resolve an open conversation", "Reopen a resolved conversation" — one method each.
    @Test func resolveAndReopen_AreDirectMethodsToo() {
        var machine = Self.start(.assigned)
        #expect(machine.reopen() == .reject(.notResolved(.assigned)))
        #expect(
            machine.resolve(emptyRequiredProperties: ["cf_rating"]) == .reject(.requiredPropertiesEmpty(["cf_rating"])))
        #expect(machine.resolve() == .perform([.resolved]))
        #expect(machine.resolve() == .reject(.alreadyResolved))
        #expect(
            machine.reopen(group: .unassign) == .perform([.reopened, .agentUnassigned("a1"), .groupUnassigned("g1")]))
        #expect(machine == Machine(.new))
    }

    // MARK: - Creation

    // docs L764 → L1398: created with an agent, the conversation is assigned.
    @Test func create_IsAssigned_WhenAnAgentIsGiven() {
        var machine = Machine(.new)
        #expect(
            machine.create(status: nil, agent: Self.a1, group: "g1")
                == .perform([.groupAssigned("g1", from: nil), .agentAssigned("a1", from: nil)]))
        #expect(machine == Machine(.assigned, agentID: "a1", groupID: "g1"))
    }

    // docs L1477: assigned to a group, "the conversation status changes to new".
    @Test func create_StaysNew_WhenOnlyAGroupIsGiven() {
        var machine = Machine(.new)
        #expect(machine.create(status: .new, agent: nil, group: "g1") == .perform([.groupAssigned("g1", from: nil)]))
        #expect(machine == Machine(.new, groupID: "g1"))
    }

    // docs L1406: only a resolved conversation is reopened; L1465: status assigned needs an agent (or a group).
    @Test(arguments: [
        (ConversationStatus.reopened, Machine.Rejection.notResolved(.new)),
        (.assigned, .assignNeedsAgentOrGroup),
    ])
    func create_IsRejected_ForAStatusItCannotStartIn(_ status: ConversationStatus, _ rejection: Machine.Rejection) {
        var machine = Machine(.new)
        #expect(machine.create(status: status, agent: nil, group: nil) == .reject(rejection))
        #expect(machine == Machine(.new))
    }

    // docs L1806: required fields must have "a valid value to resolve a conversation", on creation too.
    @Test func create_Resolves_WhenStatusIsResolved_AndRequiredFieldsAreFilled() {
        var machine = Machine(.new)
        #expect(machine.create(status: .resolved, agent: nil, group: nil) == .perform([.resolved]))
        #expect(
            machine.create(status: .resolved, agent: nil, group: nil, emptyRequiredProperties: ["cf_type"])
                == .reject(.alreadyResolved))
        var fresh = Machine(.new)
        #expect(
            fresh.create(status: .resolved, agent: nil, group: nil, emptyRequiredProperties: ["cf_type"])
                == .reject(.requiredPropertiesEmpty(["cf_type"])))
    }

    // Emulator decision: status new names the current status of a new conversation; with an agent it would be
    // assigned (docs L1479), so the pair is refused and nothing changes.
    @Test func setNew_IsRejected_WithAnAgent() {
        var machine = Self.start(.new)
        #expect(machine.update(status: .new, agent: .set(Self.a1), group: nil) == .reject(.newWithAgent))
        #expect(machine == Self.start(.new))
        #expect(
            machine.update(status: .new, agent: nil, group: .set("g2")) == .perform([.groupAssigned("g2", from: "g1")]))
    }

    // Every rejection names the attribute it is about.
    @Test func rejections_NameTheirAttribute() {
        let expected: [(Machine.Rejection, String)] = [
            (.alreadyResolved, "status"), (.notResolved(.new), "status"), (.resolvedCannotBeAssigned, "assigned_"),
            (.assignNeedsAgentOrGroup, "assigned_agent_id"),
            (.agentNotInGroup(agentID: "a", groupID: "g"), "assigned_agent_id"),
            (.agentWhileReopening, "assigned_agent_id"), (.cannotSetNew(.assigned), "status"),
            (.newWithAgent, "status"),
            (.requiredPropertiesEmpty(["cf_type"]), "properties.cf_type"),
        ]
        for (rejection, name) in expected {
            #expect(rejection.message.hasPrefix(name), "\(rejection.message)")
        }
    }
}
