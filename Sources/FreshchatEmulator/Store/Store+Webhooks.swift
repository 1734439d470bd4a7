import SQLite

/// SQL for webhooks: subscriptions, the signing key, the outbox (`webhook_event`, written in the transaction of
/// the change that caused it) and one `webhook_delivery` per event and subscribed URL.
extension Database {
    // MARK: - Subscriptions and key

    /// The subscriptions in the order they were configured.
    func webhookSubscriptions() throws -> [Webhooks.Subscription] {
        try query("SELECT url, events FROM webhook_subscription ORDER BY position").map { row in
            let names = (try? JSONParser.parse(try row.string("events")))?.arrayValue ?? []
            return Webhooks.Subscription(
                url: try row.string("url"),
                actions: names.compactMap { $0.stringValue.flatMap(WebhookEvent.Action.init(rawValue:)) })
        }
    }

    /// Replaces every subscription.
    func replaceWebhookSubscriptions(_ subscriptions: [Webhooks.Subscription]) throws {
        try execute("DELETE FROM webhook_subscription")
        for (position, subscription) in subscriptions.enumerated() {
            try execute(
                "INSERT INTO webhook_subscription (url, events, position) VALUES (?, ?, ?)",
                [
                    .text(subscription.url),
                    .text(JSONValue.array(subscription.actions.map { .string($0.rawValue) }).serialized()),
                    .integer(Int64(position)),
                ])
        }
    }

    /// The signing key's PEM, or nil before one was generated or given.
    func webhookPrivateKey() throws -> String? {
        try scalarString("SELECT private_key FROM webhook_key WHERE id = 1")
    }

    /// Stores the signing key's PEM, replacing any other.
    func setWebhookPrivateKey(_ pem: String) throws {
        try execute("INSERT OR REPLACE INTO webhook_key (id, private_key) VALUES (1, ?)", [.text(pem)])
    }

    // MARK: - Outbox

    /// Writes the webhook `event` (the EventLog entry just appended) triggers, with one delivery per subscription
    /// to its action, due at once. Called by `append(_:)`, so the webhook exists exactly when the change committed.
    func enqueueWebhooks(for event: Event) throws {
        guard let action = WebhookEvent.Action(event.kind) else { return }
        if event.kind == .messageSent, event.actorType == "user", let userID = event.actorID,
            let conversationID = event.conversationID
        {
            try settleWebhookActors(conversationID: conversationID, userID: userID)
        }
        let urls = try webhookSubscriptions().filter { $0.actions.contains(action) }.map(\.url)
        guard !urls.isEmpty, let conversationID = event.conversationID,
            let (webhook, pendingActor) = try webhookEvent(for: event, conversationID: conversationID)
        else { return }
        try execute(
            """
            INSERT INTO webhook_event (action, conversation_id, action_time, actor_pending, body)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .text(action.rawValue), .text(conversationID), .integer(event.time), .integer(pendingActor ? 1 : 0),
                .text(webhook.json.serialized()),
            ])
        let eventID = lastInsertRowID
        for url in urls {
            try execute(
                """
                INSERT INTO webhook_delivery (event_id, url, conversation_id, action, due_time, created_time)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    .integer(eventID), .text(url), .text(conversationID), .text(action.rawValue), .integer(event.time),
                    .integer(event.time),
                ])
        }
    }

    /// The webhook for `event`, built from the store as it is now (inside the change's transaction); whether its
    /// actor is the user whose message (appended next in the same transaction) caused it.
    private func webhookEvent(for event: Event, conversationID: String) throws -> (WebhookEvent, Bool)? {
        guard let conversation = try conversation(id: conversationID) else { return nil }
        let interaction = event.interactionID ?? conversation.interactionID
        let time = event.time
        switch event.kind {
        case .messageSent:
            guard let id = event.messageID,
                let doc = try scalarString("SELECT doc FROM message WHERE id = ?", [.text(id)]),
                let message = try? JSONParser.parse(doc)
            else { return nil }
            return (.messageCreate(message, time: time), false)
        case .agentAssigned, .agentUnassigned, .groupAssigned, .groupUnassigned:
            // The side this entry changed comes from the entry; the other side is the conversation's current one.
            let agent = conversation.assignedAgentID
            let group = conversation.assignedGroupID
            let from = { (key: String) in event.data[key]?.stringValue }
            let change: (to: (String?, String?), from: (String?, String?)) =
                switch event.kind {
                case .agentAssigned: ((event.agentID, group), (from("from_agent_id"), group))
                case .agentUnassigned: ((nil, group), (event.agentID, group))
                case .groupAssigned: ((agent, event.groupID), (agent, from("from_group_id")))
                default: ((agent, nil), (agent, event.groupID))
                }
            let (actor, pending) = try webhookActor(for: event, conversation: conversation)
            let webhook = WebhookEvent.assignment(
                by: actor, time: time, to: change.to, from: change.from, conversation: conversation,
                interactionID: interaction)
            return (webhook, pending)
        case .conversationResolved:
            let (actor, pending) = try webhookActor(for: event, conversation: conversation)
            let user = try conversationUserIDs(conversationID).first.flatMap { try self.user(id: $0) }
            let webhook = WebhookEvent.resolution(
                by: actor, time: time, conversation: conversation, interactionID: interaction, user: user?.json)
            return (webhook, pending)
        case .conversationReopened:
            let (actor, pending) = try webhookActor(for: event, conversation: conversation)
            let webhook = WebhookEvent.reopen(
                by: actor, time: time, conversation: conversation, interactionID: interaction)
            return (webhook, pending)
        default:
            return nil
        }
    }

    /// Who caused a lifecycle entry: its own actor when it names one; else from `data.cause` — the conversation's
    /// user for `USER_MESSAGE` (settled to the message's author when the message follows) and
    /// `CUSTOMER_DISSATISFACTION` (the CSAT's author), and `system` (id: the account's `app_id`) for the API,
    /// a new conversation and an agent's deletion.
    private func webhookActor(for event: Event, conversation: Conversation) throws -> (WebhookEvent.Actor, Bool) {
        if let type = event.actorType {
            return (
                WebhookEvent.Actor(type: type == "user" || type == "agent" ? type : "system", id: event.actorID ?? ""),
                false
            )
        }
        switch event.data["cause"]?.stringValue {
        case "USER_MESSAGE", "CUSTOMER_DISSATISFACTION":
            let user = try conversationUserIDs(conversation.id).first ?? ""
            return (WebhookEvent.Actor(type: "user", id: user), event.data["cause"] == "USER_MESSAGE")
        default:
            return (WebhookEvent.Actor(type: "system", id: conversation.appID), false)
        }
    }

    /// A user's message settles the actor of the webhooks its reopening wrote just before it (same transaction).
    private func settleWebhookActors(conversationID: String, userID: String) throws {
        let rows = try query(
            "SELECT id, body FROM webhook_event WHERE conversation_id = ? AND actor_pending = 1",
            [.text(conversationID)])
        for row in rows {
            guard case .object(var envelope)? = try? JSONParser.parse(try row.string("body")),
                case .object(var actor)? = envelope["actor"], case .object(var data)? = envelope["data"],
                let key = data.keys.first, case .object(var inner)? = data[key]
            else { continue }
            actor["actor_id"] = .string(userID)
            for field in ["assignor_id", "resolver_id", "reopener_id"] where inner[field] != nil {
                inner[field] = .string(userID)
            }
            data[key] = .object(inner)
            envelope["actor"] = .object(actor)
            envelope["data"] = .object(data)
            try execute(
                "UPDATE webhook_event SET body = ?, actor_pending = 0 WHERE id = ?",
                [.text(JSONValue.object(envelope).serialized()), .integer(try row.int64("id"))])
        }
    }

    // MARK: - Deliveries

    private static let deliveryColumns = """
        SELECT d.id, d.event_id, d.url, d.conversation_id, d.action, d.status, d.attempts, d.due_time, d.created_time,
            d.last_attempt_time, d.last_status_code, d.last_error, d.delivered_time, e.body
        FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id
        """

    /// Pending deliveries due at `now`, oldest first, each the first pending one of its URL and conversation (so
    /// a conversation's webhooks reach a URL in order).
    func dueWebhookDeliveries(now: Int64, limit: Int) throws -> [Webhooks.Delivery] {
        try query(
            Self.deliveryColumns + """

                WHERE d.status = 'pending' AND d.due_time <= ? AND NOT EXISTS (
                    SELECT 1 FROM webhook_delivery p WHERE p.url = d.url AND p.conversation_id = d.conversation_id
                    AND p.status = 'pending' AND p.id < d.id)
                ORDER BY d.id LIMIT ?
                """, [.integer(now), .integer(Int64(limit))]
        ).map(Webhooks.Delivery.init(row:))
    }

    /// Delivery `id`, or nil.
    func webhookDelivery(id: Int64) throws -> Webhooks.Delivery? {
        try queryOne(Self.deliveryColumns + " WHERE d.id = ?", [.integer(id)]).map(Webhooks.Delivery.init(row:))
    }

    /// Every delivery in creation order, optionally only those with a status, an event or a conversation.
    func webhookDeliveries(status: String?, action: String?, conversationID: String?) throws -> [Webhooks.Delivery] {
        try query(
            Self.deliveryColumns + """

                WHERE (?1 IS NULL OR d.status = ?1) AND (?2 IS NULL OR d.action = ?2)
                AND (?3 IS NULL OR d.conversation_id = ?3) ORDER BY d.id
                """, [SQLiteValue(status), SQLiteValue(action), SQLiteValue(conversationID)]
        ).map(Webhooks.Delivery.init(row:))
    }

    /// Records the attempt that just ended: one more attempt, its status code and error, and the next state.
    func recordWebhookAttempt(
        id: Int64, at time: Int64, statusCode: Int?, error: String?, status: Webhooks.Delivery.Status, due: Int64
    ) throws {
        try execute(
            """
            UPDATE webhook_delivery SET attempts = attempts + 1, last_attempt_time = ?1, last_status_code = ?2,
                last_error = ?3, status = ?4, due_time = ?5,
                delivered_time = CASE WHEN ?4 = 'delivered' THEN ?1 ELSE delivered_time END
            WHERE id = ?6
            """,
            [
                .integer(time), SQLiteValue(statusCode.map(Int64.init)), SQLiteValue(error), .text(status.rawValue),
                .integer(due), .integer(id),
            ])
    }

    /// Makes delivery `id` pending and due at `time` (a replay).
    func rescheduleWebhookDelivery(id: Int64, at time: Int64) throws {
        try execute(
            "UPDATE webhook_delivery SET status = 'pending', due_time = ? WHERE id = ?", [.integer(time), .integer(id)])
    }
}
