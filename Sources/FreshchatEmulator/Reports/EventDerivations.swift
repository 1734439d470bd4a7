/// What the EventLog says once its events are put together, shared by the raw reports and open to the metrics:
/// every interaction of every conversation with its assignments, responses, resolution and CSAT rating; the state of
/// the conversation when each message was sent; the spans during which an agent held an open conversation; the
/// agents' status changes. Built from the events alone, in log order (ARCHITECTURE.md: "Everything the reports and
/// metrics say comes from the EventLog").
///
/// Definitions (the docs leave them loose; README "Emulator decisions"):
/// - An interaction runs from `conversation_created` or `conversation_reopened` to its `conversation_resolved`
///   (docs L847: "If the conversation is reopened, a new interaction_id is assigned to the conversation").
/// - A response is an agent's `normal` message while a user's `normal` message waits for an answer; it answers the
///   earliest waiting one, and its time is measured from there. Private notes, bot and system messages answer
///   nothing. The first response of an interaction is its first response, so it is measured from the interaction's
///   first user message.
/// - An agent holds a conversation from being assigned to it until it is unassigned or replaced, or the conversation
///   is resolved.
struct EventDerivations {
    /// An interaction, named by its conversation and `interaction_id`.
    struct Key: Hashable, Sendable {
        var conversationID: String
        var interactionID: String
    }

    /// An agent or a group set on a conversation.
    struct Assignment: Equatable, Sendable {
        var time: Int64
        /// The agent or group assigned.
        var id: String
        /// The conversation's group after the change (for agent assignments).
        var groupID: String?
        /// The agent or group replaced (`data.from_agent_id`, `data.from_group_id`).
        var from: String?
        /// Whether one was replaced now or another was assigned earlier in the same interaction.
        var reassigned: Bool
    }

    /// An agent's reply to the earliest user message waiting for one.
    struct Response: Equatable, Sendable {
        var time: Int64
        var agentID: String
        var messageID: String?
        /// Milliseconds since the user message it answers.
        var waited: Int64
        /// The conversation's agent and group when the reply was sent.
        var assignedAgentID: String?
        var groupID: String?
    }

    /// A `conversation_resolved` entry: when, and the agent and group the conversation had.
    struct Resolution: Equatable, Sendable {
        var time: Int64
        var agentID: String?
        var groupID: String?
    }

    /// One interaction of a conversation.
    struct Interaction: Sendable {
        var key: Key
        var channelID: String?
        /// The conversation's first user (the user who started it).
        var userID: String?
        var start: Int64
        var reopened: Bool
        /// `data.cause` of the reopening: `API`, `USER_MESSAGE` or `CUSTOMER_DISSATISFACTION`.
        var reopenCause: String?
        /// Who started it, as the EventLog spells actor types (`user`, `agent`, …): the sender of the conversation's
        /// first message, or for a reopening the user (a user message, a CSAT rating) or an agent (the API).
        var initiatorActorType: String?
        /// The group when it started, the assignments made with the creation included.
        var startGroupID: String?
        var agentAssignments: [Assignment] = []
        var groupAssignments: [Assignment] = []
        var firstUserMessage: Int64?
        var responses: [Response] = []
        var agentMessageCount = 0
        var resolution: Resolution?
        /// The `csat_submitted` entry that rates it.
        var csat: Event?
        /// The agent and group at the end of the log (kept from resolution on).
        var agentID: String?
        var groupID: String?

        /// The first response (see the type's definitions).
        var firstResponse: Response? { responses.first }
        /// The last response.
        var lastResponse: Response? { responses.last }
        /// docs L3483: "the agent to whom the conversation is assigned for resolution" — at resolution, or the
        /// current one while the interaction is open.
        var resolutionAgentID: String? { resolution.map(\.agentID) ?? agentID }
        /// The group at resolution, or the current one while open.
        var resolutionGroupID: String? { resolution.map(\.groupID) ?? groupID }
    }

    /// A `message_sent` entry with the conversation's agent and group when it was sent (those assigned with the
    /// creation count for the creation's messages).
    struct MessageRecord: Sendable {
        var event: Event
        var agentID: String?
        var groupID: String?
    }

    /// A span during which an agent held an open conversation; `end` nil while it still does.
    struct Holding: Equatable, Sendable {
        var agentID: String
        var conversationID: String
        var start: Int64
        var end: Int64?
    }

    /// An `agent_status_changed` entry.
    struct StatusChange: Equatable, Sendable {
        var time: Int64
        var agentID: String
        var fromAvailability: String?
        var availability: String?
        var toStatusID: String?
        var toStatusName: String?
    }

    /// Every interaction, in the order they started.
    private(set) var interactions: [Interaction] = []
    /// Every message, in log order.
    private(set) var messages: [MessageRecord] = []
    /// Every holding, in the order they began.
    private(set) var holdings: [Holding] = []
    /// Every status change, in log order.
    private(set) var statusChanges: [StatusChange] = []
    private var index: [Key: Int] = [:]

    /// The interaction `interactionID` of conversation `conversationID`, if the log has it.
    func interaction(_ conversationID: String?, _ interactionID: String?) -> Interaction? {
        guard let conversationID, let interactionID,
            let position = index[Key(conversationID: conversationID, interactionID: interactionID)]
        else { return nil }
        return interactions[position]
    }

    // MARK: - Building

    /// A conversation as the log has it so far.
    private struct ConversationState {
        var key: Key
        var channelID: String?
        var firstUserID: String?
        var agentID: String?
        var groupID: String?
        var open = true
        /// The earliest user message still waiting for a response.
        var waitingSince: Int64?
        /// The open holding of the conversation's agent (index in `holdings`).
        var holding: Int?
        /// The creation's own events end at this index; its messages see its assignments.
        var creationEnd = -1
        var creationAgentID: String?
        var creationGroupID: String?
    }

    /// The conversations so far.
    private var states: [String: ConversationState] = [:]
    /// How many events were added: the next one's position.
    private var position = 0
    /// A `conversation_created` entry and the entries after it that belong to it (with their positions and `seq`s),
    /// held until the creation's block ends: its messages see the assignments that follow them in the block.
    private var creation: [(event: Event, position: Int, seq: Int64?)] = []
    /// Where each message's record goes instead of `messages`, with the entry's `seq` (`add(_:seq:)`).
    private let messageSink: ((MessageRecord, Int64?) -> Void)?

    /// Puts `events` (in log order) together. `seqs`, when given, are the events' positions in the EventLog (`seq`):
    /// `events` may then be part of the log (whole conversations), and a creation's own events are told apart by
    /// following it in the log itself, not just in `events`.
    init(events: [Event], seqs: [Int64]? = nil) {
        self.init()
        for (index, event) in events.enumerated() { add(event, seq: seqs?[index]) }
        finish()
    }

    /// An empty log, to `add` events to one at a time and `finish`. With a `messageSink`, each message's record goes
    /// there as it is made (with its `seq`) and `messages` stays empty: a reader of many messages keeps only what it
    /// needs of each.
    init(messageSink: ((MessageRecord, Int64?) -> Void)? = nil) {
        self.messageSink = messageSink
    }

    /// Adds the next event of the log (in log order), with its `seq` when the events are numbered: then they may be
    /// part of the log, and a creation's block is also told apart by `seq`s that follow on.
    mutating func add(_ event: Event, seq: Int64? = nil) {
        defer { position += 1 }
        if let first = creation.first?.event, let last = creation.last {
            // A creation's own events follow it at its time, next in the log (ConversationsAPI.completeCreation).
            if event.conversationID == first.conversationID, event.time == first.time,
                event.kind != .conversationCreated, Self.follows(seq, last.seq)
            {
                creation.append((event, position, seq))
                return
            }
            endCreation()
        }
        if event.kind == .conversationCreated, event.conversationID != nil {
            creation = [(event, position, seq)]
            return
        }
        process(event, at: position, seq: seq)
    }

    /// Whether `seq` comes right after `previous` in the log (true when the events are not numbered).
    private static func follows(_ seq: Int64?, _ previous: Int64?) -> Bool {
        guard let seq, let previous else { return true }
        return seq == previous + 1
    }

    /// Puts together what is still held (a creation at the end of the log). Call once after the last `add`.
    mutating func finish() {
        if !creation.isEmpty { endCreation() }
    }

    /// One event in its turn.
    private mutating func process(_ event: Event, at position: Int, seq: Int64?) {
        if event.kind == .agentStatusChanged {
            statusChanges.append(
                StatusChange(
                    time: event.time, agentID: event.agentID ?? "",
                    fromAvailability: event.data["from_availability_status"]?.stringValue,
                    availability: event.data["availability_status"]?.stringValue,
                    toStatusID: event.data["to_status_id"]?.stringValue,
                    toStatusName: event.data["to_status_name"]?.stringValue))
            return
        }
        guard let conversationID = event.conversationID else { return }
        let key = Key(conversationID: conversationID, interactionID: event.interactionID ?? "")
        guard var state = states[conversationID] else { return }
        apply(event, key: key, at: position, seq: seq, to: &state)
        states[conversationID] = state
    }

    /// A creation's block is complete: the conversation begins with what the block assigned, then the block's events
    /// are applied in order.
    private mutating func endCreation() {
        let block = creation
        creation = []
        let event = block[0].event
        guard let conversationID = event.conversationID else { return }
        let key = Key(conversationID: conversationID, interactionID: event.interactionID ?? "")
        var state = ConversationState(key: key, channelID: event.channelID, firstUserID: event.userID)
        var interaction = Interaction(
            key: key, channelID: event.channelID, userID: event.userID, start: event.time, reopened: false)
        for following in block.dropFirst() {
            switch following.event.kind {
            case .messageSent where interaction.initiatorActorType == nil:
                interaction.initiatorActorType = following.event.actorType
            case .groupAssigned: state.creationGroupID = following.event.groupID
            case .agentAssigned: state.creationAgentID = following.event.agentID
            default: break
            }
            state.creationEnd = following.position
        }
        interaction.startGroupID = state.creationGroupID
        index[key] = interactions.count
        interactions.append(interaction)
        for following in block.dropFirst() {
            let followingKey = Key(conversationID: conversationID, interactionID: following.event.interactionID ?? "")
            apply(following.event, key: followingKey, at: following.position, seq: following.seq, to: &state)
        }
        states[conversationID] = state
    }

    private mutating func apply(
        _ event: Event, key: Key, at position: Int, seq: Int64?, to state: inout ConversationState
    ) {
        switch event.kind {
        case .conversationReopened:
            let cause = event.data["cause"]?.stringValue
            var interaction = Interaction(
                key: key, channelID: state.channelID, userID: state.firstUserID, start: event.time, reopened: true)
            interaction.reopenCause = cause
            interaction.initiatorActorType = cause == "API" ? "agent" : "user"
            interaction.startGroupID = event.groupID
            interaction.groupID = event.groupID
            interaction.agentID = state.agentID
            index[key] = interactions.count
            interactions.append(interaction)
            state.key = key
            state.groupID = event.groupID
            state.open = true
            state.waitingSince = nil
        case .groupAssigned:
            let group = event.groupID ?? ""
            state.groupID = group
            update(key) { interaction in
                let from = event.data["from_group_id"]?.stringValue
                interaction.groupAssignments.append(
                    Assignment(
                        time: event.time, id: group, groupID: group, from: from,
                        reassigned: from != nil || !interaction.groupAssignments.isEmpty))
                interaction.groupID = group
            }
        case .groupUnassigned:
            state.groupID = nil
            update(key) { $0.groupID = nil }
        case .agentAssigned:
            let agent = event.agentID ?? ""
            release(&state, at: event.time)
            state.agentID = agent
            if state.open {
                state.holding = holdings.count
                holdings.append(Holding(agentID: agent, conversationID: key.conversationID, start: event.time))
            }
            update(key) { interaction in
                let from = event.data["from_agent_id"]?.stringValue
                interaction.agentAssignments.append(
                    Assignment(
                        time: event.time, id: agent, groupID: event.groupID, from: from,
                        reassigned: from != nil || !interaction.agentAssignments.isEmpty))
                interaction.agentID = agent
            }
        case .agentUnassigned:
            release(&state, at: event.time)
            state.agentID = nil
            update(key) { $0.agentID = nil }
        case .conversationResolved:
            release(&state, at: event.time)
            state.open = false
            state.waitingSince = nil
            update(key) { interaction in
                interaction.resolution = Resolution(time: event.time, agentID: event.agentID, groupID: event.groupID)
            }
        case .messageSent:
            record(message: event, key: key, at: position, seq: seq, state: &state)
        case .csatSubmitted:
            update(key) { $0.csat = event }
        default:
            break
        }
    }

    private mutating func record(
        message event: Event, key: Key, at position: Int, seq: Int64?, state: inout ConversationState
    ) {
        let inCreation = position <= state.creationEnd
        let agent = inCreation ? state.creationAgentID : state.agentID
        let group = inCreation ? state.creationGroupID : state.groupID
        let record = MessageRecord(event: event, agentID: agent, groupID: group)
        if let messageSink { messageSink(record, seq) } else { messages.append(record) }
        guard event.data["message_type"]?.stringValue == Message.MessageType.normal.rawValue else { return }
        switch event.actorType {
        case Message.ActorType.user.rawValue?:
            if state.waitingSince == nil { state.waitingSince = event.time }
            update(key) { interaction in
                if interaction.firstUserMessage == nil { interaction.firstUserMessage = event.time }
            }
        case Message.ActorType.agent.rawValue?:
            let since = state.waitingSince
            state.waitingSince = nil
            update(key) { interaction in
                interaction.agentMessageCount += 1
                guard let since else { return }
                interaction.responses.append(
                    Response(
                        time: event.time, agentID: event.actorID ?? "", messageID: event.messageID,
                        waited: event.time - since, assignedAgentID: agent, groupID: group))
            }
        default:
            break
        }
    }

    /// Ends the open holding of the conversation's agent, if any.
    private mutating func release(_ state: inout ConversationState, at time: Int64) {
        if let open = state.holding { holdings[open].end = time }
        state.holding = nil
    }

    private mutating func update(_ key: Key, _ change: (inout Interaction) -> Void) {
        guard let position = index[key] else { return }
        change(&interactions[position])
    }
}
