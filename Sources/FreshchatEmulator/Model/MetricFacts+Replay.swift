/// Replaying the EventLog into metric facts, conversation by conversation.
///
/// Definitions (emulator decisions where the docs leave them open, each with its line):
/// - An interaction starts when a conversation is created or reopened (docs L847: "If the conversation is reopened,
///   a new interaction_id is assigned"); each start is one created interaction (L3990).
/// - An interaction is assigned when an agent or a group is set on it, or when it starts with one (a reopened
///   conversation keeps its group, L1475); all changes made by one request count once (L4000).
/// - A response is a `normal` message of an agent sent while a user's `normal` message waits for one; private notes,
///   bot and system messages are not responses. The first response of an interaction ends the user's first wait.
/// - Response-based values count for the agent who responded and the conversation's group at that moment; the
///   other values for the agent and group assigned when they happen; a CSAT for the agent and group its
///   `csat_submitted` event names (the agent assigned at resolution, docs L2750).
extension MetricFacts {
    /// The event kinds the replay reads.
    static let eventKinds: [Event.Kind] = [
        .conversationCreated, .groupAssigned, .groupUnassigned, .agentAssigned, .agentUnassigned,
        .conversationResolved, .conversationReopened, .messageSent, .csatSubmitted,
    ]

    /// The facts of `events` (in EventLog order) as of `now`.
    ///
    /// Events of one conversation with the same time are one step (one request's changes, e.g. a group assigned and
    /// an agent assigned together); assignments are read at the end of a step, or before a message or a resolution
    /// within it.
    init(events: [Event], now: Int64) {
        self.init()
        var conversations: [String: ConversationReplay] = [:]
        var order: [String] = []
        var step: (conversationID: String, time: Int64)?
        for event in events {
            guard let id = event.conversationID else { continue }
            if let current = step, current.conversationID != id || current.time != event.time {
                conversations[current.conversationID]?.flush(at: current.time, into: &self)
            }
            step = (id, event.time)
            if conversations[id] == nil {
                conversations[id] = ConversationReplay()
                order.append(id)
            }
            conversations[id]?.apply(event, into: &self)
        }
        if let current = step { conversations[current.conversationID]?.flush(at: current.time, into: &self) }
        for id in order { conversations[id]?.finish(at: now, into: &self) }
    }
}

/// One conversation's state while its events are replayed.
private struct ConversationReplay {
    var interactionID: String?
    var open = false
    var agentID: String?
    var groupID: String?
    var interactionStart: Int64 = 0
    /// The first assignment of the current interaction.
    var firstAssignedAt: Int64?
    /// The latest assignment of the current interaction.
    var lastAssignedAt: Int64?
    /// The earliest user message still waiting for a response.
    var waitingSince: Int64?
    /// Whether the current interaction has had its first response.
    var responded = false
    /// Whether an agent has written in the current interaction (a reply, for "not replied to").
    var agentWrote = false
    /// The agent and group as the last step left them.
    var flushedAgentID: String?
    var flushedGroupID: String?
    /// Whether an interaction started in the current step.
    var startedInStep = false
    /// The open assignment span, if the conversation is open and has an agent.
    var span: MetricFacts.Span?

    /// A fact of the current interaction, for the assigned agent and group.
    func fact(at time: Int64, value: Double = 1) -> MetricFacts.Fact {
        MetricFacts.Fact(time: time, interactionID: interactionID, agentID: agentID, groupID: groupID, value: value)
    }

    static func seconds(_ millis: Int64) -> Double { Double(millis) / 1000 }

    mutating func apply(_ event: Event, into facts: inout MetricFacts) {
        switch event.kind {
        case .conversationCreated, .conversationReopened:
            interactionID = event.interactionID
            open = true
            interactionStart = event.time
            firstAssignedAt = nil
            lastAssignedAt = nil
            waitingSince = nil
            responded = false
            agentWrote = false
            startedInStep = true
            // docs L3990: "A count of the number of interactions created for an account".
            facts.add(.createdInteractions, fact(at: event.time))
        case .groupAssigned: groupID = event.groupID
        case .groupUnassigned: groupID = nil
        case .agentAssigned: agentID = event.agentID
        case .agentUnassigned: agentID = nil
        case .conversationResolved:
            flush(at: event.time, into: &facts)
            resolve(at: event.time, into: &facts)
        case .messageSent:
            flush(at: event.time, into: &facts)
            message(event, into: &facts)
        case .csatSubmitted:
            Self.csat(event, into: &facts)
        default:
            break
        }
    }

    /// Ends a step: records an assignment made in it and moves the assignment span.
    mutating func flush(at time: Int64, into facts: inout MetricFacts) {
        let agentSet = agentID != nil && agentID != flushedAgentID
        let groupSet = groupID != nil && groupID != flushedGroupID
        let carried = startedInStep && (agentID != nil || groupID != nil)
        if open && (agentSet || groupSet || carried) {
            // docs L4000: "A count of the number of interactions assigned to an agent or group".
            facts.add(.assignedInteractions, fact(at: time))
            lastAssignedAt = time
            if firstAssignedAt == nil { firstAssignedAt = time }
        }
        flushedAgentID = agentID
        flushedGroupID = groupID
        startedInStep = false
        if var current = span, !(open && current.agentID == agentID && current.groupID == groupID) {
            current.to = time
            facts.add(current)
            span = nil
        }
        if span == nil, open, let agentID {
            span = MetricFacts.Span(agentID: agentID, groupID: groupID, from: time, to: time)
        }
    }

    mutating func resolve(at time: Int64, into facts: inout MetricFacts) {
        // docs L4007: "A count of the number of interactions that a group or agent resolves".
        facts.add(.resolvedInteractions, fact(at: time))
        // docs L4039: "takes to resolve an assigned conversation, from the time it is assigned" — from the first
        // assignment of the interaction.
        if let first = firstAssignedAt { facts.add(.resolutionTime, fact(at: time, value: Self.seconds(time - first))) }
        open = false
        waitingSince = nil
    }

    mutating func message(_ event: Event, into facts: inout MetricFacts) {
        guard (event.data["message_type"]?.stringValue ?? "normal") == "normal" else { return }
        switch event.actorType {
        case "user":
            if waitingSince == nil { waitingSince = event.time }
        case "agent":
            agentWrote = true
            guard let since = waitingSince else { return }
            waitingSince = nil
            let time = event.time
            var response = fact(at: time)
            response.agentID = event.actorID
            // docs L4042: "A count of the number of responses that the group or agent sends".
            facts.add(.responsesSent, response)
            func value(since start: Int64) -> MetricFacts.Fact {
                var fact = response
                fact.value = Self.seconds(time - start)
                return fact
            }
            guard !responded else {
                // docs L4036: "takes to send responses to an assigned conversation, after the first response."
                facts.add(.responseTime, value(since: since))
                return
            }
            responded = true
            // docs L4024: "Average time a user has to wait before getting a response".
            facts.add(.waitTime, value(since: since))
            // docs L4030: the same wait, "after the conversation is assigned to a group or agent".
            if let first = firstAssignedAt { facts.add(.teamWaitTime, value(since: max(since, first))) }
            // docs L4033: "takes to send the first response to an assigned conversation" — from the assignment in
            // force when the response is sent.
            if let last = lastAssignedAt { facts.add(.firstResponseTime, value(since: max(since, last))) }
        default:
            break
        }
    }

    /// A rated CSAT (docs L3981: "interactions that received a CSAT rating"). Emulator decision: ratings 4 and 5 are
    /// satisfactory, 1 to 3 unsatisfactory (the docs do not say, L3975–3978); a CSAT without a rating (allowed when
    /// issue_resolved is false, L2714) is in no CSAT metric.
    static func csat(_ event: Event, into facts: inout MetricFacts) {
        guard let rating = event.data["rating"]?.intValue else { return }
        let fact = MetricFacts.Fact(
            time: event.time, interactionID: event.interactionID, agentID: event.agentID, groupID: event.groupID,
            rating: rating)
        facts.add(.totalRatedInteractions, fact)
        facts.add(rating >= 4 ? .satisfactoryInteractions : .unsatisfactoryInteractions, fact)
        facts.add(.rating, fact)
        var value = fact
        value.value = Double(rating)
        facts.add(.countPerRating, value)
    }

    /// The state at `now`: the open span ends now, and the conversation's standing for the x-minutes metrics.
    mutating func finish(at now: Int64, into facts: inout MetricFacts) {
        if var current = span {
            current.to = max(current.from, now)
            facts.add(current)
            span = nil
        }
        guard open else { return }
        // docs L4014: "assigned to an agent or group x minutes from the current instant and are still pending a first
        // response" — open, assigned, no agent has written in the interaction; its time is the latest assignment.
        if agentID != nil || groupID != nil, !agentWrote, let last = lastAssignedAt {
            facts.add(.assignedXMinsAgoAndNotRepliedTo, fact(at: last))
        }
        // docs L4020: "created x minutes from the current instant and are still unassigned" — open and without an
        // agent (a conversation waiting in a group's queue is unassigned, so group_by group has meaning, L4022);
        // its time is the start of the interaction.
        if agentID == nil { facts.add(.createdXMinsAgoAndUnassigned, fact(at: interactionStart)) }
    }
}
