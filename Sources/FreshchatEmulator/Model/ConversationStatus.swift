/// The status of a conversation (docs L779: "Possible values: new, assigned, resolved, reopened").
public enum ConversationStatus: String, Sendable, CaseIterable {
    case new, assigned, resolved, reopened

    /// Whether the conversation is open: every status but `resolved` (docs L1405: "Resolve an open conversation";
    /// L1406: "Reopen a resolved conversation").
    public var isOpen: Bool { self != .resolved }
}

extension ConversationStatus {
    /// The conversation lifecycle as a pure state machine: status, assigned agent and assigned group. Each mutating
    /// method either performs a transition and returns the actions that happened (the owner appends them to the
    /// EventLog and stores the new state) or rejects it and leaves the state unchanged. No store, no clock, no ids:
    /// a new `interaction_id` is the owner's job when the actions contain `.reopened`.
    public struct Machine: Sendable, Equatable {
        /// The status.
        public private(set) var status: ConversationStatus
        /// The assigned agent, if any.
        public private(set) var agentID: String?
        /// The assigned group, if any.
        public private(set) var groupID: String?

        /// A machine in a given state.
        public init(_ status: ConversationStatus, agentID: String? = nil, groupID: String? = nil) {
            self.status = status
            self.agentID = agentID
            self.groupID = groupID
        }

        /// An agent as assignment sees it: its id and the groups it belongs to.
        public struct Agent: Sendable, Equatable {
            /// The agent's id.
            public var id: String
            /// The ids of the agent's groups.
            public var groupIDs: Set<String>

            /// Creates an agent.
            public init(id: String, groupIDs: Set<String> = []) {
                self.id = id
                self.groupIDs = groupIDs
            }
        }

        /// What a request asks of `assigned_agent_id` or `assigned_group_id` when it names it: an id, or the empty
        /// value that unassigns (docs L1481: "specify an empty value (" ") for the assigned_agent_id or
        /// assigned_group_id attribute").
        public enum Change<Value: Sendable & Equatable>: Sendable, Equatable {
            case set(Value)
            case unassign

            /// Whether this names an id.
            public var isSet: Bool {
                if case .set = self { return true }
                return false
            }
        }

        /// Something that happened to the conversation, in order.
        public enum Action: Sendable, Equatable {
            case groupAssigned(String, from: String?)
            case groupUnassigned(String)
            case agentAssigned(String, from: String?)
            case agentUnassigned(String)
            case resolved
            /// Reopened: the owner starts a new interaction (docs L847: "If the conversation is reopened, a new
            /// interaction_id is assigned to the conversation").
            case reopened
        }

        /// Why a transition is refused; each becomes a 400 naming the attribute.
        public enum Rejection: Sendable, Equatable {
            case alreadyResolved
            case notResolved(ConversationStatus)
            case resolvedCannotBeAssigned
            case assignNeedsAgentOrGroup
            case agentNotInGroup(agentID: String, groupID: String)
            case agentWhileReopening
            case cannotSetNew(ConversationStatus)
            case newWithAgent
            case requiredPropertiesEmpty([String])

            /// The 400 message, naming the attribute and quoting the rule.
            public var message: String {
                switch self {
                case .alreadyResolved:
                    return "status: the conversation is already resolved; only an open conversation can be resolved"
                        + " (docs L1405: \"Resolve an open conversation\")"
                case .notResolved(let status):
                    return "status: only a resolved conversation can be reopened, this one is \(status.rawValue)"
                        + " (docs L1406: \"Reopen a resolved conversation\")"
                case .resolvedCannotBeAssigned:
                    return "assigned_agent_id, assigned_group_id: a resolved conversation cannot be (un)assigned;"
                        + " reopen it first, optionally with assigned_group_id (docs L1475)"
                case .assignNeedsAgentOrGroup:
                    return "assigned_agent_id is mandatory when status is assigned (docs L1465), or assigned_group_id"
                        + " to assign the conversation to a group (docs L1477)"
                case .agentNotInGroup(let agentID, let groupID):
                    return "assigned_agent_id: agent \(agentID) does not belong to group \(groupID) (docs L1466:"
                        + " \"Ensure that the agent to whom the conversation is assigned belongs to the group to which"
                        + " the conversation is assigned.\")"
                case .agentWhileReopening:
                    return "assigned_agent_id: reopening unassigns the agent (docs L1475: \"If there is an agent"
                        + " assigned to the conversation, the agent is unassigned\"); only assigned_group_id can be set"
                        + " while reopening"
                case .cannotSetNew(let status):
                    return "status: a \(status.rawValue) conversation cannot be set to new; it becomes new by being"
                        + " reopened (docs L1475) or assigned to a group (docs L1477)"
                case .newWithAgent:
                    return "status: new contradicts assigned_agent_id; a conversation assigned to an agent is assigned"
                        + " (docs L1479)"
                case .requiredPropertiesEmpty(let names):
                    return names.map { "properties.\($0)" }.joined(separator: ", ")
                        + " must have a value to resolve the conversation (docs L1806: \"Specifies whether it is"
                        + " mandatory for the field to have a valid value to resolve a conversation.\")"
                }
            }
        }

        /// The result of a transition.
        public enum Outcome: Sendable, Equatable {
            case perform([Action])
            case reject(Rejection)
        }

        private struct RejectionError: Error {
            let rejection: Rejection
            init(_ rejection: Rejection) { self.rejection = rejection }
        }

        // MARK: - Transitions

        /// Resolves an open conversation; the agent and group stay.
        /// - Parameter emptyRequiredProperties: the names of `required` conversation fields without a value.
        public mutating func resolve(emptyRequiredProperties: [String] = []) -> Outcome {
            run { (machine: inout Machine) throws(RejectionError) in try machine.resolving(emptyRequiredProperties) }
        }

        /// Reopens a resolved conversation: status `new`, the agent unassigned, optionally a group (re)assigned
        /// (docs L1475).
        public mutating func reopen(group: Change<String>? = nil) -> Outcome {
            run { (machine: inout Machine) throws(RejectionError) in try machine.reopening(group: group) }
        }

        /// Assigns, reassigns or unassigns the agent and/or group of an open conversation (docs L1477–1481).
        public mutating func assign(agent: Change<Agent>?, group: Change<String>?) -> Outcome {
            run { (machine: inout Machine) throws(RejectionError) in
                try machine.assigning(agent: agent, group: group)
            }
        }

        /// Applies the body of `PUT /v2/conversations/{conversation_id}` (docs L1458: "Only the values of the status,
        /// assigned_agent_id, assigned_group_id, and properties attributes can be updated"): the `status` asked for
        /// with the assignment changes that come with it.
        public mutating func update(
            status requested: ConversationStatus?, agent: Change<Agent>?, group: Change<String>?,
            emptyRequiredProperties: [String] = []
        ) -> Outcome {
            run { (machine: inout Machine) throws(RejectionError) in
                switch requested {
                case nil:
                    return try machine.assigning(agent: agent, group: group)
                case .assigned:
                    // docs L1465: assigned_agent_id "Mandatory … if the value of conversation.status is assigned";
                    // L1477: status assigned with assigned_group_id assigns the conversation to a group.
                    guard agent?.isSet == true || group?.isSet == true else {
                        throw RejectionError(.assignNeedsAgentOrGroup)
                    }
                    guard machine.status.isOpen else { throw RejectionError(.resolvedCannotBeAssigned) }
                    return try machine.assigning(agent: agent, group: group)
                case .resolved:
                    guard machine.status.isOpen else { throw RejectionError(.alreadyResolved) }
                    let assigned = try machine.assigning(agent: agent, group: group)
                    return try assigned + machine.resolving(emptyRequiredProperties)
                case .reopened:
                    guard machine.status == .resolved else { throw RejectionError(.notResolved(machine.status)) }
                    if case .set(let next) = agent, next.id != machine.agentID {
                        throw RejectionError(.agentWhileReopening)
                    }
                    return try machine.reopening(group: group)
                case .new:
                    guard machine.status == .new else { throw RejectionError(.cannotSetNew(machine.status)) }
                    let actions = try machine.assigning(agent: agent, group: group)
                    guard machine.status == .new else { throw RejectionError(.newWithAgent) }
                    return actions
                }
            }
        }

        /// The state of a conversation being created (`POST /v2/conversations`): it starts `new` and unassigned; the
        /// agent and group given are assigned (an agent makes it `assigned`, docs L1479), and `status: resolved`
        /// resolves it. `status: reopened` is refused: only a resolved conversation can be reopened (docs L1406).
        public mutating func create(
            status requested: ConversationStatus?, agent: Agent?, group: String?, emptyRequiredProperties: [String] = []
        ) -> Outcome {
            update(
                status: requested == .new ? nil : requested, agent: agent.map { .set($0) },
                group: group.map { .set($0) }, emptyRequiredProperties: emptyRequiredProperties)
        }

        // MARK: - Steps (mutate self; throw before mutating anything that must not change)

        private mutating func run(_ body: (inout Machine) throws(RejectionError) -> [Action]) -> Outcome {
            var next = self
            do {
                let actions = try body(&next)
                self = next
                return .perform(actions)
            } catch {
                return .reject(error.rejection)
            }
        }

        private mutating func resolving(_ emptyRequired: [String]) throws(RejectionError) -> [Action] {
            guard status.isOpen else { throw RejectionError(.alreadyResolved) }
            guard emptyRequired.isEmpty else { throw RejectionError(.requiredPropertiesEmpty(emptyRequired)) }
            status = .resolved
            return [.resolved]
        }

        private mutating func reopening(group: Change<String>?) throws(RejectionError) -> [Action] {
            guard status == .resolved else { throw RejectionError(.notResolved(status)) }
            var actions: [Action] = [.reopened]
            if let agentID { actions.append(.agentUnassigned(agentID)) }
            agentID = nil
            status = .new
            actions += changeGroup(group)
            return actions
        }

        private mutating func assigning(agent: Change<Agent>?, group: Change<String>?) throws(RejectionError)
            -> [Action]
        {
            let changesAgent: Bool
            switch agent {
            case .set(let next)?: changesAgent = next.id != agentID
            case .unassign?: changesAgent = agentID != nil
            case nil: changesAgent = false
            }
            let changesGroup: Bool
            switch group {
            case .set(let next)?: changesGroup = next != groupID
            case .unassign?: changesGroup = groupID != nil
            case nil: changesGroup = false
            }
            guard status.isOpen || !(changesAgent || changesGroup) else {
                throw RejectionError(.resolvedCannotBeAssigned)
            }
            guard status.isOpen else { return [] }
            var next = self
            var actions = next.changeGroup(group)
            switch agent {
            case .set(let assignee)?:
                // docs L1479: "If the conversation is assigned to a group, ensure that the agent belongs to the group
                // to which the conversation is assigned. You can assign the conversation to an agent without
                // assigning the conversation to a group."
                if let groupID = next.groupID, !assignee.groupIDs.contains(groupID) {
                    throw RejectionError(.agentNotInGroup(agentID: assignee.id, groupID: groupID))
                }
                if changesAgent { actions.append(.agentAssigned(assignee.id, from: next.agentID)) }
                next.agentID = assignee.id
                next.status = .assigned
            case .unassign?:
                if let current = next.agentID { actions.append(.agentUnassigned(current)) }
                next.agentID = nil
                if next.status == .assigned { next.status = .new }
            case nil:
                // docs L1477: "The conversation gets assigned to the specified group and the conversation status
                // changes to new." A group assignment leaves no agent behind.
                if case .set = group, changesGroup {
                    if let current = next.agentID { actions.append(.agentUnassigned(current)) }
                    next.agentID = nil
                    next.status = .new
                }
            }
            self = next
            return actions
        }

        private mutating func changeGroup(_ group: Change<String>?) -> [Action] {
            switch group {
            case .set(let next)? where next != groupID:
                defer { groupID = next }
                return [.groupAssigned(next, from: groupID)]
            case .unassign?:
                guard let current = groupID else { return [] }
                groupID = nil
                return [.groupUnassigned(current)]
            default:
                return []
            }
        }
    }
}
