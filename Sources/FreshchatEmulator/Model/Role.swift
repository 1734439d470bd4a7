/// The role object (docs L2833–2850): the privileges an agent has, a default role or a custom one.
public struct Role: Sendable, Equatable {
    /// docs L2846: "Identifier of the role object" — `ACCOUNT_ADMIN`, `ADMIN`, `AGENT` for the default roles, a UUID
    /// for a custom one (L2920).
    public var id: String
    /// docs L2847: "Name of the role."
    public var name: String
    /// docs L2848: "Specifies whether the role is a custom role."
    public var isCustomRole: Bool
    /// docs L2850: "Meaningful description about the role."
    public var description: String?

    /// Creates a role.
    public init(id: String, name: String, isCustomRole: Bool, description: String?) {
        self.id = id
        self.name = name
        self.isCustomRole = isCustomRole
        self.description = description
    }

    /// The role object in the docs' attribute order (L2842).
    public var json: JSONValue {
        var object = JSONObject()
        object["id"] = .string(id)
        object["name"] = .string(name)
        object["is_custom_role"] = .bool(isCustomRole)
        if let description { object["description"] = .string(description) }
        return .object(object)
    }

    /// Reads a stored role object (the seed's `roles.json` item); `is_custom_role` defaults to false.
    /// - Throws: `APIError` 500 naming the member that is missing or of the wrong type.
    public init(document: JSONValue) throws(APIError) {
        guard case .object(let object) = document else { throw Self.broken("the document must be an object") }
        let fields = Fields(object, path: "role")
        do throws(APIError) {
            id = try fields.requiredString("id")
            name = try fields.requiredString("name")
            isCustomRole = try fields.bool("is_custom_role") ?? false
            description = try fields.string("description")
        } catch {
            throw Self.broken(error.message)
        }
    }

    /// A 500: the stored role (seed data) is broken, which no request can fix.
    static func broken(_ message: String) -> APIError {
        APIError(.internalServerError, message: "a role in the store is malformed: \(message)")
    }
}
