import HTTP
import SQLite

/// The messages of a conversation (docs L1487–1698): list them, send one.
struct MessagesAPI {
    let emulator: Emulator

    /// docs L714–715, with the `/v2` prefix the requests use (L1492, L1652).
    func register(on router: Router) {
        router.add(.get, "/v2/conversations/{conversation_id}/messages", list)
        router.add(.post, "/v2/conversations/{conversation_id}/messages", send)
    }

    // MARK: - List messages in a conversation

    /// docs L1510–1512: items_per_page "A maximum of 50 message objects can be displayed in each page. Default value:
    /// 20"; newest first, as the example (L1644) lists them.
    static let pageRules = Pagination.Rules(
        defaultItemsPerPage: 20, maxItemsPerPage: 50, sortFields: ["created_time"], defaultSortBy: "created_time",
        defaultSortOrder: .desc)

    /// List messages in a conversation: docs L1487, `GET /v2/conversations/{conversation_id}/messages`.
    /// docs L1528: "A successful request returns 200 OK along with the messages that constitute the conversation, as
    /// an array."
    func list(_ request: Request) throws -> Response {
        let id = try ConversationsAPI.conversationID(request)
        let query = request.query
        let pagination = try Pagination(query, rules: Self.pageRules)
        var from: Int64?
        if let text = query["from_time"] {
            // docs L1500–1501: from_time "Should be a date-time value specified in the UTC format. Limits the response
            // to message objects whose created_time value is a time after the parameter value or matches the
            // parameter value."
            guard let millis = Timestamp.parse(text) else {
                throw APIError.badRequest(
                    "from_time must be a UTC date-time such as 2022-12-01T10:00:00.000Z, not '\(text)' (docs L1500)")
            }
            from = millis
        }
        // The stored documents are the message objects as answered (`Database.appendMessageDocs`): they go into the
        // page as they are.
        var body: [UInt8] = []
        body.reserveCapacity(1024 * (pagination.itemsPerPage + 1))
        body.append(contentsOf: #"{"messages":["#.utf8)
        let start = body.count
        let more = try emulator.store.read { db -> Bool? in
            let more = try db.appendMessageDocs(
                conversationID: id, from: from, ascending: pagination.sortOrder == .asc,
                limit: pagination.itemsPerPage, offset: pagination.offset, to: &body)
            // A page with messages proves the conversation exists; only an empty one costs a second statement.
            guard try body.count > start || db.conversationExists(id: id) else { return nil }
            return more
        }
        guard let more else { throw APIError.conversationNotFound }
        body.append(UInt8(ascii: "]"))
        if more {
            // docs L1644: "link": {"rel": "self", "href": "/v2/conversations/e083b4c7-…/messages?1=1&page=2&
            // items_per_page=50&from_time=2022-11-29T06:36:55.799Z"} — the next page.
            var href = "/v2/conversations/\(PercentDecoding.encodeQueryComponent(id))/messages?1=1"
            href += "&page=\(pagination.page + 1)&items_per_page=\(pagination.itemsPerPage)"
            if let text = query["from_time"] { href += "&from_time=" + PercentDecoding.encodeQueryComponent(text) }
            if pagination.sortOrder == .asc { href += "&sort_order=asc" }
            body.append(contentsOf: #","link":"#.utf8)
            JSONValue.object(["rel": "self", "href": .string(href)]).write(to: &body)
        }
        body.append(UInt8(ascii: "}"))
        return .json(body)
    }

    // MARK: - Send a message to a conversation

    /// Send a message to a conversation: docs L1647, `POST /v2/conversations/{conversation_id}/messages`.
    /// docs L1698: "A successful request returns 200 OK along with the created message object."
    func send(_ request: Request) throws -> Response {
        let id = try ConversationsAPI.conversationID(request)
        let body = try Message.Request(Fields(try request.jsonObject()))
        let now = emulator.clock.now()
        let doc = try emulator.store.write { db -> String in
            guard var conversation = try db.conversation(id: id) else { throw APIError.conversationNotFound }
            let userIDs = try db.conversationUserIDs(id)
            let actor = try Self.actor(body, userIDs: userIDs, db: db)
            if let replied = body.inReplyTo, try !db.messageExists(id: replied, conversationID: id) {
                throw APIError.badRequest("in_reply_to.message_id: no message \(replied) in this conversation")
            }
            var reopening: [ConversationStatus.Machine.Action] = []
            if body.actorType == .user, conversation.status == .resolved {
                // A user writing to a resolved conversation reopens it, as PUT status reopened does (docs L1475: "the
                // agent is unassigned; the status of the conversation changes to new"), in a new interaction (L847).
                var machine = conversation.machine
                if case .perform(let actions) = machine.reopen() { reopening = actions }
                conversation.machine = machine
                conversation.interactionID = Conversation.interactionID(from: emulator.ids.next(), at: now)
            }
            var message = Self.makeMessage(body, actor: actor, in: conversation, id: emulator.ids.next(), now: now)
            if !reopening.isEmpty {
                // docs L855–857: meta_data "Example: isReopen: true … specifies whether the conversation is a reopened
                // conversation."
                var meta = message.metaData ?? JSONObject()
                meta["isReopen"] = true
                message.metaData = meta
            }
            conversation.updatedTime = now
            var conversationRowID: Int64?
            if reopening.isEmpty {
                // Only updated_time moves.
                conversationRowID = try db.touchConversation(id: id, at: now)
            } else {
                try db.updateConversation(conversation)
            }
            for event in conversation.events(for: reopening, at: now, cause: "USER_MESSAGE") { try db.append(event) }
            let doc = try db.insertMessage(message)
            let messageRowID = db.lastInsertRowID
            try db.append(Conversation.event(for: message))
            // The change feed's events, from what was just written (a reopened conversation is read back instead:
            // its assignment changed).
            if let conversationRowID {
                emulator.store.prepareEvent(
                    table: "conversation", rowID: conversationRowID, data: conversation.json().serialized(),
                    conversationID: id)
            }
            emulator.store.prepareEvent(table: "message", rowID: messageRowID, data: doc, conversationID: id)
            return doc
        }
        // The stored document is the message object as answered (Database.insertMessage).
        return .json(Array(doc.utf8))
    }

    // MARK: - Building a message

    /// Who sends a message, checked against the store.
    struct Actor {
        var id: String?
        var orgID: String?
        var userID: String?
    }

    /// Checks the actor of `request`: a user must exist and be one of the conversation's users; an agent must exist
    /// and be active (docs L839–840: "If a user sends the message, the value of this attribute is a valid user.id. If an
    /// agent sends the message, the value of this attribute is a valid agent.id."). `user_id` is the sending user, or
    /// the request's `user_id` (one of the conversation's users), or the conversation's first user.
    static func actor(_ request: Message.Request, userIDs: [String], db: Database) throws -> Actor {
        let actorName = request.name("actor_id")
        var userID = userIDs.first
        if let requested = request.userID, request.actorType != .user {
            guard userIDs.contains(requested) else {
                throw APIError.badRequest("\(request.name("user_id")): \(requested) is not a user of this conversation")
            }
            userID = requested
        }
        switch request.actorType {
        case .user:
            let id = request.actorID ?? ""
            guard let user = try db.userOrgContact(id: id) else {
                throw APIError.badRequest("\(actorName): no user with id \(id)")
            }
            guard userIDs.contains(id) else {
                throw APIError.badRequest("\(actorName): user \(id) is not a user of this conversation")
            }
            return Actor(id: id, orgID: user.orgContactID, userID: id)
        case .agent:
            let id = request.actorID ?? ""
            guard let agent = try db.assignableAgent(id: id) else {
                throw APIError.badRequest("\(actorName): no agent with id \(id)")
            }
            guard !agent.deactivated else {
                throw APIError.badRequest("\(actorName): agent \(id) is deactivated and cannot send messages")
            }
            return Actor(id: id, orgID: agent.orgID, userID: userID)
        case .bot, .system:
            // docs L841: "If a Freshchat bot sends the message, the attribute will not have a valid value."
            return Actor(id: request.actorID, orgID: nil, userID: userID)
        }
    }

    /// A message of `conversation` from a checked request; parts are kept exactly as sent.
    static func makeMessage(
        _ request: Message.Request, actor: Actor, in conversation: Conversation, id: String, now: Int64
    )
        -> Message
    {
        Message(
            id: id, conversationID: conversation.id, channelID: conversation.channelID, appID: conversation.appID,
            interactionID: conversation.interactionID, messageParts: request.messageParts,
            replyParts: request.replyParts, actorType: request.actorType, actorID: actor.id, orgActorID: actor.orgID,
            messageType: request.messageType, userID: actor.userID, createdTime: now, metaData: request.metaData,
            inReplyTo: request.inReplyTo.map { ["message_id": .string($0)] },
            restrictResponse: request.restrictResponse, botsPrivateNote: request.botsPrivateNote)
    }

    /// A message of a conversation being created (one entry of `messages` in `POST /v2/conversations`).
    /// - Throws: `APIError` 400 naming the message's attribute.
    static func makeMessage(
        _ request: Message.Request, in conversation: Conversation, userIDs: [String], db: Database, id: String,
        now: Int64
    ) throws -> Message {
        if request.inReplyTo != nil {
            throw APIError.badRequest("\(request.name("in_reply_to")): a new conversation has no message to reply to")
        }
        let actor = try actor(request, userIDs: userIDs, db: db)
        return makeMessage(request, actor: actor, in: conversation, id: id, now: now)
    }
}
