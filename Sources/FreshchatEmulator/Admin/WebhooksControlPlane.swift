import HTTP

/// The control plane's webhook endpoints (issue "Webhooks"): subscriptions, the public key, the delivery log,
/// replay and flush. Every endpoint takes `?workspace=<token>` (default: the shared workspace).
struct WebhooksControlAPI {
    let host: EmulatorHost

    func register(on router: Router) {
        router.add(.get, "/_emulator/webhooks", subscriptions)
        router.add(.put, "/_emulator/webhooks", setSubscriptions)
        router.add(.get, "/_emulator/webhooks/public-key", publicKey)
        router.add(.get, "/_emulator/webhooks/deliveries", deliveries)
        router.add(.get, "/_emulator/webhooks/deliveries/{id}", delivery)
        router.add(.post, "/_emulator/webhooks/deliveries/{id}/replay", replay)
        router.add(.post, "/_emulator/webhooks/flush", flush)
    }

    private func webhooks(_ request: Request) throws -> Webhooks {
        try host.workspace(for: request).emulator.webhooks
    }

    // MARK: - Subscriptions

    private static func json(_ subscriptions: [Webhooks.Subscription]) -> JSONValue {
        var events: [WebhookEvent.Action] = []
        for action in subscriptions.flatMap(\.actions) where !events.contains(action) { events.append(action) }
        if subscriptions.isEmpty { events = WebhookEvent.Action.allCases }
        return [
            "urls": .array(subscriptions.map { .string($0.url) }),
            "events": .array(events.map { .string($0.rawValue) }),
        ]
    }

    /// `GET /_emulator/webhooks` → `{"urls": [...], "events": [...]}`.
    func subscriptions(_ request: Request) throws -> Response {
        let list = try webhooks(request).store.read { db in try db.webhookSubscriptions() }
        return .json(Self.json(list).bytes)
    }

    /// `PUT /_emulator/webhooks {"urls": [...], "events": [...]}` → replaces the subscriptions; `events` is
    /// optional (all four by default); `"urls": []` unsubscribes everything.
    func setSubscriptions(_ request: Request) throws -> Response {
        let body = Fields(try request.jsonObject())
        guard let urls = try body.array("urls") else {
            throw APIError.badRequest("urls is mandatory: an array of URLs")
        }
        var list: [String] = []
        for (index, value) in urls.enumerated() {
            guard let url = value.stringValue, Client.Endpoint(url: url) != nil else {
                throw APIError.badRequest("urls[\(index)] must be an http://host[:port]/path URL")
            }
            if !list.contains(url) { list.append(url) }
        }
        var actions = WebhookEvent.Action.allCases
        if let events = try body.array("events") {
            actions = []
            for (index, value) in events.enumerated() {
                guard let name = value.stringValue, let action = WebhookEvent.Action(rawValue: name) else {
                    let names = WebhookEvent.Action.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIError.badRequest("events[\(index)] must be one of \(names)")
                }
                if !actions.contains(action) { actions.append(action) }
            }
            guard !actions.isEmpty else { throw APIError.badRequest("events must name at least one event") }
        }
        let subscriptions = list.map { Webhooks.Subscription(url: $0, actions: actions) }
        try webhooks(request).store.write { db in try db.replaceWebhookSubscriptions(subscriptions) }
        return .json(Self.json(subscriptions).bytes)
    }

    // MARK: - Public key

    /// `GET /_emulator/webhooks/public-key[?format=spki]` → the PEM, as Freshchat's admin page shows it (`BEGIN RSA
    /// PUBLIC KEY` around an SPKI) or, with `format=spki`, as a standard `BEGIN PUBLIC KEY` PEM.
    func publicKey(_ request: Request) throws -> Response {
        let name = request.query["format"] ?? Webhooks.PublicKeyFormat.freshchat.rawValue
        guard let format = Webhooks.PublicKeyFormat(rawValue: name) else {
            throw APIError.badRequest("format must be freshchat or spki, not '\(name)'")
        }
        let pem = try webhooks(request).publicKeyPEM(format)
        return Response(
            status: .ok, headers: ["Content-Type": "application/x-pem-file"], body: Array(pem.utf8))
    }

    // MARK: - Deliveries

    /// `GET /_emulator/webhooks/deliveries?status=&event=&conversation_id=` → `{"deliveries": [...]}` in the order
    /// they were created: event, target, status, attempts, last status code and error, the body sent.
    func deliveries(_ request: Request) throws -> Response {
        let query = request.query
        let status = query["status"]
        if let status, Webhooks.Delivery.Status(rawValue: status) == nil {
            throw APIError.badRequest("status must be pending, delivered or dead, not '\(status)'")
        }
        let event = query["event"]
        if let event, WebhookEvent.Action(rawValue: event) == nil {
            let names = WebhookEvent.Action.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest("event must be one of \(names), not '\(event)'")
        }
        let list = try webhooks(request).store.read { db in
            try db.webhookDeliveries(status: status, action: event, conversationID: query["conversation_id"])
        }
        return .json(JSONValue.object(["deliveries": .array(list.map(\.json))]).bytes)
    }

    private static func deliveryID(_ request: Request) throws -> Int64 {
        let text = request.parameters["id"] ?? ""
        guard let id = Int64(text) else { throw APIError.deliveryNotFound(text) }
        return id
    }

    /// `GET /_emulator/webhooks/deliveries/{id}` → one delivery.
    func delivery(_ request: Request) throws -> Response {
        let id = try Self.deliveryID(request)
        guard let found = try webhooks(request).store.read({ db in try db.webhookDelivery(id: id) }) else {
            throw APIError.deliveryNotFound(String(id))
        }
        return .json(found.json.bytes)
    }

    /// `POST /_emulator/webhooks/deliveries/{id}/replay` → sends it again now and answers the delivery after the
    /// attempt.
    func replay(_ request: Request) throws -> Response {
        let id = try Self.deliveryID(request)
        guard let replayed = try webhooks(request).replay(id: id) else { throw APIError.deliveryNotFound(String(id)) }
        return .json(replayed.json.bytes)
    }

    /// `POST /_emulator/webhooks/flush` → sends everything due now before answering `{"attempted", "delivered"}`.
    func flush(_ request: Request) throws -> Response {
        let (attempted, delivered) = try webhooks(request).flush()
        return .json(
            JSONValue.object(["attempted": .integer(Int64(attempted)), "delivered": .integer(Int64(delivered))]).bytes)
    }
}

extension APIError {
    /// 404 DELIVERY_NOT_FOUND.
    static func deliveryNotFound(_ id: String) -> APIError {
        .notFound("DELIVERY_NOT_FOUND", "webhook delivery \(id) does not exist")
    }
}
