import HTTP
import SQLite

/// `GET /_emulator/ui`: the demo page (issue #11) — the customer's chat widget, an agent console and the webhook
/// deliveries and API requests of one conversation. Plain HTML, CSS and JavaScript from `ui/`, embedded in the binary
/// by `scripts/embed-ui` (`EmbeddedUI.swift`), so `swift run`, a release binary and docker all serve it. Served
/// without a bearer token, like `/_emulator/health`: a browser cannot send one when it opens a page. The page itself
/// calls the public `/v2` API with the token it is given (`?token=`, default the first `--token`, else `demo-token`,
/// which an emulator without `--token` accepts).
struct DemoPageAPI {
    let emulator: Emulator

    /// The Content-Security-Policy of every file of the page: scripts, styles and requests only from the emulator
    /// itself; images also from elsewhere, since a message's image part may point anywhere (docs L896: "url … Link
    /// to the location from where the image can be retrieved").
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: http: https:;"
        + " form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

    /// The token the page uses when neither `?token=` nor `--token` names one; accepted when `--token` is not given.
    static let fallbackToken = "demo-token"

    func register(on router: Router) {
        router.add(.get, "/_emulator/ui", page)
        router.add(.get, "/_emulator/ui/app.js", script)
        router.add(.get, "/_emulator/ui/app.css", style)
    }

    /// → the page, with the API token and whether workspaces are on in `<meta>` elements (no inline script: the
    /// CSP forbids it).
    func page(_ request: Request) throws -> Response {
        let token = request.query["token"].flatMap { $0.isEmpty ? nil : $0 }
        let html = Self.render(
            EmbeddedUI.indexHTML, token: token ?? emulator.config.tokens.first ?? Self.fallbackToken,
            workspaces: emulator.config.workspaces, adminTokenRequired: emulator.config.adminToken != nil)
        return Self.file(html, type: "text/html; charset=utf-8")
    }

    /// → `ui/app.js`.
    func script(_ request: Request) throws -> Response {
        Self.file(EmbeddedUI.appJS, type: "text/javascript; charset=utf-8")
    }

    /// → `ui/app.css`.
    func style(_ request: Request) throws -> Response {
        Self.file(EmbeddedUI.appCSS, type: "text/css; charset=utf-8")
    }

    /// `index.html` with its placeholders filled in, each value escaped for an HTML attribute.
    static func render(_ html: String, token: String, workspaces: Bool, adminTokenRequired: Bool) -> String {
        html.replacing("{{TOKEN}}", with: escapeAttribute(token))
            .replacing("{{WORKSPACES}}", with: workspaces ? "true" : "false")
            .replacing("{{ADMIN_TOKEN_REQUIRED}}", with: adminTokenRequired ? "true" : "false")
    }

    /// `text` safe inside a double-quoted HTML attribute.
    static func escapeAttribute(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func file(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                "Content-Type": type, "Cache-Control": "no-cache", "Content-Security-Policy": contentSecurityPolicy,
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            ],
            body: Array(text.utf8))
    }
}

/// `GET /_emulator/conversations`: every conversation of a workspace, most recently updated first. The public API has
/// no such list (only `GET /v2/users/{user_id}/conversations`), so the demo page reads its conversation list here;
/// everything it changes goes through `/v2`.
struct ConversationListAPI {
    let host: EmulatorHost

    /// The most conversations one call lists.
    static let maxLimit = 500

    func register(on router: Router) {
        router.add(.get, "/_emulator/conversations", list)
    }

    /// `GET /_emulator/conversations?status=&limit=` → `{"conversations": [...]}`: each the conversation object as
    /// `GET /v2/conversations/{id}` answers it, plus `users` (`[{"id"}]`, in order) and `last_message` (the newest
    /// message object, or null).
    func list(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let query = request.query
        let status = try query["status"].flatMap { text throws(APIError) -> ConversationStatus? in
            if text.isEmpty { return nil }
            guard let status = ConversationStatus(rawValue: text) else {
                let names = ConversationStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRequest("status must be one of \(names), not '\(text)'")
            }
            return status
        }
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw APIError.badRequest("limit must be an integer from 1 to \(Self.maxLimit), not '\(text)'")
            }
            limit = value
        }
        let items = try workspace.emulator.store.read { db in
            try db.conversationSummaries(status: status, limit: limit)
        }
        return .json(JSONValue.object(["conversations": .array(items)]).bytes)
    }
}

extension Database {
    /// Conversations (with `status` when given), most recently updated first, each with its users and last message.
    func conversationSummaries(status: ConversationStatus?, limit: Int) throws -> [JSONValue] {
        var sql = "SELECT id FROM conversation"
        var arguments: [SQLiteValue] = []
        if let status {
            sql += " WHERE status = ?"
            arguments.append(.text(status.rawValue))
        }
        sql += " ORDER BY updated_time DESC, created_time DESC, id LIMIT ?"
        arguments.append(.integer(Int64(limit)))
        let ids = try query(sql, arguments).map { try $0.string("id") }
        return try ids.compactMap { id -> JSONValue? in
            guard let conversation = try conversation(id: id) else { return nil }
            var object = conversation.json().objectValue ?? JSONObject()
            object["users"] = .array(try conversationUserIDs(id).map { ["id": .string($0)] })
            let last = try messages(conversationID: id, from: nil, ascending: false, limit: 1, offset: 0).first
            object["last_message"] = last?.json ?? .null
            return .object(object)
        }
    }
}
