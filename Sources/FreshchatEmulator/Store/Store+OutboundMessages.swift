import SQLite

/// The SQL of the Outbound-messages section (docs L2923–3373): the `outbound_message` and
/// `whatsapp_template_failure` tables (the outbound messages migration) and the seeded `whatsapp_template` and
/// `whatsapp_business_number` tables (migration 1).
extension Database {
    // MARK: - Account configuration (seed)

    /// Whether `phoneNumber` is a WhatsApp business number of the account (docs L2979).
    func isWhatsAppBusinessNumber(_ phoneNumber: String) throws -> Bool {
        try scalarInt("SELECT count(*) FROM whatsapp_business_number WHERE phone_number = ?", [.text(phoneNumber)]) == 1
    }

    /// The account's template with this namespace, name and language code, or nil (also for a seeded document that
    /// is not a template).
    func whatsAppTemplate(namespace: String, name: String, languageCode: String) throws -> WhatsAppTemplate? {
        let doc = try scalarString(
            "SELECT doc FROM whatsapp_template WHERE namespace = ? AND template_name = ? AND language_code = ?",
            [.text(namespace), .text(name), .text(languageCode)])
        return try doc.flatMap { WhatsAppTemplate(json: try JSONParser.parse($0)) }
    }

    // MARK: - The 30-minute rule (docs L3268)

    /// When a message with template `name` last started the 30-minute window, in epoch ms, or nil.
    func templateFailure(name: String) throws -> Int64? {
        try scalar("SELECT failed_on FROM whatsapp_template_failure WHERE template_name = ?", [.text(name)])?
            .int64Value
    }

    /// Starts the 30-minute window of template `name` at `time`.
    func setTemplateFailure(name: String, at time: Int64) throws {
        try execute(
            """
            INSERT INTO whatsapp_template_failure (template_name, failed_on) VALUES (?, ?)
            ON CONFLICT (template_name) DO UPDATE SET failed_on = excluded.failed_on
            """,
            [.text(name), .integer(time)])
    }

    // MARK: - Outbound messages

    /// Inserts a new outbound message; messages of the same millisecond keep their insertion order (`seq`).
    func insert(_ message: OutboundMessage) throws {
        try execute(
            """
            INSERT INTO outbound_message (message_id, request_id, from_phone_number, provider, to_phone_number, data,
                status, created_on, failure_code, failure_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(message.messageID), .text(message.requestID), .text(message.from), .text(message.provider),
                .text(message.to), .text(message.messageTemplate.json.serialized()), .text(message.status.rawValue),
                .integer(message.createdOn), SQLiteValue(message.failure?.code),
                SQLiteValue(message.failure?.reason),
            ])
    }

    /// Stores the status and failure of `message`.
    func updateStatus(of message: OutboundMessage) throws {
        try execute(
            "UPDATE outbound_message SET status = ?, failure_code = ?, failure_reason = ? WHERE message_id = ?",
            [
                .text(message.status.rawValue), SQLiteValue(message.failure?.code),
                SQLiteValue(message.failure?.reason), .text(message.messageID),
            ])
    }

    /// The messages of request `requestID` in status `status`, in the order of the request's `to`.
    func outboundMessages(requestID: String, status: OutboundMessage.Status) throws -> [OutboundMessage] {
        try query(
            "SELECT * FROM outbound_message WHERE request_id = ? AND status = ? ORDER BY seq",
            [.text(requestID), .text(status.rawValue)]
        ).map(OutboundMessage.init(row:))
    }

    /// One page of the outbound messages, all or those of request `requestID`, by `created_on` then by send order,
    /// and how many there are in all.
    func outboundMessages(
        requestID: String?, descending: Bool, limit: Int, offset: Int
    ) throws -> (messages: [OutboundMessage], total: Int) {
        let whereClause = requestID == nil ? "" : " WHERE request_id = ?"
        let args: [SQLiteValue] = requestID.map { [.text($0)] } ?? []
        let total = try scalarInt("SELECT count(*) FROM outbound_message" + whereClause, args) ?? 0
        let direction = descending ? "DESC" : "ASC"
        let rows = try query(
            "SELECT * FROM outbound_message" + whereClause
                + " ORDER BY created_on \(direction), seq \(direction) LIMIT ? OFFSET ?",
            args + [.integer(Int64(limit)), .integer(Int64(offset))])
        return (try rows.map(OutboundMessage.init(row:)), total)
    }
}

extension OutboundMessage {
    /// Reads an `outbound_message` row.
    /// - Throws: `SQLiteError` for a missing column, `APIError` when `data` is not the message template `json` wrote.
    init(row: Row) throws {
        guard case .object(let data) = try JSONParser.parse(try row.string("data")) else {
            throw APIError.badRequest("outbound_message.data is not a message template object")
        }
        let status = try row.string("status")
        let failure = try row.optionalString("failure_code").map { code in
            Failure(code: code, reason: try row.optionalString("failure_reason") ?? "")
        }
        self.init(
            messageID: try row.string("message_id"), requestID: try row.string("request_id"),
            from: try row.string("from_phone_number"), provider: try row.string("provider"),
            to: try row.string("to_phone_number"),
            messageTemplate: try MessageTemplate(Fields(data, path: "data.message_template")),
            status: Status(rawValue: status) ?? .accepted, createdOn: try row.int64("created_on"), failure: failure)
    }
}
