import HTTP
import SQLite

/// The Conversations section of the docs (L701–1814): conversations here, their messages in `Messages.swift` and the
/// conversation property fields in `ConversationFields.swift`.
struct ConversationsAPI {
    let emulator: Emulator

    /// The job that completes `POST /v2/conversations` once the async delay has passed.
    static let createJob = "conversation.create"

    /// docs L711–716, with the `/v2` prefix the requests use (L1264, L1366, L1413).
    func register(on router: Router) {
        router.add(.post, "/v2/conversations", create)
        router.add(.get, "/v2/conversations/{conversation_id}", retrieve)
        router.add(.put, "/v2/conversations/{conversation_id}", update)
        MessagesAPI(emulator: emulator).register(on: router)
        ConversationFieldsAPI(emulator: emulator).register(on: router)
        emulator.jobs.register(Self.createJob) { db, payload, _ in try Self.completeCreation(db, payload) }
    }

    /// The `conversation_id` path parameter.
    static func conversationID(_ request: Request) throws(APIError) -> String {
        guard let id = request.parameters["conversation_id"] else { throw .badRequest("conversation_id is mandatory") }
        return id
    }

    // MARK: - Create a conversation

    /// The request body of `POST /v2/conversations` (docs L1337–1354).
    struct CreateRequest {
        var status: ConversationStatus?
        var channelID: String
        var agentID: String?
        var groupID: String?
        var messages: [Message.Request]
        var properties: Fields?
        var userIDs: [String]

        init(_ body: Fields) throws(APIError) {
            status = try ConversationsAPI.status(body)
            // docs L1343: "channel_idMandatory"
            channelID = try body.requiredString("channel_id")
            guard !channelID.allSatisfy(\.isWhitespace) else {
                throw .badRequest("channel_id is mandatory (docs L1343)")
            }
            agentID = try body.string("assigned_agent_id").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            groupID = try body.string("assigned_group_id").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            // docs L1348: "messagesMandatory array of message objects"
            guard let messages = try body.array("messages") else {
                throw .badRequest("messages is mandatory (docs L1348)")
            }
            guard !messages.isEmpty else { throw .badRequest("messages must hold at least one message (docs L1348)") }
            self.messages = try messages.enumerated().map { (index, value) throws(APIError) in
                guard case .object(let object) = value else {
                    throw .badRequest("messages[\(index)] must be a message object, not \(value.typeName)")
                }
                return try Message.Request(Fields(object, path: "messages[\(index)]"))
            }
            properties = try body.object("properties")
            // docs L794: users "Mandatory attribute in the request body parameter"
            guard let users = try body.array("users") else { throw .badRequest("users is mandatory (docs L794)") }
            guard !users.isEmpty else { throw .badRequest("users must hold at least one user (docs L794)") }
            userIDs = []
            for (index, user) in users.enumerated() {
                guard case .object(let object) = user else {
                    throw .badRequest("users[\(index)] must be an object {\"id\": …}, not \(user.typeName)")
                }
                let id = try Fields(object, path: "users[\(index)]").requiredString("id")
                if let first = userIDs.firstIndex(of: id) {
                    throw .badRequest("users[\(index)].id repeats users[\(first)].id")
                }
                userIDs.append(id)
            }
        }
    }

    /// Create a conversation: docs L1259, `POST /v2/conversations`.
    /// docs L1357: "A successful request returns 202 Accepted along with the created conversation object." The
    /// conversation exists once the `conversation.create` job has run, after the async delay, with exactly the ids
    /// answered here; until then it is 404.
    func create(_ request: Request) throws -> Response {
        let body = try CreateRequest(Fields(try request.jsonObject()))
        let now = emulator.clock.now()
        let accepted = try emulator.store.write { db in
            guard try db.channelExists(id: body.channelID) else {
                throw APIError.badRequest("channel_id: no channel (topic) with id \(body.channelID)")
            }
            let agent = try body.agentID.map { id throws in try Self.assignee(id, current: nil, db) }
            if let groupID = body.groupID { try Self.requireGroup(groupID, db) }
            for (index, userID) in body.userIDs.enumerated() where try db.userOrgContact(id: userID) == nil {
                throw APIError.badRequest("users[\(index)].id: no user with id \(userID)")
            }
            let fields = try db.conversationFields()
            // docs L1359: "By default, the conversation is created with the value of properties.priority as Low."
            let defaults: JSONObject = ["priority": .string(ConversationField.defaultPriority)]
            let properties =
                try body.properties.map { changes throws(APIError) in
                    try ConversationField.merge(changes, into: defaults, fields: fields)
                } ?? defaults
            var machine = ConversationStatus.Machine(.new)
            let outcome = machine.create(
                status: body.status, agent: agent?.agent, group: body.groupID,
                emptyRequiredProperties: ConversationField.emptyRequired(in: properties, fields: fields))
            if case .reject(let rejection) = outcome { throw APIError.badRequest(rejection.message) }
            let id = emulator.ids.next()
            var conversation = Conversation(
                id: id, channelID: body.channelID, appID: try db.accountAppID(), status: machine.status,
                properties: properties, interactionID: Conversation.interactionID(from: emulator.ids.next(), at: now),
                createdTime: now, updatedTime: now)
            conversation.machine = machine
            conversation.assignedOrgAgentID = agent?.orgID
            let messages = try body.messages.map { message in
                try MessagesAPI.makeMessage(
                    message, in: conversation, userIDs: body.userIDs, db: db, id: emulator.ids.next(), now: now)
            }
            try emulator.jobs.enqueue(
                db, kind: Self.createJob,
                payload: [
                    "conversation": conversation.json(), "interaction_id": .string(conversation.interactionID),
                    "users": .array(body.userIDs.map { .string($0) }), "messages": .array(messages.map(\.json)),
                ],
                id: emulator.ids.next(), now: now, delayMillis: emulator.config.asyncDelayMillis)
            // The 202 echoes the status asked for (default new), as docs L764 answers "status": "new" for a
            // conversation with an agent that docs L1398 later retrieves as "assigned".
            var echo = conversation
            echo.status = body.status ?? .new
            return echo.json(messages: messages, users: body.userIDs)
        }
        return .json(accepted.bytes, status: .accepted)
    }

    /// Finishes a creation accepted with 202: stores the conversation, its users and messages, and appends
    /// conversation_created, message_sent for each message, group/agent assigned and resolved as they apply, all at
    /// the conversation's `created_time`.
    static func completeCreation(_ db: Database, _ payload: JSONValue) throws {
        guard let document = payload["conversation"], let interactionID = payload["interaction_id"]?.stringValue else {
            throw JobError(message: "conversation.create payload has no conversation")
        }
        let conversation = try Conversation(json: document, interactionID: interactionID)
        let userIDs = (payload["users"]?.arrayValue ?? []).compactMap(\.stringValue)
        let messages = try (payload["messages"]?.arrayValue ?? []).map { value throws in try Message(json: value) }
        try db.insertConversation(conversation, userIDs: userIDs)
        let time = conversation.createdTime
        try db.append(
            Event(
                .conversationCreated, time: time, conversationID: conversation.id, interactionID: interactionID,
                userID: userIDs.first, channelID: conversation.channelID))
        for message in messages {
            try db.insertMessage(message)
            try db.append(Conversation.event(for: message))
        }
        // The actions `Machine.create` performed on the new, unassigned conversation, in its order.
        var actions: [ConversationStatus.Machine.Action] = []
        if let group = conversation.assignedGroupID { actions.append(.groupAssigned(group, from: nil)) }
        if let agent = conversation.assignedAgentID { actions.append(.agentAssigned(agent, from: nil)) }
        if conversation.status == .resolved { actions.append(.resolved) }
        for event in conversation.events(for: actions, at: time) { try db.append(event) }
    }

    // MARK: - Retrieve a conversation

    /// Retrieve a conversation: docs L1361, `GET /v2/conversations/{conversation_id}`.
    /// docs L1380: "A successful request returns 200 OK along with the retrieved conversation object. The attributes,
    /// conversation.messages and conversation.users are not retrieved as part of the response object."
    func retrieve(_ request: Request) throws -> Response {
        let id = try Self.conversationID(request)
        let conversation = try emulator.store.read { db in try db.conversation(id: id) }
        guard let conversation else { throw APIError.conversationNotFound }
        return .json(conversation.json().bytes)
    }

    // MARK: - Update a conversation

    /// The request body of `PUT /v2/conversations/{conversation_id}` (docs L1454–1471). docs L1458: "Only the values
    /// of the status, assigned_agent_id, assigned_group_id, and properties attributes can be updated using this API."
    /// Everything else is ignored.
    struct UpdateRequest {
        var status: ConversationStatus?
        var agent: ConversationStatus.Machine.Change<String>?
        var group: ConversationStatus.Machine.Change<String>?
        var properties: Fields?

        init(_ body: Fields) throws(APIError) {
            status = try ConversationsAPI.status(body)
            agent = try Self.change(body, "assigned_agent_id")
            group = try Self.change(body, "assigned_group_id")
            properties = try body.object("properties")
        }

        /// docs L1481: "specify an empty value (" ") for the assigned_agent_id or assigned_group_id attribute"; `""`
        /// and `null` unassign too.
        static func change(_ body: Fields, _ key: String) throws(APIError) -> ConversationStatus.Machine.Change<String>?
        {
            guard body.has(key) else { return nil }
            guard let value = try body.string(key), !value.allSatisfy(\.isWhitespace) else { return .unassign }
            return .set(value)
        }
    }

    /// Update a conversation: docs L1401, `PUT /v2/conversations/{conversation_id}`.
    /// docs L1485: "A successful request returns 200 OK along with the updated conversation object."
    func update(_ request: Request) throws -> Response {
        let id = try Self.conversationID(request)
        let body = try UpdateRequest(Fields(try request.jsonObject()))
        let now = emulator.clock.now()
        let updated = try emulator.store.write { db in
            guard var conversation = try db.conversation(id: id) else { throw APIError.conversationNotFound }
            let fields = try db.conversationFields()
            let properties =
                try body.properties.map { changes throws(APIError) in
                    try ConversationField.merge(changes, into: conversation.properties, fields: fields)
                } ?? conversation.properties
            let agent: ConversationStatus.Machine.Change<ConversationStatus.Machine.Agent>?
            switch body.agent {
            case .set(let agentID)?:
                agent = .set(try Self.assignee(agentID, current: conversation.assignedAgentID, db).agent)
            case .unassign?: agent = .unassign
            case nil: agent = nil
            }
            if case .set(let groupID)? = body.group { try Self.requireGroup(groupID, db) }
            var machine = conversation.machine
            let actions: [ConversationStatus.Machine.Action]
            switch machine.update(
                status: body.status, agent: agent, group: body.group,
                emptyRequiredProperties: ConversationField.emptyRequired(in: properties, fields: fields))
            {
            case .perform(let performed): actions = performed
            case .reject(let rejection): throw APIError.badRequest(rejection.message)
            }
            let before = conversation
            conversation.machine = machine
            conversation.properties = properties
            if actions.contains(.reopened) {
                // docs L847: "If the conversation is reopened, a new interaction_id is assigned to the conversation."
                conversation.interactionID = Conversation.interactionID(from: emulator.ids.next(), at: now)
            }
            guard conversation != before else { return before.json().bytes }
            conversation.updatedTime = now
            let rowID = try db.updateConversation(conversation)
            for event in conversation.events(for: actions, at: now, cause: "API") { try db.append(event) }
            // Read back for the assigned agent's organisation id; the change feed's conversation.updated is the same
            // object (Store.prepareEvent).
            let bytes = (try db.conversation(id: id) ?? conversation).json().bytes
            if let rowID {
                emulator.store.prepareEvent(
                    table: "conversation", rowID: rowID, data: String(decoding: bytes, as: UTF8.self),
                    conversationID: id)
            }
            return bytes
        }
        return .json(updated)
    }

    // MARK: - Shared rules

    /// `status`, one of the documented values (docs L1342, L1462: "Possible values: new, assigned, resolved,
    /// reopened").
    static func status(_ body: Fields) throws(APIError) -> ConversationStatus? {
        guard let text = try body.string("status") else { return nil }
        guard let status = ConversationStatus(rawValue: text) else {
            throw .badRequest("status must be one of new, assigned, resolved, reopened, not '\(text)' (docs L1342)")
        }
        return status
    }

    /// The agent `id` names, for assignment: it must exist and, unless it is already the conversation's agent, be
    /// active.
    static func assignee(_ id: String, current: String?, _ db: Database) throws -> (
        agent: ConversationStatus.Machine.Agent, orgID: String?
    ) {
        guard let found = try db.assignableAgent(id: id) else {
            throw APIError.badRequest("assigned_agent_id: no agent with id \(id)")
        }
        guard !found.deactivated || id == current else {
            throw APIError.badRequest("assigned_agent_id: agent \(id) is deactivated and cannot be assigned")
        }
        return (found.agent, found.orgID)
    }

    /// Checks that group `id` exists.
    static func requireGroup(_ id: String, _ db: Database) throws {
        guard try db.groupExists(id: id) else { throw APIError.badRequest("assigned_group_id: no group with id \(id)") }
    }
}

extension APIError {
    /// 404 CONVERSATION_NOT_FOUND (the docs' "<RESOURCE>_NOT_FOUND" form, L45).
    static var conversationNotFound: APIError { .notFound("CONVERSATION_NOT_FOUND", "conversation not found") }
}
