import SQLite

/// Preloads users and conversations with their messages for `POST /_emulator/fixtures`, inside its one
/// transaction. Each item is validated by the same rules as `POST /v2/users` and `POST /v2/conversations`
/// (the request types, the lifecycle machine, the message-part rules) and stored at once, with the EventLog
/// entries a real creation appends, at the item's own times. Errors name the item: `conversations[0].users[0].id:
/// no user with id …`.
struct FixtureLoader {
    let emulator: Emulator
    let db: Database
    /// The Clock time that items without their own times get.
    let now: Int64

    /// Inserts `POST /v2/users` bodies, each with optional `id`, `created_time`, `updated_time`, `login_status` and
    /// `restore_id`.
    /// - Returns: the users' ids, in order.
    /// - Throws: `APIError` 400 naming the item and field.
    func insertUsers(_ items: [JSONValue]) throws -> [String] {
        try items.enumerated().map { index, item in
            try named("users[\(index)]", item) { object, fields in
                let body = try UsersAPI.CreateRequest(object)
                let id = try identifier(fields, "id")
                let created = try time(fields, "created_time") ?? now
                let user = User(
                    id: id, createdTime: created, updatedTime: try time(fields, "updated_time") ?? created,
                    avatar: User.Avatar(url: body.avatarURL), email: body.email, firstName: body.firstName,
                    lastName: body.lastName, loginStatus: try fields.bool("login_status") ?? false,
                    orgContactID: body.orgContactID, phone: body.phone, properties: body.properties,
                    referenceID: body.referenceID, restoreID: try fields.string("restore_id") ?? emulator.ids.next())
                try db.insert(user)
                try db.append(Event(.userCreated, time: created, userID: id))
                return id
            }
        }
    }

    /// Inserts `POST /v2/conversations` bodies, each with optional `conversation_id`, `created_time` and
    /// `updated_time` (default: the last message's time); each message may carry `id` and `created_time` (default:
    /// the conversation's). The conversation exists at once: no 202 job.
    /// - Returns: the conversations' ids, in order.
    /// - Throws: `APIError` 400 naming the item and field.
    func insertConversations(_ items: [JSONValue]) throws -> [String] {
        try items.enumerated().map { index, item in
            try named("conversations[\(index)]", item) { _, fields in try insertConversation(fields) }
        }
    }

    private func insertConversation(_ fields: Fields) throws -> String {
        let body = try ConversationsAPI.CreateRequest(fields)
        let id = try identifier(fields, "conversation_id")
        let created = try time(fields, "created_time") ?? now
        guard try db.channelExists(id: body.channelID) else {
            throw APIError.badRequest("channel_id: no channel (topic) with id \(body.channelID)")
        }
        let agent = try body.agentID.map { agentID throws in try ConversationsAPI.assignee(agentID, current: nil, db) }
        if let groupID = body.groupID { try ConversationsAPI.requireGroup(groupID, db) }
        for (index, userID) in body.userIDs.enumerated() where try db.userOrgContact(id: userID) == nil {
            throw APIError.badRequest("users[\(index)].id: no user with id \(userID)")
        }
        let propertyFields = try db.conversationFields()
        // docs L1359: "By default, the conversation is created with the value of properties.priority as Low."
        let defaults: JSONObject = ["priority": .string(ConversationField.defaultPriority)]
        let properties =
            try body.properties.map { changes throws(APIError) in
                try ConversationField.merge(changes, into: defaults, fields: propertyFields)
            } ?? defaults
        var machine = ConversationStatus.Machine(.new)
        let outcome = machine.create(
            status: body.status, agent: agent?.agent, group: body.groupID,
            emptyRequiredProperties: ConversationField.emptyRequired(in: properties, fields: propertyFields))
        if case .reject(let rejection) = outcome { throw APIError.badRequest(rejection.message) }
        var conversation = Conversation(
            id: id, channelID: body.channelID, appID: try db.accountAppID(), status: machine.status,
            properties: properties,
            interactionID: Conversation.interactionID(from: emulator.ids.next(), at: created), createdTime: created,
            updatedTime: created)
        conversation.machine = machine
        conversation.assignedOrgAgentID = agent?.orgID
        let raw = try fields.array("messages") ?? []
        var messages: [Message] = []
        for (index, request) in body.messages.enumerated() {
            let messageFields = Fields(raw[index].objectValue ?? JSONObject(), path: "messages[\(index)]")
            messages.append(
                try MessagesAPI.makeMessage(
                    request, in: conversation, userIDs: body.userIDs, db: db,
                    id: try identifier(messageFields, "id"), now: try time(messageFields, "created_time") ?? created))
        }
        conversation.updatedTime =
            try time(fields, "updated_time") ?? max(created, messages.map(\.createdTime).max() ?? created)
        try ConversationsAPI.completeCreation(
            db,
            [
                "conversation": conversation.json(), "interaction_id": .string(conversation.interactionID),
                "users": .array(body.userIDs.map { .string($0) }), "messages": .array(messages.map(\.json)),
            ])
        return id
    }

    // MARK: - Helpers

    /// Runs `body` on item `path`, prefixing the path to its errors (`users[2].email must be a string …`).
    private func named<T>(_ path: String, _ item: JSONValue, _ body: (JSONObject, Fields) throws -> T) throws -> T {
        guard case .object(let object) = item else {
            throw APIError.badRequest("\(path) must be an object, not \(item.typeName)")
        }
        do {
            return try body(object, Fields(object))
        } catch let error as APIError {
            throw APIError.badRequest("\(path).\(error.message)")
        } catch let error as SQLiteError {
            throw APIError.badRequest("\(path): \(error.message)")
        }
    }

    /// The item's own id `key`, or a new one.
    private func identifier(_ fields: Fields, _ key: String) throws(APIError) -> String {
        guard let id = try fields.string(key) else { return emulator.ids.next() }
        guard !id.isEmpty else { throw .badRequest("\(fields.name(key)) must not be empty") }
        return id
    }

    /// The timestamp `key`, or nil when absent.
    private func time(_ fields: Fields, _ key: String) throws(APIError) -> Int64? {
        guard let text = try fields.string(key) else { return nil }
        guard let millis = Timestamp.parse(text) else {
            throw .badRequest("\(fields.name(key)) must be an ISO 8601 timestamp like 2024-01-15T10:00:00.000Z")
        }
        return millis
    }
}
