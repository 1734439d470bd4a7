import SQLite

/// The SQL of the Agents section (docs L1816–2366): the `agent` table (schema migration 1), whose `doc` holds the agent
/// object and whose other columns mirror the attributes that are filtered, sorted or referenced; `agent_group`
/// mirrors `groups`; `agent_status` holds the custom statuses. Every write keeps the columns in step with `doc`.
extension Database {
    // MARK: - Reading agents

    /// The agent with `id`, or nil.
    func agent(id: String) throws -> Agent? {
        try queryOne("SELECT id, doc FROM agent WHERE id = ?", [.text(id)]).map(Agent.init(row:))
    }

    /// The id of the agent whose email is `email` ignoring ASCII case (the column is `COLLATE NOCASE`), or nil.
    func agentID(email: String) throws -> String? {
        try scalarString("SELECT id FROM agent WHERE email = ?", [.text(email)])
    }

    /// Appends one page of the agents matching `filter`, sorted by `sortBy` (an API attribute name, each column with
    /// its own collation: `email` ignores ASCII case) then by insertion order, to `out`: the stored documents as they
    /// are, separated by commas. A `doc` is the agent object exactly as the API answers it (`Agent.json`, compact):
    /// `insert`, `update` and the seed write it so, and a store opened or imported has every doc rewritten so
    /// (`canonicalizeAgentDocs`); so the page costs no parse and no model.
    /// - Returns: how many agents match in all.
    func appendAgentDocs(
        matching filter: Agent.Filter, sortBy: String, descending: Bool, limit: Int, offset: Int64,
        to out: inout [UInt8]
    ) throws -> Int {
        var conditions: [String] = []
        var args: [SQLiteValue] = []
        if let deactivated = filter.isDeactivated {
            conditions.append("is_deactivated = ?")
            args.append(.integer(deactivated ? 1 : 0))
        }
        if let group = filter.group {
            conditions.append("EXISTS (SELECT 1 FROM agent_group g WHERE g.agent_id = agent.id AND g.group_id = ?)")
            args.append(.text(group))
        }
        if let availability = filter.availabilityStatus {
            conditions.append("availability_status = ?")
            args.append(.text(availability.rawValue))
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = try scalarInt("SELECT count(*) FROM agent" + whereClause, args) ?? 0
        // Column names come from this fixed list, never from the request.
        let column: String
        switch sortBy {
        case "first_name": column = "first_name"
        case "last_name": column = "last_name"
        case "created_time": column = "created_time"
        default: column = "email"
        }
        let direction = descending ? "DESC" : "ASC"
        let statement = try cachedStatement(
            "SELECT doc FROM agent" + whereClause
                + " ORDER BY \(column) \(direction), rowid \(direction) LIMIT ? OFFSET ?")
        defer { statement.reset() }
        try statement.bind(args + [.integer(Int64(limit)), .integer(offset)])
        var first = true
        while try statement.step() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            statement.appendBytes(at: 0, to: &out)
        }
        return total
    }

    /// The agents whose `doc` is not exactly `Agent.json` of the agent it holds (as `Agent(row:)` reads it), each with
    /// that form: the seeds of older emulators stored agents.json items as written, and a state import may bring any
    /// spelling of the object.
    func nonCanonicalAgentDocs() throws -> [(id: String, doc: String)] {
        try query("SELECT id, doc FROM agent ORDER BY rowid").compactMap { row in
            let canonical = try Agent(row: row).json.serialized()
            if case .text(let doc)? = row["doc"], canonical.utf8.elementsEqual(doc.utf8) { return nil }
            return (try row.string("id"), canonical)
        }
    }

    /// Rewrites every agent `doc` that `nonCanonicalAgentDocs` names into the form it gives; afterwards each doc
    /// reads back to itself.
    func canonicalizeAgentDocs() throws {
        for (id, doc) in try nonCanonicalAgentDocs() {
            try execute("UPDATE agent SET doc = ? WHERE id = ?", [.text(doc), .text(id)])
        }
    }

    // MARK: - What an agent refers to

    /// The name of role `id`, or nil when there is no such role.
    func nameOfRole(id: String) throws -> String? {
        try scalarString("SELECT name FROM role WHERE id = ?", [.text(id)])
    }

    /// The custom statuses in their configured order (docs L2272).
    func agentStates() throws -> [Agent.Status] {
        try query("SELECT id, name FROM agent_status ORDER BY position").map {
            Agent.Status(id: try $0.string("id"), name: try $0.string("name"))
        }
    }

    /// The name of custom status `id`, or nil when there is no such status.
    func agentStatusName(id: String) throws -> String? {
        try scalarString("SELECT name FROM agent_status WHERE id = ?", [.text(id)])
    }

    /// The ids of the conversations assigned to agent `agentID`, oldest first.
    func conversationIDs(assignedToAgent agentID: String) throws -> [String] {
        try query(
            "SELECT id FROM conversation WHERE assigned_agent_id = ? ORDER BY created_time, rowid", [.text(agentID)]
        ).map { try $0.string("id") }
    }

    // MARK: - Writing

    /// Inserts a new agent and its group memberships.
    func insert(_ agent: Agent) throws {
        try execute(
            """
            INSERT INTO agent (id, email, first_name, last_name, created_time, is_deactivated, availability_status,
                role_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(agent.id)] + Self.columns(of: agent))
        try insertGroups(of: agent)
    }

    /// Writes every attribute of an existing agent: the columns, `doc` and the group memberships.
    func update(_ agent: Agent) throws {
        try execute(
            """
            UPDATE agent SET email = ?, first_name = ?, last_name = ?, created_time = ?, is_deactivated = ?,
                availability_status = ?, role_id = ?, doc = ? WHERE id = ?
            """,
            Self.columns(of: agent) + [.text(agent.id)])
        try execute("DELETE FROM agent_group WHERE agent_id = ?", [.text(agent.id)])
        try insertGroups(of: agent)
    }

    /// Deletes the agent's row; its `agent_group` rows cascade and conversations still naming it lose it
    /// (`ON DELETE SET NULL`). Messages it sent keep their `actor_id`; events hold ids only.
    /// - Returns: whether the agent existed.
    func deleteAgent(id: String) throws -> Bool {
        try execute("DELETE FROM agent WHERE id = ?", [.text(id)])
        return changes > 0
    }

    private func insertGroups(of agent: Agent) throws {
        for group in agent.groups {
            try execute(
                "INSERT INTO agent_group (agent_id, group_id) VALUES (?, ?)", [.text(agent.id), .text(group)])
        }
    }

    /// The values of the mirrored columns, in the order `insert` and `update` name them, `doc` last.
    private static func columns(of agent: Agent) -> [SQLiteValue] {
        [
            .text(agent.email), .text(agent.firstName), .text(agent.lastName), .integer(agent.createdTime),
            .integer(agent.isDeactivated ? 1 : 0), .text(agent.availabilityStatus.rawValue),
            agent.roleID.isEmpty ? .null : .text(agent.roleID), .text(agent.json.serialized()),
        ]
    }
}

extension Agent {
    /// Reads an `agent` row: the object in `doc`, under the row's id.
    init(row: Row) throws {
        let document = (try? JSONParser.parse(try row.string("doc"))) ?? .null
        self.init(document: document)
        id = try row.string("id")
    }
}
