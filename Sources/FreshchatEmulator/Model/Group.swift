/// The group object (docs L2376–2410): a team of agents that conversations are assigned to.
public struct Group: Sendable, Equatable {
    /// docs L2393–2399: routing_type, "Type of auto-routing associated with the group."
    public enum RoutingType: String, Sendable, CaseIterable {
        /// docs L2395: "The auto-routing mechanism that assigns conversations to the group is IntelliAssign."
        case intelliAssign = "INTELLIASSIGN"
        /// docs L2396: "… is Omni-channel routing."
        case ocr = "OCR"
        /// docs L2397: "Auto-assignment through IntelliAssign/omniroute is disabled."
        case disabled = "DISABLED"
    }

    /// docs L2400–2410: routing_logic, "Routing logic based on which conversations are auto-assigned."
    public enum RoutingLogic: String, Sendable, CaseIterable {
        /// docs L2402: "If auto-routing through Intelliassign/Omiroute is disabled for all groups (at account level)".
        case disabled = "DISABLED"
        /// docs L2405–2406: the IntelliAssign logics.
        case loadBased = "LOAD_BASED"
        case roundRobin = "ROUND_ROBIN"
        /// docs L2409: "If routing_type is OCR, the routing_logic is OCR."
        case ocr = "OCR"
    }

    /// docs L2390: "Identifier of the group".
    public var id: String
    /// docs L2391: "Name of the group."
    public var name: String
    /// docs L2392: "Meaningful description about the group."
    public var description: String?
    public var routingType: RoutingType
    public var routingLogic: RoutingLogic

    /// Creates a group.
    public init(
        id: String, name: String, description: String?, routingType: RoutingType, routingLogic: RoutingLogic
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.routingType = routingType
        self.routingLogic = routingLogic
    }

    /// The group object in the docs' attribute order (L2386). A group without a description has none.
    public var json: JSONValue {
        var object = JSONObject()
        object["id"] = .string(id)
        object["name"] = .string(name)
        if let description { object["description"] = .string(description) }
        object["routing_type"] = .string(routingType.rawValue)
        object["routing_logic"] = .string(routingLogic.rawValue)
        return .object(object)
    }

    /// Reads a stored group object (the seed's `groups.json` item).
    /// - Throws: `APIError` 500 naming the member that is missing or not a documented value.
    public init(document: JSONValue) throws(APIError) {
        guard case .object(let object) = document else { throw Self.broken("the document must be an object") }
        let fields = Fields(object, path: "group")
        do throws(APIError) {
            id = try fields.requiredString("id")
            name = try fields.requiredString("name")
            description = try fields.string("description")
            let type = try fields.requiredString("routing_type")
            guard let routingType = RoutingType(rawValue: type) else {
                throw Self.broken("group \(id): routing_type '\(type)' is not INTELLIASSIGN, OCR or DISABLED")
            }
            self.routingType = routingType
            let logic = try fields.requiredString("routing_logic")
            guard let routingLogic = RoutingLogic(rawValue: logic) else {
                throw Self.broken(
                    "group \(id): routing_logic '\(logic)' is not DISABLED, LOAD_BASED, ROUND_ROBIN or OCR")
            }
            self.routingLogic = routingLogic
        } catch {
            throw error.httpStatus == .badRequest ? Self.broken(error.message) : error
        }
    }

    /// A 500: the stored group (seed data) is broken, which no request can fix.
    static func broken(_ message: String) -> APIError {
        APIError(.internalServerError, message: "a group in the store is malformed: \(message)")
    }
}
