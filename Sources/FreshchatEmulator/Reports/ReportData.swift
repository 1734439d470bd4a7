/// What a raw report reads: the EventLog as it stood when the report was generated, put together
/// (`EventDerivations`), and the names, emails and texts its rows join from the store (`Directory`).
struct ReportData {
    /// The store's current view of what the events name by id. Rows show today's names: a renamed agent is shown
    /// by the new name, and an erased user (GDPR) by none.
    struct Directory: Sendable {
        /// An agent row (`agent` table).
        struct Agent: Sendable, Equatable {
            var id: String
            var firstName: String
            var lastName: String
            var email: String
            var orgContactID: String
            /// `AVAILABLE` or `UNAVAILABLE`, now.
            var availability: String
            var createdTime: Int64
            var groups: Set<String>

            /// "First Last", or whichever part there is.
            var name: String { ReportData.fullName(firstName, lastName) }
        }

        /// A user row (`user` table).
        struct User: Sendable, Equatable {
            var firstName: String
            var lastName: String
            var email: String
            var phone: String
            var orgContactID: String
            var referenceID: String

            /// "First Last", or whichever part there is.
            var name: String { ReportData.fullName(firstName, lastName) }
        }

        /// Agents by id, and their ids ordered by email.
        var agents: [String: Agent] = [:]
        var agentOrder: [String] = []
        var users: [String: User] = [:]
        var groups: [String: String] = [:]
        var channels: [String: String] = [:]
        /// The comment of each CSAT rating that has one (`csat.additional_feedback`), by `csat_response_id`.
        var feedback: [Int64: String] = [:]
        /// The `message_parts` of each message as JSON, by message id (read only for the reports that print them).
        var messageParts: [String: String] = [:]
        /// The account's `app_id` and `account_domain` (the conversation URLs).
        var appID = ""
        var accountDomain = ""
    }

    var events: [Event]
    var derived: EventDerivations
    var directory: Directory
    /// When the report was generated: nothing after it is counted.
    var generatedAt: Int64

    /// Puts the events together; `seqs` as in `EventDerivations.init(events:seqs:)`.
    init(events: [Event], seqs: [Int64]? = nil, directory: Directory, generatedAt: Int64) {
        self.events = events
        self.derived = EventDerivations(events: events, seqs: seqs)
        self.directory = directory
        self.generatedAt = generatedAt
    }

    /// Data whose events were put together already (`derived`) and are not kept (`events` is empty): the
    /// per-message reports read their messages again page by page (`ReportExtract`).
    init(derived: EventDerivations, directory: Directory, generatedAt: Int64) {
        self.events = []
        self.derived = derived
        self.directory = directory
        self.generatedAt = generatedAt
    }

    static func fullName(_ first: String, _ last: String) -> String {
        [first, last].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

// MARK: - Cells

extension ReportData {
    /// A timestamp cell: UTC ISO 8601 with milliseconds, as the API writes times (`2024-01-15T10:00:00.000Z`).
    static func time(_ millis: Int64?) -> String { millis.map(Timestamp.format) ?? "" }

    /// An epoch-milliseconds cell.
    static func millis(_ millis: Int64?) -> String { millis.map { String($0) } ?? "" }

    /// A Boolean cell.
    static func bool(_ value: Bool) -> String { value ? "true" : "false" }

    /// A duration in seconds (exact to the millisecond), empty without one.
    static func seconds(_ millis: Int64?) -> String { millis.map(ReportCalendar.seconds) ?? "" }

    /// A duration as `hh:mm:ss`, empty without one.
    static func hms(_ millis: Int64?) -> String { millis.map(ReportCalendar.hms) ?? "" }

    /// An actor type as the reports spell it (docs L3438: "Possible values: USER, AGENT, SYSTEM, and BOT").
    static func actorType(_ type: String?) -> String { type?.uppercased() ?? "" }

    /// docs L3439 actor_sub_entity / L3465 actor_sub_type: "When actor_type is SYSTEM, … identifies the routing
    /// type … Possible values: intelliAssign, rule, api, dsat, and channel." Everything the emulator's system does
    /// it does for the REST API: `api` for SYSTEM, empty otherwise.
    static func actorSubType(_ type: String?) -> String { type?.uppercased() == "SYSTEM" ? "api" : "" }

    /// The agent's name, empty for none or an agent no longer in the store.
    func agentName(_ id: String?) -> String { id.flatMap { directory.agents[$0]?.name } ?? "" }

    /// The agent's email, empty for none.
    func agentEmail(_ id: String?) -> String { id.flatMap { directory.agents[$0]?.email } ?? "" }

    /// The user's name, empty for none or an erased user.
    func userName(_ id: String?) -> String { id.flatMap { directory.users[$0]?.name } ?? "" }

    /// The group's name.
    func groupName(_ id: String?) -> String { id.flatMap { directory.groups[$0] } ?? "" }

    /// The channel's (topic's) name.
    func channelName(_ id: String?) -> String { id.flatMap { directory.channels[$0] } ?? "" }

    /// docs L3491 actor_belongs_to_group: "If true, specifies that the actor who resolved the conversation belongs to
    /// the group to which the conversation is assigned." By the agent's groups now; false without an agent or group.
    func belongs(_ agentID: String?, to groupID: String?) -> Bool {
        guard let agentID, let groupID, let agent = directory.agents[agentID] else { return false }
        return agent.groups.contains(groupID)
    }

    /// The name of whoever an event's actor is: an agent's or user's name, or for the system and bots the actor type
    /// itself (docs L3469: "If the message is sent by a system or BOT, the actor_name is a system generated value").
    func actorName(type: String?, id: String?) -> String {
        switch type {
        case Message.ActorType.agent.rawValue?: return agentName(id)
        case Message.ActorType.user.rawValue?: return userName(id)
        default: return ReportData.actorType(type)
        }
    }

    /// docs L3432 interaction_raw_id: "specified in the 32-bit conversation id-timestamp (of when the conversation
    /// is created) format" — here `<conversation_id>-<epoch ms when the interaction started>`.
    static func rawID(_ interaction: EventDerivations.Interaction?) -> String {
        guard let interaction else { return "" }
        return interaction.key.conversationID + "-" + String(interaction.start)
    }

    /// docs L3429 conversation_url: "URL using which agents and teams can access the conversation from the inbox",
    /// in the inbox's form `https://<account_domain>/a/<app_id>/open/conversation/<conversation_id>`.
    func conversationURL(_ conversationID: String?) -> String {
        guard let conversationID else { return "" }
        return "https://\(directory.accountDomain)/a/\(directory.appID)/open/conversation/\(conversationID)"
    }

    /// `items` ordered by `time`, those of the same time in their log order.
    static func timeOrdered<Item>(_ items: [Item], by time: (Item) -> Int64) -> [Item] {
        items.enumerated().sorted { a, b in
            let (ta, tb) = (time(a.element), time(b.element))
            return ta != tb ? ta < tb : a.offset < b.offset
        }.map(\.element)
    }

    /// The messages sent in `[from, to)`, in time order (the Chat-Transcript and Message-Sent reports).
    func messagesSent(from: Int64, to: Int64) -> [EventDerivations.MessageRecord] {
        Self.timeOrdered(derived.messages.filter { Self.within($0.event.time, from, to) }, by: \.event.time)
    }

    /// Whether `time` falls in `[from, to)`.
    static func within(_ time: Int64?, _ from: Int64, _ to: Int64) -> Bool {
        guard let time else { return false }
        return time >= from && time < to
    }
}
