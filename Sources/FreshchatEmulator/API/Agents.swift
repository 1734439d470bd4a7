import HTTP
import SQLite

/// The Agents section of the docs (L1816–2366).
struct AgentsAPI {
    let emulator: Emulator

    /// Job kinds finishing the 202 flows of this section.
    enum JobKind {
        /// Carries out a `DELETE /v2/agents/{agent_id}`.
        static let delete = "agent.delete"
    }

    /// The list rules of `GET /v2/agents`. The docs give no page sizes; as for users, 10 by default and at most 100.
    /// `sort_by` takes the agent attributes that have an order; the docs' example links (L2042:
    /// "/v2/agents?sort_by=email&items_per_page=2&sort_order=asc&page=2") answer a request without `sort_by` (L1959)
    /// with `sort_by=email`, so email is the default, and `sort_by` leads the link parameters.
    static let listRules = Pagination.Rules(
        defaultItemsPerPage: 10, maxItemsPerPage: 100,
        sortFields: ["email", "first_name", "last_name", "created_time"],
        defaultSortBy: "email", sortByFirstInLinks: true)

    /// Routes, spelled as in the docs (L1823–1829) with the `/v2` prefix the requests use (L1934), and the job that
    /// finishes deletions. The literal `/v2/agents/status` wins over `/v2/agents/{agent_id}`.
    func register(on router: Router) {
        router.add(.get, "/v2/agents", list)
        router.add(.post, "/v2/agents", create)
        router.add(.get, "/v2/agents/status", statuses)
        router.add(.delete, "/v2/agents/{agent_id}", delete)
        router.add(.patch, "/v2/agents/{agent_id}", updateStatus)
        router.add(.get, "/v2/agents/{agent_id}", retrieve)
        router.add(.put, "/v2/agents/{agent_id}", update)
        emulator.jobs.register(JobKind.delete, Self.applyDelete)
    }

    // MARK: - List all agents

    /// The query of `GET /v2/agents`: the filters (docs L1940–1952) and the pagination parameters; any other
    /// parameter is ignored.
    struct ListQuery {
        var filter = Agent.Filter()
        var pagination: Pagination

        /// - Throws: `APIError` 400 naming the parameter whose value is not one of its valid values.
        init(_ query: QueryParameters) throws(APIError) {
            if let text = query["is_deactivated"] {
                // docs L1941: "Valid values: true, false"
                switch text {
                case "true": filter.isDeactivated = true
                case "false": filter.isDeactivated = false
                default: throw .badRequest("is_deactivated must be true or false, not '\(text)' (docs L1941)")
                }
            }
            // docs L1945: "groups Limits the response to agent objects where at least one of the groups value matches
            // the string specified as the parameter value." An unknown group matches no agent.
            filter.group = query["groups"]
            if let text = query["availability_status"] {
                // docs L1950: "Valid values: AVAILABLE, UNAVAILABLE"
                guard let availability = Agent.Availability(rawValue: text) else {
                    throw .badRequest(
                        "availability_status must be AVAILABLE or UNAVAILABLE, not '\(text)' (docs L1950)")
                }
                filter.availabilityStatus = availability
            }
            pagination = try Pagination(query, rules: AgentsAPI.listRules)
        }
    }

    /// List all agents: docs L1929, `GET /v2/agents`.
    /// docs L1963: "A successful request returns 200 OK along with all agents’ details, as an array. … The response
    /// also contains response parameters pertaining to pagination."
    func list(_ request: Request) throws -> Response {
        let query = try ListQuery(request.query)
        let pagination = query.pagination
        var items: [UInt8] = []
        items.reserveCapacity(1024 * pagination.itemsPerPage)
        let total = try emulator.store.read { db in
            try db.appendAgentDocs(
                matching: query.filter, sortBy: pagination.sortBy ?? "email",
                descending: pagination.sortOrder == .desc, limit: pagination.itemsPerPage,
                offset: Int64(pagination.offset), to: &items)
        }
        // docs L2042: the list's links carry "rel": "agent".
        let body = pagination.responseBytes(
            key: "agents", itemsJSON: items, total: total, path: "/v2/agents", rel: "agent")
        return .json(body)
    }

    // MARK: - Create an agent

    /// The members of a create (docs L2114–2134) or update (L2200) request, typed; any other member (the system's
    /// attributes such as `id`, `created_time`, `is_deleted`, `agent_status`) is ignored. `license_type` and
    /// `org_contact_id` are read too: the docs' request examples send them (L2112, L2200).
    struct AttributesRequest {
        var changes = Agent.Changes()

        /// - Parameter emailMandatory: whether `email` must be present (create, docs L2120: "emailMandatory").
        /// - Throws: `APIError` 400 naming the first member, by its dotted path, that is of the wrong type or not
        ///   one of its possible values.
        init(_ body: JSONObject, emailMandatory: Bool) throws(APIError) {
            let fields = Fields(body)
            // docs L2116–2118: "avatar object … url (string)".
            changes.avatarURL = try fields.object("avatar")?.string("url")
            if let text = try fields.string("availability_status") {
                // docs L1883: "Possible values: AVAILABLE, UNAVAILABLE"
                guard let availability = Agent.Availability(rawValue: text) else {
                    throw .badRequest(
                        "availability_status must be AVAILABLE or UNAVAILABLE, not '\(text)' (docs L1883)")
                }
                changes.availabilityStatus = availability
            }
            changes.biography = try fields.string("biography")
            changes.email = try fields.string("email")
            if emailMandatory && changes.email == nil { throw .badRequest("email is mandatory (docs L2120)") }
            if let email = changes.email, !Self.isEmailAddress(email) {
                throw .badRequest("email must be an email address such as alice.adrian@email.com, not '\(email)'")
            }
            changes.firstName = try fields.string("first_name")
            changes.groups = try Self.groups(fields)
            changes.lastName = try fields.string("last_name")
            changes.licenseType = try fields.string("license_type")
            changes.locale = try fields.string("locale")
            changes.orgContactID = try fields.string("org_contact_id")
            changes.phone = try fields.string("phone")
            changes.roleID = try fields.string("role_id")
            // docs L2127: role_name "Meaningful identifier of the agent’s role" — it follows role_id; a string is
            // accepted and not used.
            _ = try fields.string("role_name")
            changes.skillID = try fields.string("skill_id")
            changes.socialProfiles = try Self.socialProfiles(fields)
            changes.timezone = try fields.string("timezone")
        }

        /// docs L2122: "groups array of strings"; an id given twice is refused.
        static func groups(_ fields: Fields) throws(APIError) -> [String]? {
            guard let items = try fields.array("groups") else { return nil }
            var groups: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let id) = item else {
                    throw .badRequest("groups[\(index)] must be a string, not \(item.typeName)")
                }
                if let first = groups.firstIndex(of: id) {
                    throw .badRequest("groups[\(index)] repeats groups[\(first)]")
                }
                groups.append(id)
            }
            return groups
        }

        /// docs L2129–2133: "social_profiles array of objects … id (string) … type (string) … Possible values:
        /// facebook, twitter, skype, linkedin".
        static func socialProfiles(_ fields: Fields) throws(APIError) -> [Agent.SocialProfile]? {
            guard let items = try fields.array("social_profiles") else { return nil }
            var profiles: [Agent.SocialProfile] = []
            for (index, item) in items.enumerated() {
                let path = "social_profiles[\(index)]"
                guard case .object(let object) = item else {
                    throw .badRequest("\(path) must be an object, not \(item.typeName)")
                }
                let profile = Fields(object, path: path)
                let type = try profile.requiredString("type")
                guard Agent.socialProfileTypes.contains(type) else {
                    throw .badRequest(
                        "\(path).type must be one of \(Agent.socialProfileTypes.joined(separator: ", ")), not '\(type)'"
                            + " (docs L2133)")
                }
                profiles.append(Agent.SocialProfile(type: type, id: try profile.requiredString("id")))
            }
            return profiles
        }

        /// Whether `text` has the form `local@domain`: one `@` with something on both sides and no whitespace.
        static func isEmailAddress(_ text: String) -> Bool {
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && parts.allSatisfy { !$0.isEmpty } && !text.contains(where: \.isWhitespace)
        }
    }

    /// Create an agent: docs L2045, `POST /v2/agents`.
    /// docs L2137: "A successful request returns 201 Created along with the created agent object."
    func create(_ request: Request) throws -> Response {
        let body = try AttributesRequest(request.jsonObject(), emailMandatory: true)
        let agent = try emulator.store.write { db in
            let roleName = try Self.validate(body.changes, of: nil, db)
            var agent = Agent(id: emulator.ids.next(), createdTime: emulator.clock.now(), email: "")
            agent.apply(body.changes, roleName: roleName)
            try db.insert(agent)
            return agent
        }
        return .json(agent.json.bytes, status: .created)
    }

    /// Checks what `changes` refer to: the email is no other agent's, the role and the groups exist.
    /// - Parameter agentID: the agent being updated (its own email is not a conflict); nil when creating.
    /// - Returns: the name of the role `changes.roleID` names.
    /// - Throws: `APIError` 400 naming the attribute.
    static func validate(_ changes: Agent.Changes, of agentID: String?, _ db: Database) throws -> String? {
        // Emulator decision: an email is unique among agents, ignoring case. The docs list no 409 among their status
        // codes (L14–22), so the conflict is a 400.
        if let email = changes.email, let other = try db.agentID(email: email), other != agentID {
            throw APIError.badRequest("email: an agent with email \(email) already exists")
        }
        var roleName: String?
        if let roleID = changes.roleID {
            // docs L2126: "role_id string System-generated identifier of the role assigned to the agent."
            guard let name = try db.nameOfRole(id: roleID) else {
                throw APIError.badRequest("role_id: no role with id '\(roleID)'; GET /v2/roles lists the roles")
            }
            roleName = name
        }
        // docs L2122: "groups array of strings Identifiers of the groups to which the agent belongs".
        for (index, group) in (changes.groups ?? []).enumerated() where try !db.groupExists(id: group) {
            throw APIError.badRequest("groups[\(index)]: no group with id \(group)")
        }
        return roleName
    }

    // MARK: - Retrieve agent information

    /// Retrieve agent information: docs L2139, `GET /v2/agents/{agent_id}`.
    /// docs L2157: "A successful request returns 200 OK along with the retrieved agent object."
    func retrieve(_ request: Request) throws -> Response {
        let id = request.parameters["agent_id"] ?? ""
        let agent = try emulator.store.read { db in try db.agent(id: id) }
        guard let agent else { throw APIError.agentNotFound }
        return .json(agent.json.bytes)
    }

    // MARK: - Update agent information

    /// Update agent information: docs L2159, `PUT /v2/agents/{agent_id}`.
    /// docs L2161: "If an attribute value is null or not passed as part of the request payload, the attribute’s
    /// existing value is retained." docs L2204: "A successful request returns 200 OK along with the updated agent
    /// object." A change of `availability_status` moves the agent to the matching IntelliAssign/OCR state and is an
    /// `agent_status_changed` event.
    func update(_ request: Request) throws -> Response {
        let id = request.parameters["agent_id"] ?? ""
        let body = try AttributesRequest(request.jsonObject(), emailMandatory: false)
        let agent = try emulator.store.write { db in
            guard let before = try db.agent(id: id) else { throw APIError.agentNotFound }
            let roleName = try Self.validate(body.changes, of: id, db)
            var agent = before
            agent.apply(body.changes, roleName: roleName)
            guard agent != before else { return before }
            try db.update(agent)
            if let event = agent.statusChangedEvent(from: before, at: emulator.clock.now()) { try db.append(event) }
            return agent
        }
        return .json(agent.json.bytes)
    }

    // MARK: - List all agent statuses

    /// List all agent statuses: docs L2206, `GET /v2/agents/status` (L2211 writes it without the leading slash).
    /// docs L2221: "A successful request returns 200 OK along with all agents’ status" — `{"states": [{id, name}]}`
    /// (L2272), the custom statuses in their configured order.
    func statuses(_ request: Request) throws -> Response {
        let states = try emulator.store.read { db in try db.agentStates() }
        return .json(JSONValue.object(["states": .array(states.map(\.json))]).bytes)
    }

    // MARK: - Update agent status

    /// The body of `PATCH /v2/agents/{agent_id}` (docs L2315–2323): `{"agent_status": {"id", "name"}}`; any other
    /// member is ignored.
    struct StatusRequest {
        /// The status asked for; nil when `agent_status` is absent or null (L2323: "If no value is specified for
        /// agent_status the previous status is retained.").
        var status: Agent.Status?

        /// - Throws: `APIError` 400 naming `agent_status` (or its member) when it is not an object with string `id`
        ///   and `name`, or names an IntelliAssign/OCR state.
        init(_ body: JSONObject) throws(APIError) {
            guard let object = try Fields(body).object("agent_status") else { return }
            let id = try object.string("id")
            let name = try object.string("name")
            // docs L2285: "You cannot use this API to update a custom status to IntelliAssign/OCR states
            // (Active/Inactive)."
            if let name, Agent.routingStatusNames.contains(name) {
                throw .badRequest(
                    "agent_status: '\(name)' is an IntelliAssign/OCR state; only a custom status listed by"
                        + " GET /v2/agents/status can be set (docs L2285)")
            }
            // docs L2321–2322: id "Should be a valid states.id value", name "Should be a valid states.name value".
            guard let id else { throw .badRequest("agent_status.id is mandatory (docs L2321)") }
            guard let name else { throw .badRequest("agent_status.name is mandatory (docs L2322)") }
            status = Agent.Status(id: id, name: name)
        }
    }

    /// Update agent status: docs L2279, `PATCH /v2/agents/{agent_id}`.
    /// docs L2326: "A successful request returns 200 OK along with the following response; availability_status
    /// specifies the agent’s availability for conversation auto-assignment, based on the updated status." (L2336)
    /// docs L2285: "You can use this API only to update an agent’s existing status (IntelliAssign/OCR/Custom status)
    /// to a custom status." An agent in a custom status is not auto-assigned: UNAVAILABLE, as in L2336.
    func updateStatus(_ request: Request) throws -> Response {
        let id = request.parameters["agent_id"] ?? ""
        let body = try StatusRequest(request.jsonObject())
        let agent = try emulator.store.write { db in
            guard let before = try db.agent(id: id) else { throw APIError.agentNotFound }
            guard let status = body.status else { return before }
            guard let statusID = status.id, let name = try db.agentStatusName(id: statusID) else {
                throw APIError.badRequest(
                    "agent_status: no custom status with id \(status.id ?? ""); GET /v2/agents/status lists them"
                        + " (docs L2321: \"Should be a valid states.id value\")")
            }
            guard name == status.name else {
                throw APIError.badRequest(
                    "agent_status: status \(statusID) is named '\(name)', not '\(status.name)' (docs L2322: \"Should"
                        + " be a valid states.name value\")")
            }
            var agent = before
            agent.agentStatus = status
            agent.availabilityStatus = .unavailable
            guard let event = agent.statusChangedEvent(from: before, at: emulator.clock.now()) else { return before }
            try db.update(agent)
            try db.append(event)
            return agent
        }
        let answer: JSONValue = [
            "availability_status": .string(agent.availabilityStatus.rawValue), "agent_status": agent.agentStatus.json,
        ]
        return .json(answer.bytes)
    }

    // MARK: - Delete an agent

    /// Delete an agent: docs L2339, `DELETE /v2/agents/{agent_id}`.
    /// docs L2357: "A successful request returns 202 Accepted along with the corresponding response message." (L2365,
    /// L38). The deletion is an `agent.delete` job after the async delay; until it runs the agent is still there and
    /// a repeated DELETE is accepted again.
    func delete(_ request: Request) throws -> Response {
        let id = request.parameters["agent_id"] ?? ""
        try emulator.store.write { db in
            guard try db.agent(id: id) != nil else { throw APIError.agentNotFound }
            try emulator.jobs.enqueue(
                db, kind: JobKind.delete, payload: ["agent_id": .string(id)], id: emulator.ids.next(),
                now: emulator.clock.now(), delayMillis: emulator.config.asyncDelayMillis)
        }
        let accepted: JSONValue = ["code": 202, "status": "ACCEPTED", "message": "Agent deletion request accepted"]
        return .json(accepted.bytes, status: .accepted)
    }

    /// The `agent.delete` job: docs L2341, "permanently deletes the agent’s record from the Freshchat system. The agent
    /// details cannot be retrieved from the Freshchat system after this delete". The row goes (with its group
    /// memberships); every conversation assigned to the agent is unassigned first, as a PUT with an empty
    /// `assigned_agent_id` (docs L1481) does through the lifecycle machine — `assigned_agent_id` cleared, an assigned
    /// conversation back to new, a resolved one still resolved — with `updated_time` moved and an `agent_unassigned`
    /// event whose `data.cause` is `AGENT_DELETED`. Messages the agent sent stay. An agent already gone is left alone.
    @Sendable static func applyDelete(_ db: Database, _ payload: JSONValue, _ now: Int64) throws {
        guard let id = payload["agent_id"]?.stringValue else {
            throw JobError(message: "agent.delete without agent_id")
        }
        guard try db.agent(id: id) != nil else { return }
        for conversationID in try db.conversationIDs(assignedToAgent: id) {
            guard var conversation = try db.conversation(id: conversationID) else { continue }
            var machine = conversation.machine
            if case .reject = machine.assign(agent: .unassign, group: nil) {
                // A resolved conversation cannot be unassigned through the API (the machine refuses), but it cannot
                // keep an agent that no longer exists: it stays resolved, without the agent.
                machine = ConversationStatus.Machine(conversation.status, groupID: conversation.assignedGroupID)
            }
            conversation.machine = machine
            conversation.updatedTime = now
            try db.updateConversation(conversation)
            for var event in conversation.events(for: [.agentUnassigned(id)], at: now) {
                event.data["cause"] = "AGENT_DELETED"
                try db.append(event)
            }
        }
        _ = try db.deleteAgent(id: id)
    }
}

extension APIError {
    /// 404 AGENT_NOT_FOUND, exactly docs L46: `{ "code":404, "status":"AGENT_NOT_FOUND", "message":"agent not found" }`.
    static var agentNotFound: APIError { .notFound("AGENT_NOT_FOUND", "agent not found") }
}
