import SQLite

extension Store {
    /// Loads `seed` into the store in one transaction: everything or nothing. The account configuration
    /// falls back to the embedded default when the set has none (it is configuration, not a resource).
    /// - Throws: `SeedError` naming the file, item and field, or `SQLiteError` for a broken reference.
    public func load(_ seed: Seed) throws {
        let account = try seed.document("account.json") ?? Seed.embedded.document("account.json")!
        try write { db in
            // A seed goes into a new store (or a template): nobody watches it yet, and a reset says the rest.
            pending.mode = .quiet
            try insertAccount(account, db)
            try db.insertSeedResources(seed, labels: .files)
        }
    }

    private func insertAccount(_ account: JSONValue, _ db: Database) throws {
        guard case .object(let object) = account else { throw SeedError("account.json must hold an object") }
        let appID = try Fields(object, path: "account.json").requiredString("app_id")
        try db.execute(
            "INSERT OR REPLACE INTO account (id, app_id, doc) VALUES (1, ?, ?)",
            [.text(appID), .text(account.serialized())])
    }
}

/// How a seed item is named in errors: by file (`agents.json agents[0]`) or, for `POST /_emulator/fixtures`, by its
/// kind and, where it differs, its list (`agents[0]`, `agent_statuses.states[0]`).
enum SeedLabels {
    case files, fixtures

    func path(_ file: String, _ key: String?, _ index: Int) -> String {
        switch self {
        case .files: return "\(file) \(key ?? "")[\(index)]"
        case .fixtures:
            let kind = file.hasSuffix(".json") ? String(file.dropLast(5)) : file
            guard let key, key != kind else { return "\(kind)[\(index)]" }
            return "\(kind).\(key)[\(index)]"
        }
    }
}

extension Database {
    /// Adds every resource of `seed` but the account configuration (roles, groups, channels, agents, agent statuses,
    /// conversation properties, WhatsApp templates and business numbers, business hours), after those already in the
    /// store: configured order continues where it stops. Call inside a write transaction; a throw leaves the
    /// transaction to roll back.
    /// - Returns: the identifier of each item added, by seed file and list (`agents.json agents`, …), in order.
    /// - Throws: `SeedError` naming the item (as `labels` spells it) and the field.
    @discardableResult
    func insertSeedResources(_ seed: Seed, labels: SeedLabels) throws -> [(list: String, ids: [String])] {
        var added: [(list: String, ids: [String])] = []
        func list(_ file: String, _ key: String?, positions table: String?, _ insert: Insert) throws {
            let ids = try insertList(seed, file, key: key, positions: table, labels: labels, insert)
            if let ids { added.append((file + (key.map { " " + $0 } ?? ""), ids)) }
        }
        try list("roles.json", "roles", positions: "role") { item, fields, position in
            let id = try fields.requiredString("id")
            try execute(
                "INSERT INTO role (id, name, position, doc) VALUES (?, ?, ?, ?)",
                [.text(id), .text(try fields.requiredString("name")), .integer(position), .text(item.serialized())])
            return id
        }
        try list("groups.json", "groups", positions: "\"group\"") { item, fields, position in
            let id = try fields.requiredString("id")
            try execute(
                "INSERT INTO \"group\" (id, name, position, doc) VALUES (?, ?, ?, ?)",
                [.text(id), .text(try fields.requiredString("name")), .integer(position), .text(item.serialized())])
            return id
        }
        try list("channels.json", "channels", positions: "channel") { item, fields, position in
            let id = try fields.requiredString("id")
            try execute(
                "INSERT INTO channel (id, name, locale, enabled, updated_time, position, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    .text(id), .text(try fields.requiredString("name")), SQLiteValue(try fields.string("locale")),
                    .integer((try fields.bool("enabled") ?? true) ? 1 : 0),
                    SQLiteValue(try fields.string("updated_time").flatMap(Timestamp.parse)), .integer(position),
                    .text(item.serialized()),
                ])
            return id
        }
        try list("agents.json", "agents", positions: nil) { item, fields, _ in try insertSeedAgent(item, fields) }
        try list("agent_statuses.json", "states", positions: "agent_status") { _, fields, position in
            let id = try fields.requiredString("id")
            try execute(
                "INSERT INTO agent_status (id, name, position) VALUES (?, ?, ?)",
                [.text(id), .text(try fields.requiredString("name")), .integer(position)])
            return id
        }
        try list("conversation_properties.json", nil, positions: "conversation_property") { item, fields, position in
            let id = try fields.requiredString("id")
            try execute(
                "INSERT INTO conversation_property (id, name, position, doc) VALUES (?, ?, ?, ?)",
                [.text(id), .text(try fields.requiredString("name")), .integer(position), .text(item.serialized())])
            return id
        }
        try list("whatsapp_templates.json", "templates", positions: nil) { item, fields, _ in
            let name = try fields.requiredString("template_name")
            let language = try fields.requiredString("language_code")
            try execute(
                "INSERT INTO whatsapp_template (template_name, namespace, language_code, doc) VALUES (?, ?, ?, ?)",
                [.text(name), .text(try fields.requiredString("namespace")), .text(language), .text(item.serialized())])
            return name + "/" + language
        }
        try list("whatsapp_templates.json", "business_phone_numbers", positions: nil) { _, fields, _ in
            let number = try fields.requiredString("phone_number")
            try execute("INSERT INTO whatsapp_business_number (phone_number) VALUES (?)", [.text(number)])
            return number
        }
        try list("business_hours.json", "business_hours", positions: nil) { item, fields, _ in
            let groupID = try fields.requiredString("group_id")
            guard try groupExists(id: groupID) else {
                throw APIError.badRequest("\(fields.name("group_id")): no group with id \(groupID)")
            }
            try execute(
                "INSERT INTO business_hours (group_id, doc) VALUES (?, ?)", [.text(groupID), .text(item.serialized())])
            return groupID
        }
        return added
    }

    /// Inserts one agent of agents.json with its group memberships; the role and groups must exist.
    private func insertSeedAgent(_ item: JSONValue, _ fields: Fields) throws -> String {
        let id = try fields.requiredString("id")
        let created = try fields.string("created_time").flatMap(Timestamp.parse) ?? 0
        let roleID = try fields.string("role_id")
        // Stored as the API answers it, so the list serves the doc as it is (`appendAgentDocs`).
        var agent = Agent(document: item)
        agent.id = id
        if let roleID, try scalarInt("SELECT count(*) FROM role WHERE id = ?", [.text(roleID)]) == 0 {
            throw APIError.badRequest("\(fields.name("role_id")): no role with id \(roleID)")
        }
        try execute(
            """
            INSERT INTO agent (id, email, first_name, last_name, created_time, is_deactivated,
                availability_status, role_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(id), .text(try fields.requiredString("email")), SQLiteValue(try fields.string("first_name")),
                SQLiteValue(try fields.string("last_name")), .integer(created),
                .integer((try fields.bool("is_deactivated") ?? false) ? 1 : 0),
                .text(try fields.string("availability_status") ?? "AVAILABLE"), SQLiteValue(roleID),
                .text(agent.json.serialized()),
            ])
        for (index, group) in (try fields.array("groups") ?? []).enumerated() {
            let name = "\(fields.name("groups"))[\(index)]"
            guard let groupID = group.stringValue else { throw APIError.badRequest("\(name) must be a group id") }
            guard try groupExists(id: groupID) else {
                throw APIError.badRequest("\(name): no group with id \(groupID)")
            }
            try execute("INSERT INTO agent_group (agent_id, group_id) VALUES (?, ?)", [.text(id), .text(groupID)])
        }
        return id
    }

    /// Inserts one object of a seed list: the item, its fields (named for errors) and its position; returns the id.
    private typealias Insert = (JSONValue, Fields, Int64) throws -> String

    /// Runs `insert` for each object of the list `key` of file `name` (the document itself when `key` is nil),
    /// positioned after the rows already in `table` (when the table keeps a configured order).
    /// - Returns: the ids inserted, or nil when the set has no such file.
    private func insertList(
        _ seed: Seed, _ name: String, key: String?, positions table: String?, labels: SeedLabels,
        _ insert: Insert
    ) throws -> [String]? {
        guard let document = try seed.document(name) else { return nil }
        let list: JSONValue? = key.map { document[$0] ?? .array([]) } ?? document
        guard let items = list?.arrayValue else {
            throw SeedError("\(name): \(key ?? "the document") must be an array")
        }
        // Table names come from the fixed list above, never from input.
        let base = try table.map { try scalarInt("SELECT coalesce(max(position) + 1, 0) FROM \($0)") ?? 0 } ?? 0
        var ids: [String] = []
        for (index, item) in items.enumerated() {
            let path = labels.path(name, key, index)
            guard case .object(let object) = item else { throw SeedError("\(path) must be an object") }
            do {
                ids.append(try insert(item, Fields(object, path: path), Int64(base + index)))
            } catch let error as APIError {
                throw SeedError(error.message)
            } catch let error as SQLiteError {
                throw SeedError("\(path): \(error.message)")
            }
        }
        return ids
    }
}
