/// The outbound message object (docs L2936–2993): one templated WhatsApp message to one recipient. A request to
/// `POST /v2/outbound-messages/whatsapp` makes one per entry of `to`, all sharing its `request_id`.
///
/// `json` writes the attributes in the order of the list example (docs L3372), where `to` is the one recipient of
/// this message as a user handle object, and `failure_code`/`failure_reason` appear only when the status is Failed
/// (docs L2990).
struct OutboundMessage: Sendable, Equatable {
    /// docs L2985–2990: status "Possible values (enum): Accepted … Sent … Delivered … Failed".
    enum Status: String, Sendable, CaseIterable {
        case accepted = "Accepted"
        case sent = "Sent"
        case delivered = "Delivered"
        case failed = "Failed"
    }

    /// docs L2991–2992: "failure_code … Code that can be cross-referenced with failure_reason to understand why the
    /// request to send an outbound message failed."
    struct Failure: Sendable, Equatable {
        /// `failure_code`.
        var code: String
        /// `failure_reason`.
        var reason: String
    }

    /// docs L2978: "auto-generated when a request to send an outbound message is triggered".
    var messageID: String
    /// docs L2984: the identifier of the request that made this message.
    var requestID: String
    /// docs L2979: the business number the message is sent from.
    var from: String
    /// docs L2980–2981: "Possible value: whatsapp".
    var provider: String
    /// docs L2982: this message's recipient.
    var to: String
    /// docs L2983: "Data posted to the recipient, specified as a message template object."
    var messageTemplate: MessageTemplate
    /// docs L2985.
    var status: Status
    /// docs L2993: "Timestamp of when the request to send the message is triggered"; epoch milliseconds here,
    /// epoch seconds in `json`.
    var createdOn: Int64
    /// docs L2990: present exactly when the status is Failed.
    var failure: Failure?

    /// The outbound message object in the order of the docs' list example (L3372).
    var json: JSONValue {
        var object = JSONObject()
        object["message_id"] = .string(messageID)
        object["from"] = ["phone_number": .string(from)]
        object["provider"] = .string(provider)
        // docs L3372: "to": { "phone_number": "+919999999999" } — the message's one recipient.
        object["to"] = ["phone_number": .string(to)]
        object["data"] = ["message_template": messageTemplate.json]
        object["request_id"] = .string(requestID)
        object["status"] = .string(status.rawValue)
        // docs L2974: "created_on": 1566970961 — epoch seconds.
        object["created_on"] = .integer(Self.epochSeconds(createdOn))
        if let failure {
            object["failure_code"] = .string(failure.code)
            object["failure_reason"] = .string(failure.reason)
        }
        return .object(object)
    }

    /// Epoch milliseconds → whole epoch seconds, rounding down.
    static func epochSeconds(_ millis: Int64) -> Int64 {
        millis >= 0 ? millis / 1000 : (millis - 999) / 1000
    }
}

// MARK: - Failures

extension OutboundMessage.Failure {
    /// docs L2974, L3088, L3372: "failure_code": "OBM001", "failure_reason": "no template exists". Also for a
    /// template that exists but is not approved: only approved templates can be sent (docs L2927, L3268).
    static let noTemplate = Self(code: "OBM001", reason: "no template exists")

    /// OBM002 (emulator-defined): the params sent for a component do not match its placeholders (docs L3041–3052:
    /// "Hi {{1}}, your order no. {{2}} has been placed" takes two body params).
    static func paramsCountMismatch(_ component: String, sent: Int, expected: Int) -> Self {
        Self(
            code: "OBM002",
            reason: "parameter count mismatch: \(component) has \(sent) params, the template expects \(expected)")
    }

    /// OBM003 (emulator-defined): the header sent is not the template's kind of header (docs L3028).
    static func headerMismatch(
        sent: OutboundMessage.MessageTemplate.HeaderType?, expected: OutboundMessage.MessageTemplate.HeaderType?
    ) -> Self {
        func describe(_ type: OutboundMessage.MessageTemplate.HeaderType?) -> String {
            guard let type else { return "no header" }
            return (type == .image ? "an " : "a ") + type.rawValue + " header"
        }
        return Self(
            code: "OBM003",
            reason: "header mismatch: the request has \(describe(sent)), the template \(describe(expected))")
    }

    /// OBM004 (emulator-defined): the template name failed less than 30 minutes before the request (docs L3268).
    static func templateBlocked(_ name: String, failedOn: Int64) -> Self {
        Self(
            code: "OBM004",
            reason: "template \(name) failed at \(Timestamp.format(failedOn)); a message with it can be sent only"
                + " after 30 minutes from that failure, from \(Timestamp.format(failedOn + OutboundMessage.blockMillis))"
        )
    }
}

// MARK: - Sending rules

extension OutboundMessage {
    /// docs L3268: "If the request to send a templated message contains an incorrect template name, the request
    /// fails. If a template with the name specified in the request is approved, you can send a message with the
    /// approved template name only after 30 minutes from the initial failure."
    static let blockMillis: Int64 = 30 * 60 * 1000

    /// Why this message cannot be sent, or nil when it can.
    /// - Parameters:
    ///   - template: the account's template with the message's namespace, name and language code, if any.
    ///   - lastFailure: when a message with this template name last started the 30-minute window (epoch ms).
    /// Checks in order: the template exists and is approved (OBM001); the 30-minute rule (OBM004), for requests made
    /// before the window closed; the header kind (OBM003); the params of header, body and button (OBM002).
    func failure(template: WhatsAppTemplate?, lastFailure: Int64?) -> Failure? {
        guard let template, template.isApproved else { return .noTemplate }
        if let lastFailure, createdOn < lastFailure + Self.blockMillis {
            return .templateBlocked(messageTemplate.templateName, failedOn: lastFailure)
        }
        let header = messageTemplate.header
        switch (header?.type, template.header?.type) {
        case (nil, nil), (nil, .text?):
            break  // a text header without placeholders need not be sent
        case (let sent?, let expected?) where sent == expected:
            break
        case (let sent, let expected):
            return .headerMismatch(sent: sent, expected: expected)
        }
        let counts = [
            ("header", header?.params?.count ?? 0, template.header?.paramsCount ?? 0),
            ("body", messageTemplate.bodyParams?.count ?? 0, template.bodyParamsCount),
            ("button", messageTemplate.richTemplateData?.button?.params?.count ?? 0, template.buttonParamsCount),
        ]
        for (component, sent, expected) in counts where sent != expected {
            return .paramsCountMismatch(component, sent: sent, expected: expected)
        }
        return nil
    }
}

// MARK: - Lifecycle

extension OutboundMessage {
    /// The lifecycle of one message as a pure state machine: Accepted → Sent → Delivered, or Accepted → Failed
    /// (docs L2985–2990). Each transition returns the action that happened, or nil when the message is not in the
    /// state the transition starts from (it is left unchanged). No store, no clock: the owner stores the result.
    struct Machine: Sendable, Equatable {
        /// The status.
        private(set) var status: Status
        /// The failure, present exactly when the status is Failed.
        private(set) var failure: Failure?

        /// A machine in a given state; a new message is Accepted.
        init(_ status: Status = .accepted, failure: Failure? = nil) {
            self.status = status
            self.failure = status == .failed ? failure : nil
        }

        /// Something that happened to the message.
        enum Action: Sendable, Equatable {
            case sent
            case failed(Failure)
            case delivered
        }

        /// Hands an Accepted message to the provider: Sent when `failure` is nil, else Failed with it.
        mutating func send(failing failure: Failure?) -> Action? {
            guard status == .accepted else { return nil }
            if let failure {
                status = .failed
                self.failure = failure
                return .failed(failure)
            }
            status = .sent
            return .sent
        }

        /// The provider reports a Sent message delivered.
        mutating func deliver() -> Action? {
            guard status == .sent else { return nil }
            status = .delivered
            return .delivered
        }
    }

    /// This message's state as a machine.
    var machine: Machine {
        get { Machine(status, failure: failure) }
        set {
            status = newValue.status
            failure = newValue.failure
        }
    }
}
