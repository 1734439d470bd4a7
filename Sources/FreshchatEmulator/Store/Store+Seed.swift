import SQLite

extension Store {
    /// Loads `seed` into the store in one transaction: everything or nothing. The account configuration
    /// falls back to the embedded default when the set has none (it is configuration, not a resource).
    /// - Throws: `SeedError` naming the file, item and field, or `SQLiteError` for a broken reference.
    public func load(_ seed: Seed) throws {
        let account = try seed.document("account.json") ?? Seed.embedded.document("account.json")!
        try write { db in
            try insertAccount(account, db)
            try insertList(seed, "roles.json", key: "roles", db) { item, fields, position in
                try db.execute(
                    "INSERT INTO role (id, name, position, doc) VALUES (?, ?, ?, ?)",
                    [
                        .text(try fields.requiredString("id")), .text(try fields.requiredString("name")),
                        .integer(Int64(position)), .text(item.serialized()),
                    ])
            }
            try insertList(seed, "groups.json", key: "groups", db) { item, fields, position in
                try db.execute(
                    "INSERT INTO \"group\" (id, name, position, doc) VALUES (?, ?, ?, ?)",
                    [
                        .text(try fields.requiredString("id")), .text(try fields.requiredString("name")),
                        .integer(Int64(position)), .text(item.serialized()),
                    ])
            }
            try insertList(seed, "channels.json", key: "channels", db) { item, fields, position in
                try db.execute(
                    "INSERT INTO channel (id, name, locale, enabled, updated_time, position, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        .text(try fields.requiredString("id")), .text(try fields.requiredString("name")),
                        SQLiteValue(try fields.string("locale")),
                        .integer((try fields.bool("enabled") ?? true) ? 1 : 0),
                        SQLiteValue(try fields.string("updated_time").flatMap(Timestamp.parse)),
                        .integer(Int64(position)), .text(item.serialized()),
                    ])
            }
            try insertList(seed, "agents.json", key: "agents", db) { item, fields, _ in
                let id = try fields.requiredString("id")
                let created = try fields.string("created_time").flatMap(Timestamp.parse) ?? 0
                try db.execute(
                    """
                    INSERT INTO agent (id, email, first_name, last_name, created_time, is_deactivated,
                        availability_status, role_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(id), .text(try fields.requiredString("email")),
                        SQLiteValue(try fields.string("first_name")),
                        SQLiteValue(try fields.string("last_name")), .integer(created),
                        .integer((try fields.bool("is_deactivated") ?? false) ? 1 : 0),
                        .text(try fields.string("availability_status") ?? "AVAILABLE"),
                        SQLiteValue(try fields.string("role_id")), .text(item.serialized()),
                    ])
                for group in try fields.array("groups") ?? [] {
                    guard let groupID = group.stringValue else {
                        throw SeedError("\(fields.name("groups")) must hold ids")
                    }
                    try db.execute(
                        "INSERT INTO agent_group (agent_id, group_id) VALUES (?, ?)", [.text(id), .text(groupID)])
                }
            }
            try insertList(seed, "agent_statuses.json", key: "states", db) { _, fields, position in
                try db.execute(
                    "INSERT INTO agent_status (id, name, position) VALUES (?, ?, ?)",
                    [
                        .text(try fields.requiredString("id")), .text(try fields.requiredString("name")),
                        .integer(Int64(position)),
                    ])
            }
            try insertList(seed, "conversation_properties.json", key: nil, db) { item, fields, position in
                try db.execute(
                    "INSERT INTO conversation_property (id, name, position, doc) VALUES (?, ?, ?, ?)",
                    [
                        .text(try fields.requiredString("id")), .text(try fields.requiredString("name")),
                        .integer(Int64(position)), .text(item.serialized()),
                    ])
            }
            try insertList(seed, "whatsapp_templates.json", key: "templates", db) { item, fields, _ in
                try db.execute(
                    "INSERT INTO whatsapp_template (template_name, namespace, language_code, doc) VALUES (?, ?, ?, ?)",
                    [
                        .text(try fields.requiredString("template_name")),
                        .text(try fields.requiredString("namespace")),
                        .text(try fields.requiredString("language_code")), .text(item.serialized()),
                    ])
            }
            try insertList(seed, "whatsapp_templates.json", key: "business_phone_numbers", db) { _, fields, _ in
                try db.execute(
                    "INSERT INTO whatsapp_business_number (phone_number) VALUES (?)",
                    [.text(try fields.requiredString("phone_number"))])
            }
            try insertList(seed, "business_hours.json", key: "business_hours", db) { item, fields, _ in
                try db.execute(
                    "INSERT INTO business_hours (group_id, doc) VALUES (?, ?)",
                    [.text(try fields.requiredString("group_id")), .text(item.serialized())])
            }
        }
    }

    private func insertAccount(_ account: JSONValue, _ db: Database) throws {
        guard case .object(let object) = account else { throw SeedError("account.json must hold an object") }
        let appID = try Fields(object, path: "account.json").requiredString("app_id")
        try db.execute(
            "INSERT OR REPLACE INTO account (id, app_id, doc) VALUES (1, ?, ?)",
            [.text(appID), .text(account.serialized())])
    }

    /// Runs `insert` for each object of the list `key` of file `name` (the document itself when `key` is nil).
    private func insertList(
        _ seed: Seed, _ name: String, key: String?, _ db: Database,
        _ insert: (JSONValue, Fields, Int) throws -> Void
    ) throws {
        guard let document = try seed.document(name) else { return }
        let list: JSONValue? = key.map { document[$0] ?? .array([]) } ?? document
        guard let items = list?.arrayValue else {
            throw SeedError("\(name): \(key ?? "the document") must be an array")
        }
        for (index, item) in items.enumerated() {
            let path = "\(name) \(key ?? "")[\(index)]"
            guard case .object(let object) = item else { throw SeedError("\(path) must be an object") }
            do {
                try insert(item, Fields(object, path: path), index)
            } catch let error as APIError {
                throw SeedError(error.message)
            } catch let error as SQLiteError {
                throw SeedError("\(path): \(error.message)")
            }
        }
    }
}
