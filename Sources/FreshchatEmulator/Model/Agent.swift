/// An agent: one of "the organization’s members who use Freshchat to converse with their customers" (docs L1818).
/// Fields carry the docs' attribute names (the agent object, docs L1831–1927).
///
/// `json` writes every attribute of the docs' table (L1874–1927) in the table's order, which is the order of the
/// object example (L1870) with `phone` and `scope`, which the example lacks, where the table puts them. A string the
/// agent has no value for is `""`, as the example's `"freshid_uuid": ""` and `"org_contact_id": ""` (L1870); `avatar`
/// is `{}` without a url, as in the list example (L2042).
struct Agent: Sendable, Equatable {
    /// docs L1882–1884: "availability_status string Status of the agent’s availability for conversation
    /// auto-assignment. Possible values: AVAILABLE, UNAVAILABLE Default value: AVAILABLE".
    enum Availability: String, Sendable, CaseIterable {
        case available = "AVAILABLE"
        case unavailable = "UNAVAILABLE"
    }

    /// docs L1877–1881: "agent_status object Omniroute, Intelliassign, or Custom status of the agent. … id (string):
    /// Identifier of custom status … name (string): Status message." IntelliAssign/OCR states have a name only
    /// (L1870, L2042); custom states have both (L2336).
    struct Status: Sendable, Equatable {
        /// The custom status's id (docs L1880); nil for an IntelliAssign/OCR state.
        var id: String?
        /// The status message (docs L1881).
        var name: String
    }

    /// docs L1922–1926: "social_profiles array of objects … id (string): User handle of the agent’s social profile.
    /// type (string): Name of the social media platform."
    struct SocialProfile: Sendable, Equatable {
        /// One of `Agent.socialProfileTypes`.
        var type: String
        /// The handle.
        var id: String
    }

    /// docs L1926: "Possible values: facebook, twitter, skype, linkedin".
    static let socialProfileTypes = ["facebook", "twitter", "skype", "linkedin"]

    /// docs L1874.
    var id: String
    /// docs L1875, epoch milliseconds.
    var createdTime: Int64
    /// docs L1876: "Number of active conversations that the agent can handle"; 0 for a new agent, as in L1870.
    var agentCapacity: Int64 = 0
    /// docs L1877.
    var agentStatus: Status
    /// docs L1882.
    var availabilityStatus: Availability
    /// docs L1885–1887: "avatar object … url (string)".
    var avatarURL: String?
    /// docs L1888.
    var biography = ""
    /// docs L1889.
    var email: String
    /// docs L1890.
    var firstName = ""
    /// docs L1891: ids in Freshworks' master record; the emulator has none to give.
    var freshidGroupIDs: [String] = []
    /// docs L1892.
    var freshidUUID = ""
    /// docs L1893: "Identifiers (in the Freshchat system) of the groups to which the agent belongs".
    var groups: [String] = []
    /// docs L1894.
    var isDeactivated = false
    /// docs L1896.
    var isDeleted = false
    /// docs L1898.
    var lastName = ""
    /// docs L1899.
    var licenseType = ""
    /// docs L1900.
    var locale = ""
    /// docs L1901.
    var loginStatus = false
    /// docs L1903.
    var orgContactID = ""
    /// docs L1904.
    var phone = ""
    /// docs L1905; `""` when the agent has no role.
    var roleID = ""
    /// docs L1906: the name of the role `roleID` names.
    var roleName = ""
    /// docs L1908–1913; the examples spell it `INTELLIASSIGN` (L1870, L2042).
    var routingType = "INTELLIASSIGN"
    /// docs L1914–1919.
    var scope = Agent.scope(forRole: "")
    /// docs L1920.
    var skillID = ""
    /// docs L1922.
    var socialProfiles: [SocialProfile] = []
    /// docs L1927.
    var timezone = ""

    /// A new agent with the documented defaults: AVAILABLE (docs L1884), so active on its routing (IntelliAssign, as
    /// every example, L1870, L2042), not deactivated, not deleted, not logged in, and no role (scope None, L1919).
    init(id: String, createdTime: Int64, email: String) {
        self.id = id
        self.createdTime = createdTime
        self.email = email
        availabilityStatus = .available
        agentStatus = Agent.routingStatus(routingType: "INTELLIASSIGN", availability: .available)
    }

    /// The agent object, every attribute of docs L1874–1927 in that order.
    var json: JSONValue {
        var object = JSONObject()
        object["id"] = .string(id)
        object["created_time"] = .string(Timestamp.format(createdTime))
        object["agent_capacity"] = .integer(agentCapacity)
        object["agent_status"] = agentStatus.json
        object["availability_status"] = .string(availabilityStatus.rawValue)
        object["avatar"] = .object(avatarURL.map { ["url": .string($0)] } ?? JSONObject())
        object["biography"] = .string(biography)
        object["email"] = .string(email)
        object["first_name"] = .string(firstName)
        object["freshid_group_ids"] = .array(freshidGroupIDs.map { .string($0) })
        object["freshid_uuid"] = .string(freshidUUID)
        object["groups"] = .array(groups.map { .string($0) })
        object["is_deactivated"] = .bool(isDeactivated)
        object["is_deleted"] = .bool(isDeleted)
        object["last_name"] = .string(lastName)
        object["license_type"] = .string(licenseType)
        object["locale"] = .string(locale)
        object["login_status"] = .bool(loginStatus)
        object["org_contact_id"] = .string(orgContactID)
        object["phone"] = .string(phone)
        object["role_id"] = .string(roleID)
        object["role_name"] = .string(roleName)
        object["routing_type"] = .string(routingType)
        object["scope"] = .string(scope)
        object["skill_id"] = .string(skillID)
        object["social_profiles"] = .array(socialProfiles.map { ["type": .string($0.type), "id": .string($0.id)] })
        object["timezone"] = .string(timezone)
        return .object(object)
    }

    /// Reads an agent object as `json` writes it or as the seed holds it (seed/agents.json); a missing attribute takes
    /// its default, so a seed in the shape of the docs' examples (without `phone` or `scope`) still reads.
    init(document: JSONValue) {
        func string(_ key: String) -> String { document[key]?.stringValue ?? "" }
        func strings(_ key: String) -> [String] { (document[key]?.arrayValue ?? []).compactMap(\.stringValue) }
        self.init(
            id: string("id"), createdTime: document["created_time"]?.stringValue.flatMap(Timestamp.parse) ?? 0,
            email: string("email"))
        agentCapacity = document["agent_capacity"]?.intValue ?? 0
        availabilityStatus = document["availability_status"]?.stringValue.flatMap(Availability.init) ?? .available
        routingType = document["routing_type"]?.stringValue ?? routingType
        if let name = document["agent_status"]?["name"]?.stringValue {
            agentStatus = Status(id: document["agent_status"]?["id"]?.stringValue, name: name)
        } else {
            agentStatus = Agent.routingStatus(routingType: routingType, availability: availabilityStatus)
        }
        avatarURL = document["avatar"]?["url"]?.stringValue
        biography = string("biography")
        firstName = string("first_name")
        freshidGroupIDs = strings("freshid_group_ids")
        freshidUUID = string("freshid_uuid")
        groups = strings("groups")
        isDeactivated = document["is_deactivated"]?.boolValue ?? false
        isDeleted = document["is_deleted"]?.boolValue ?? false
        lastName = string("last_name")
        licenseType = string("license_type")
        locale = string("locale")
        loginStatus = document["login_status"]?.boolValue ?? false
        orgContactID = string("org_contact_id")
        phone = string("phone")
        roleID = string("role_id")
        roleName = string("role_name")
        scope = document["scope"]?.stringValue ?? Agent.scope(forRole: roleID)
        skillID = string("skill_id")
        socialProfiles = (document["social_profiles"]?.arrayValue ?? []).compactMap { item in
            guard let type = item["type"]?.stringValue else { return nil }
            return SocialProfile(type: type, id: item["id"]?.stringValue ?? "")
        }
        timezone = string("timezone")
    }
}

// MARK: - Derived attributes

extension Agent {
    /// The IntelliAssign/OCR state names (docs L1870: "Inactive on Intelli Assign", L2042: "Inactive on OCR"; the
    /// active forms are the emulator's reading, seed/README.md).
    static let routingStatusNames: Set<String> = [
        "Active on Intelli Assign", "Inactive on Intelli Assign", "Active on OCR", "Inactive on OCR",
    ]

    /// The IntelliAssign/OCR state of an agent that is not in a custom state: active when AVAILABLE, inactive when
    /// UNAVAILABLE; on OCR for `routing_type` OCR (docs L1912), on IntelliAssign otherwise.
    static func routingStatus(routingType: String, availability: Availability) -> Status {
        let routing = routingType == "OCR" ? "OCR" : "Intelli Assign"
        return Status(id: nil, name: (availability == .available ? "Active on " : "Inactive on ") + routing)
    }

    /// docs L1914: "scope values depend on the role associated with the agent." The docs give no mapping; the
    /// emulator's: the admin roles (ACCOUNT_ADMIN, ADMIN) are Global (L1916), any other role Group (L1917), and no
    /// role None (L1919: "Agent has not been assigned any role.").
    static func scope(forRole roleID: String) -> String {
        switch roleID {
        case "": return "None"
        case "ACCOUNT_ADMIN", "ADMIN": return "Global"
        default: return "Group"
        }
    }

    /// The `agent_status_changed` event for a move from `before` to this agent's state, or nil when neither the
    /// status nor the availability changed. `data` carries what an activity report needs.
    func statusChangedEvent(from before: Agent, at time: Int64) -> Event? {
        guard agentStatus != before.agentStatus || availabilityStatus != before.availabilityStatus else { return nil }
        return Event(
            .agentStatusChanged, time: time, agentID: id,
            data: [
                "from_status_id": .optional(before.agentStatus.id),
                "from_status_name": .string(before.agentStatus.name),
                "to_status_id": .optional(agentStatus.id), "to_status_name": .string(agentStatus.name),
                "from_availability_status": .string(before.availabilityStatus.rawValue),
                "availability_status": .string(availabilityStatus.rawValue),
            ])
    }
}

extension Agent.Status {
    /// `{"id", "name"}` for a custom status (docs L2336), `{"name"}` for an IntelliAssign/OCR state (L1870).
    var json: JSONValue {
        var object = JSONObject()
        if let id { object["id"] = .string(id) }
        object["name"] = .string(name)
        return .object(object)
    }
}

// MARK: - Changes and filters

extension Agent {
    /// The attributes a client sets with `POST /v2/agents` (docs L2114–2134, plus `license_type` and `org_contact_id`
    /// that the request examples send, L2112, L2200) or `PUT /v2/agents/{agent_id}`; nil keeps the value (L2161: "If
    /// an attribute value is null or not passed as part of the request payload, the attribute’s existing value is
    /// retained."). `role_name` is not here: it follows `role_id`.
    struct Changes: Sendable, Equatable {
        var avatarURL: String?
        var availabilityStatus: Availability?
        var biography: String?
        var email: String?
        var firstName: String?
        var groups: [String]?
        var lastName: String?
        var licenseType: String?
        var locale: String?
        var orgContactID: String?
        var phone: String?
        var roleID: String?
        var skillID: String?
        var socialProfiles: [SocialProfile]?
        var timezone: String?
    }

    /// Applies `changes`. A new role brings its `roleName` and scope; a new availability puts the agent in the
    /// matching IntelliAssign/OCR state (active or inactive), leaving any custom state.
    /// - Parameter roleName: the name of the role `changes.roleID` names, looked up by the caller.
    mutating func apply(_ changes: Changes, roleName: String?) {
        if let url = changes.avatarURL { avatarURL = url }
        if let availability = changes.availabilityStatus, availability != availabilityStatus {
            availabilityStatus = availability
            agentStatus = Agent.routingStatus(routingType: routingType, availability: availability)
        }
        if let value = changes.biography { biography = value }
        if let value = changes.email { email = value }
        if let value = changes.firstName { firstName = value }
        if let value = changes.groups { groups = value }
        if let value = changes.lastName { lastName = value }
        if let value = changes.licenseType { licenseType = value }
        if let value = changes.locale { locale = value }
        if let value = changes.orgContactID { orgContactID = value }
        if let value = changes.phone { phone = value }
        if let value = changes.roleID {
            roleID = value
            self.roleName = roleName ?? ""
            scope = Agent.scope(forRole: value)
        }
        if let value = changes.skillID { skillID = value }
        if let value = changes.socialProfiles { socialProfiles = value }
        if let value = changes.timezone { timezone = value }
    }

    /// The filters of `GET /v2/agents` (docs L1940–1952); every set filter must hold.
    struct Filter: Sendable, Equatable {
        /// docs L1940: "is_deactivated value matches the parameter value".
        var isDeactivated: Bool?
        /// docs L1945: "at least one of the groups value matches the string specified as the parameter value".
        var group: String?
        /// docs L1949: "availability_status value matches the parameter value".
        var availabilityStatus: Availability?
    }
}
