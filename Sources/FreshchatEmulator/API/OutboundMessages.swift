import HTTP
import SQLite

/// The Outbound-messages section of the docs (L2923–3373): templated WhatsApp messages sent by the business. A send
/// request is answered 202 at once; each message is then handed to the provider by an `outbound_message.send` job
/// one async delay later (Accepted → Sent, or Failed) and reported delivered by an `outbound_message.deliver` job one
/// more delay later (Sent → Delivered).
struct OutboundMessagesAPI {
    let emulator: Emulator

    /// Job kinds finishing the 202 flow of this section.
    enum JobKind {
        /// Hands a request's Accepted messages to the provider: Sent, or Failed with a failure code.
        static let send = "outbound_message.send"
        /// Reports a request's Sent messages Delivered.
        static let deliver = "outbound_message.deliver"
    }

    /// The list rules of `GET /v2/outbound-messages`. docs L3327: "returns 200 along with all outbound messages from
    /// the Freshchat account, as an array", so a page holds as many as the largest page of the other lists (100,
    /// docs L339); oldest first, a request's messages in the order of its `to`.
    static let listRules = Pagination.Rules(
        defaultItemsPerPage: 100, maxItemsPerPage: 100, sortFields: ["created_on"], defaultSortBy: "created_on")

    /// Routes, spelled as in the docs (L2933–2934) with the `/v2` prefix of the requests (L3271, L3307), and the
    /// jobs that finish the 202 flow.
    func register(on router: Router) {
        router.add(.post, "/v2/outbound-messages/whatsapp", send)
        router.add(.get, "/v2/outbound-messages", list)
        emulator.jobs.register(JobKind.send, Self.sendMessages)
        emulator.jobs.register(JobKind.deliver, Self.deliverMessages)
    }

    // MARK: - Send outbound messages

    /// The request body: the outbound message object without its response attributes (docs L2978–2993, example
    /// L3278). Members the docs do not define, and the response attributes (`message_id`, `request_id`, `status`,
    /// `created_on`, `failure_*`, as the docs' payload examples L3088 carry them), are ignored.
    struct SendRequest {
        var from: String
        var to: [String]
        var messageTemplate: OutboundMessage.MessageTemplate

        /// - Throws: `APIError` 400 naming the first invalid member by its dotted path.
        init(_ body: Fields) throws(APIError) {
            // docs L2979: "from mandatory user handle object".
            guard let from = try body.object("from") else { throw .badRequest("from is mandatory (docs L2979)") }
            self.from = try OutboundMessagesAPI.phoneNumber(from)
            // docs L2980–2981: "providermandatory string … Possible value: whatsapp".
            guard let provider = try body.string("provider") else {
                throw .badRequest("provider is mandatory (docs L2980)")
            }
            guard provider == OutboundMessagesAPI.provider else {
                throw .badRequest(
                    "provider must be whatsapp, not '\(provider)' (docs L2981: \"Possible value: whatsapp\")")
            }
            // docs L2982: "tomandatory array of user handle objects".
            guard let recipients = try body.array("to") else { throw .badRequest("to is mandatory (docs L2982)") }
            guard !recipients.isEmpty else { throw .badRequest("to must hold at least one recipient (docs L2982)") }
            to = []
            for (index, recipient) in recipients.enumerated() {
                guard case .object(let object) = recipient else {
                    throw .badRequest(
                        "to[\(index)] must be a user handle object {\"phone_number\": …}, not \(recipient.typeName)")
                }
                to.append(try OutboundMessagesAPI.phoneNumber(Fields(object, path: "to[\(index)]")))
            }
            // docs L2983: "datamandatory data object … specified as a message template object".
            guard let data = try body.object("data") else { throw .badRequest("data is mandatory (docs L2983)") }
            guard let template = try data.object("message_template") else {
                throw .badRequest("\(data.name("message_template")) is mandatory (docs L2983)")
            }
            messageTemplate = try OutboundMessage.MessageTemplate(template)
        }
    }

    /// docs L2981: the one provider.
    static let provider = "whatsapp"

    /// The `phone_number` of a user handle object (docs L2998): E.164, a `+` then 8–15 digits, the first not 0, as
    /// every number in the docs is written (`+919999999999`, L2974–3372).
    /// - Throws: `APIError` 400 naming `<path>.phone_number`.
    static func phoneNumber(_ handle: Fields) throws(APIError) -> String {
        let number = try handle.requiredString("phone_number")
        let digits = number.utf8.dropFirst()
        guard number.utf8.first == UInt8(ascii: "+"), (8...15).contains(digits.count),
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            digits.first != UInt8(ascii: "0")
        else {
            throw .badRequest(
                "\(handle.name("phone_number")) must be an E.164 number, + and 8 to 15 digits such as +919999999999"
                    + " (docs L3278), not '\(number)'")
        }
        return number
    }

    /// Send outbound messages: docs L3265, `POST /v2/outbound-messages/whatsapp`.
    /// docs L3281: "A successful request returns 202 along with the following response object." (L3291). One
    /// outbound message per recipient, each with its own `message_id` (L2978), all with the request's `request_id`
    /// (L2984), Accepted until the `outbound_message.send` job runs one async delay later; the template is checked
    /// then, so an unknown one gives Failed messages, not a 400 (docs L2974: "status": "Failed", "failure_code":
    /// "OBM001"). The `outbound_message.deliver` job one more delay later delivers the Sent ones.
    func send(_ request: Request) throws -> Response {
        let body = try SendRequest(Fields(try request.jsonObject()))
        let now = emulator.clock.now()
        let delay = max(0, emulator.config.asyncDelayMillis)
        let requestID = try emulator.store.write { db in
            // docs L2979: from is the "Business number integrated with the Freshchat account".
            guard try db.isWhatsAppBusinessNumber(body.from) else {
                throw APIError.badRequest(
                    "from.phone_number: \(body.from) is not a WhatsApp business number integrated with this account"
                        + " (docs L2979)")
            }
            let requestID = emulator.ids.next()
            for recipient in body.to {
                try db.insert(
                    OutboundMessage(
                        messageID: emulator.ids.next(), requestID: requestID, from: body.from, provider: Self.provider,
                        to: recipient, messageTemplate: body.messageTemplate, status: .accepted, createdOn: now))
            }
            let payload: JSONValue = ["request_id": .string(requestID)]
            try emulator.jobs.enqueue(
                db, kind: JobKind.send, payload: payload, id: emulator.ids.next(), now: now, delayMillis: delay)
            try emulator.jobs.enqueue(
                db, kind: JobKind.deliver, payload: payload, id: emulator.ids.next(), now: now, delayMillis: 2 * delay)
            return requestID
        }
        // docs L3296: request_process_time "Time taken to process the request, specified in seconds" — the async
        // delay after which the messages are processed, in whole seconds (the docs' "1" with the default delay).
        // docs L3297–3300: link "Reference to the request", href "Reference to access the request": the list of
        // the request's messages (L3316: GET /outbound-messages?request_id=…).
        let accepted: JSONValue = [
            "request_id": .string(requestID), "request_process_time": .string(String((delay + 999) / 1000)),
            "link": [
                "rel": "outbound_messages",
                "href": .string("/v2/outbound-messages?request_id=" + PercentDecoding.encodeQueryComponent(requestID)),
            ],
        ]
        return .json(accepted.bytes, status: .accepted)
    }

    /// The `outbound_message.send` job: each Accepted message of the request becomes Sent, or Failed with the reason
    /// `OutboundMessage.failure` gives. A message that fails because its template does not exist starts the 30-minute
    /// window of that template name (docs L3268), unless one is already open: the window counts "from the initial
    /// failure".
    @Sendable static func sendMessages(_ db: Database, _ payload: JSONValue, _ now: Int64) throws {
        guard let requestID = payload["request_id"]?.stringValue else {
            throw JobError(message: "\(JobKind.send) without request_id")
        }
        for var message in try db.outboundMessages(requestID: requestID, status: .accepted) {
            let name = message.messageTemplate.templateName
            let template = try db.whatsAppTemplate(
                namespace: message.messageTemplate.namespace, name: name,
                languageCode: message.messageTemplate.language.code)
            let lastFailure = try db.templateFailure(name: name)
            let failure = message.failure(template: template, lastFailure: lastFailure)
            guard message.machine.send(failing: failure) != nil else { continue }
            try db.updateStatus(of: message)
            if failure == .noTemplate, lastFailure.map({ now >= $0 + OutboundMessage.blockMillis }) ?? true {
                try db.setTemplateFailure(name: name, at: now)
            }
        }
    }

    /// The `outbound_message.deliver` job: each Sent message of the request becomes Delivered.
    @Sendable static func deliverMessages(_ db: Database, _ payload: JSONValue, _ now: Int64) throws {
        guard let requestID = payload["request_id"]?.stringValue else {
            throw JobError(message: "\(JobKind.deliver) without request_id")
        }
        for var message in try db.outboundMessages(requestID: requestID, status: .sent) {
            guard message.machine.deliver() != nil else { continue }
            try db.updateStatus(of: message)
        }
    }

    // MARK: - List all outbound messages

    /// List all outbound messages: docs L3302, `GET /v2/outbound-messages`.
    /// docs L3313–3314: request_id "limits the bulk response to only outbound messages associated with a specific
    /// request" — a filter, so an unknown request_id gives an empty list, not 404. docs L3327: "A successful request
    /// returns 200 along with all outbound messages from the Freshchat account, as an array." (L3372), with the shared
    /// `pagination` and `links`.
    func list(_ request: Request) throws -> Response {
        let query = request.query
        let pagination = try Pagination(query, rules: Self.listRules)
        let (messages, total) = try emulator.store.read { db in
            try db.outboundMessages(
                requestID: query["request_id"], descending: pagination.sortOrder == .desc,
                limit: pagination.itemsPerPage, offset: pagination.offset)
        }
        let body = pagination.response(
            key: "outbound_messages", items: messages.map(\.json), total: total, path: "/v2/outbound-messages",
            rel: "outbound_message")
        return .json(body.bytes)
    }
}
