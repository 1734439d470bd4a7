import HTTP
import SQLite

/// List all conversation properties (docs L1700–1814): the conversation property fields configured for the account.
struct ConversationFieldsAPI {
    let emulator: Emulator

    /// docs L716 (`GET /conversations/fields`); the literal `fields` wins over `{conversation_id}` in the router.
    func register(on router: Router) {
        router.add(.get, "/v2/conversations/fields", list)
    }

    /// docs L1720: "the default conversation properties group, agent, and status are not retrieved as part of the
    /// response object. Only priority is retrieved as part of the response object along with the custom properties."
    static let defaultPropertiesNotListed: Set<String> = ["group", "agent", "status"]

    /// List all conversation properties: docs L1700, `GET /v2/conversations/fields`.
    /// docs L1718: "A successful request returns 200 OK along with the details of all the conversation properties'
    /// fields configured for the account, as an array."
    func list(_ request: Request) throws -> Response {
        let fields = try emulator.store.read { db in try db.conversationFieldDocuments() }
        let listed = fields.filter { !Self.defaultPropertiesNotListed.contains($0["name"]?.stringValue ?? "") }
        return .json(JSONValue.array(listed).bytes)
    }
}
