import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// Request bodies of the Outbound-messages section (docs L2923–3373) and the seeded WhatsApp account
/// (seed/whatsapp_templates.json).
enum Outbound {
    /// The seeded business number, the docs' `+919999999999`.
    static let business = "+919999999999"
    /// The namespace of every seeded template (docs L3278).
    static let namespace = "cdb2df51_9816_c754_c5a4_64cdabdcad3f"
    /// The send path (docs L3271).
    static let path = "/v2/outbound-messages/whatsapp"

    /// The body of the docs' sample request (L3278), verbatim: seeded template `hello_world` (en_US, a text header
    /// with one param, a body with one param).
    static let docsRequest = """
        { "from": { "phone_number": "+919999999999" }, "provider": "whatsapp", "to": [ { "phone_number": "+919999999999" } ], "data": { "message_template": { "storage": "none", "template_name": "hello_world", "namespace": "cdb2df51_9816_c754_c5a4_64cdabdcad3f", "language": { "policy": "deterministic", "code": "en_US" }, "rich_template_data": { "header": { "type": "text", "params": [ { "data": "John Doe" } ] }, "body": { "params": [ {"data": "XYZ"} ] } } } } }
        """

    /// The docs' sample request (L3278), to `recipients`, with `changes` applied (see `JSONValue.setting`).
    static func make(to recipients: [String] = [business], _ changes: [(String, JSONValue?)] = []) -> JSONValue {
        var body = (try? JSONParser.parse(docsRequest)) ?? .null
        body = body.setting("to", .array(recipients.map { ["phone_number": .string($0)] }))
        for (path, value) in changes { body = body.setting(path, value) }
        return body
    }

    /// The message template object of `make()` at `data.message_template`, with `changes` relative to it.
    static func template(_ changes: [(String, JSONValue?)]) -> JSONValue {
        make(changes.map { ("data.message_template." + $0.0, $0.1) })
    }

    /// A body for template `name` in language `code` of the seeded namespace with `rich` as rich_template_data.
    static func using(_ name: String, code: String = "en_US", rich: JSONValue) -> JSONValue {
        template([("template_name", .string(name)), ("language.code", .string(code)), ("rich_template_data", rich)])
    }

    /// `[{"data": "p1"}, …]` with `count` items.
    static func params(_ count: Int) -> JSONValue {
        .array((0..<count).map { ["data": .string("p\($0 + 1)")] })
    }
}

extension JSONValue {
    /// This value with the member at a dotted `path` (`data.message_template.language.code`, `to[0].phone_number`)
    /// set to `value`, or removed when `value` is nil. Missing objects on the way are created.
    func setting(_ path: String, _ value: JSONValue?) -> JSONValue {
        setting(path.split(separator: ".").map(String.init)[...], value)
    }

    private func setting(_ keys: ArraySlice<String>, _ value: JSONValue?) -> JSONValue {
        guard let first = keys.first else { return value ?? .null }
        if let open = first.firstIndex(of: "["), let index = Int(first[first.index(after: open)...].dropLast()) {
            let key = String(first[..<open])
            var items = self[key]?.arrayValue ?? []
            guard items.indices.contains(index) else { return self }
            items[index] = items[index].setting(keys.dropFirst(), value)
            return setting([key][...], .array(items))
        }
        var object = objectValue ?? JSONObject()
        if keys.count == 1 {
            object[first] = value
        } else {
            object[first] = (object[first] ?? .object(JSONObject())).setting(keys.dropFirst(), value)
        }
        return .object(object)
    }
}

extension TestEmulator {
    /// `POST /v2/outbound-messages/whatsapp` with `body`.
    func sendOutbound(_ body: JSONValue) -> TestResponse {
        send(.post, Outbound.path, body: body.serialized())
    }

    /// The `request_id` of a send of `body`; records an issue unless the answer is 202.
    func outboundRequest(_ body: JSONValue = Outbound.make(), sourceLocation: SourceLocation = #_sourceLocation)
        -> String
    {
        let response = sendOutbound(body)
        #expect(response.code == 202, "\(response.text)", sourceLocation: sourceLocation)
        return response.json["request_id"]?.stringValue ?? ""
    }

    /// `GET target`; records an issue unless 200.
    func listOutbound(_ target: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(.get, target)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// The outbound messages of request `requestID` (docs L3316: `GET /outbound-messages?request_id=…`).
    func outboundMessages(_ requestID: String, sourceLocation: SourceLocation = #_sourceLocation) -> [JSONValue] {
        listOutbound("/v2/outbound-messages?request_id=\(requestID)", sourceLocation: sourceLocation)[
            "outbound_messages"]?.arrayValue ?? []
    }

    /// The `status` of each message of request `requestID`.
    func outboundStatuses(_ requestID: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        outboundMessages(requestID, sourceLocation: sourceLocation).map { $0["status"]?.stringValue ?? "?" }
    }

    /// The `failure_code` and `failure_reason` of the one message of `requestID`, nil when it has none.
    func outboundFailure(_ requestID: String, sourceLocation: SourceLocation = #_sourceLocation) -> (
        code: String, reason: String
    )? {
        let messages = outboundMessages(requestID, sourceLocation: sourceLocation)
        #expect(messages.count == 1, sourceLocation: sourceLocation)
        guard let code = messages.first?["failure_code"]?.stringValue else { return nil }
        return (code, messages.first?["failure_reason"]?.stringValue ?? "")
    }

    /// Sends `body`, runs the send job (one async delay) and returns the message's failure code, or its status
    /// when it did not fail.
    func outcome(of body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let id = outboundRequest(body, sourceLocation: sourceLocation)
        try advance()
        return outboundFailure(id, sourceLocation: sourceLocation)?.code
            ?? outboundStatuses(id, sourceLocation: sourceLocation).first ?? "?"
    }
}

extension Outbound {
    /// A seeded template document (seed/whatsapp_templates.json shape) in the seeded namespace.
    static func seededTemplate(
        _ name: String, code: String = "en_US", status: String = "APPROVED", header: JSONValue = .null,
        bodyParams: Int64, buttonParams: Int64? = nil
    ) -> JSONValue {
        [
            "template_name": .string(name), "namespace": .string(namespace), "language_code": .string(code),
            "status": .string(status), "header": header,
            "body": ["text": "Your order is on its way.", "params_count": .integer(bodyParams)],
            "button": buttonParams.map {
                ["subType": "url", "url": "https://example.com/{{1}}", "params_count": .integer($0)]
            }
                ?? .null,
        ]
    }

    /// `order_update`: a plain text template, no header, two body params, with `status`.
    static func orderUpdate(status: String = "APPROVED") -> JSONValue {
        seededTemplate("order_update", status: status, bodyParams: 2)
    }
}

extension TestEmulator {
    /// An emulator whose seed has, besides the default templates, `templates`.
    static func with(templates: [JSONValue]) throws -> TestEmulator {
        var files = Seed.embedded.files
        var document = try JSONParser.parse(files["whatsapp_templates.json"] ?? "{}")
        document = document.setting("templates", .array((document["templates"]?.arrayValue ?? []) + templates))
        files["whatsapp_templates.json"] = document.serialized()
        return try TestEmulator(seed: Seed(files: files))
    }

    /// Sets the seeded `status` of template `name`, as the provider approving it would (docs L2927).
    func setTemplateStatus(_ name: String, _ status: String) throws {
        try emulator.store.write { db in
            try db.execute(
                "UPDATE whatsapp_template SET doc = json_set(doc, '$.status', ?) WHERE template_name = ?",
                [.text(status), .text(name)])
            #expect(db.changes == 1)
        }
    }
}
