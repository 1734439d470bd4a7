import SQLite

/// The SQL of the Users section (docs L205–699): the `user` table (schema migration 2) and, for the GDPR
/// deletion, the rows that carry a user's personal data elsewhere.
extension Database {
    // MARK: - Reading

    /// The user with `id`, or nil.
    func user(id: String) throws -> User? {
        try queryOne("SELECT * FROM user WHERE id = ?", [.text(id)]).map(User.init(row:))
    }

    /// The users with these ids that exist, in the order given, each once.
    func users(ids: [String]) throws -> [User] {
        var seen = Set<String>()
        var users: [User] = []
        for id in ids where seen.insert(id).inserted {
            if let user = try user(id: id) { users.append(user) }
        }
        return users
    }

    /// One page of the users matching `filter`, sorted by `sortBy` (an API attribute name) then by insertion
    /// order, and how many match in all.
    func users(
        matching filter: User.Filter, sortBy: String, descending: Bool, limit: Int, offset: Int64
    ) throws -> (users: [User], total: Int) {
        var conditions: [String] = []
        var args: [SQLiteValue] = []
        func add(_ condition: String, _ value: SQLiteValue?) {
            guard let value else { return }
            conditions.append(condition)
            args.append(value)
        }
        add("first_name = ?", filter.firstName.map { .text($0) })
        add("last_name = ?", filter.lastName.map { .text($0) })
        add("email = ?", filter.email.map { .text($0) })
        add("reference_id = ?", filter.referenceID.map { .text($0) })
        add("phone = ?", filter.phone.map { .text($0) })
        add("created_time >= ?", filter.createdFrom.map { .integer($0) })
        add("created_time < ?", filter.createdTo.map { .integer($0) })
        add("updated_time >= ?", filter.updatedFrom.map { .integer($0) })
        add("updated_time < ?", filter.updatedTo.map { .integer($0) })
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        // Column names come from this fixed list, never from the request.
        let column: String
        switch sortBy {
        case "email": column = "email"
        case "first_name": column = "first_name"
        case "last_name": column = "last_name"
        case "updated_time": column = "updated_time"
        default: column = "created_time"
        }
        let direction = descending ? "DESC" : "ASC"
        let rows = try query(
            "SELECT * FROM user" + whereClause
                + " ORDER BY \(column) \(direction), rowid \(direction) LIMIT ? OFFSET ?",
            args + [.integer(Int64(limit)), .integer(offset)])
        let users = try rows.map(User.init(row:))
        // A page that is not full, and not past the end, is the last one: it tells the total without a count.
        if users.count < limit && (!users.isEmpty || offset == 0) { return (users, Int(offset) + users.count) }
        return (users, try scalarInt("SELECT count(*) FROM user" + whereClause, args) ?? 0)
    }

    /// The ids of the conversations `userID` takes part in, oldest conversation first.
    func conversationIDs(ofUser userID: String) throws -> [String] {
        try query(
            """
            SELECT c.id FROM conversation_user cu JOIN conversation c ON c.id = cu.conversation_id
            WHERE cu.user_id = ? ORDER BY c.created_time, c.rowid
            """,
            [.text(userID)]
        ).map { try $0.string("id") }
    }

    // MARK: - Writing

    /// Inserts a new user.
    func insert(_ user: User) throws {
        try execute(
            """
            INSERT INTO user (id, created_time, updated_time, email, first_name, last_name, phone, reference_id,
                org_contact_id, restore_id, login_status, avatar_url, properties)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(user.id), .integer(user.createdTime), .integer(user.updatedTime), SQLiteValue(user.email),
                SQLiteValue(user.firstName), SQLiteValue(user.lastName), SQLiteValue(user.phone),
                SQLiteValue(user.referenceID), SQLiteValue(user.orgContactID), SQLiteValue(user.restoreID),
                .integer(user.loginStatus ? 1 : 0), SQLiteValue(user.avatar.url),
                .text(JSONValue.array(user.properties.map(\.json)).serialized()),
            ])
    }

    /// Applies `changes` to the user and sets `updated_time`; nil members keep their value.
    /// - Returns: whether the user exists.
    func update(userID: String, with changes: User.Changes, at time: Int64) throws -> Bool {
        try execute(
            """
            UPDATE user SET email = coalesce(?, email), first_name = coalesce(?, first_name),
                last_name = coalesce(?, last_name), phone = coalesce(?, phone), updated_time = ?
            WHERE id = ?
            """,
            [
                SQLiteValue(changes.email), SQLiteValue(changes.firstName), SQLiteValue(changes.lastName),
                SQLiteValue(changes.phone), .integer(time), .text(userID),
            ])
        return self.changes > 0
    }

    /// Erases the user and their personal data (docs L663: "permanently deletes the user’s record … primarily
    /// serves to meet General Data Protection Regulation (GDPR) requirements"):
    /// - the `user` row (its `conversation_user` rows cascade);
    /// - the conversations whose only user this is, with their messages (cascade);
    /// - in conversations shared with other users, the content of the messages this user sent;
    /// - the attribute values carried by the user's pending or finished `updateJobKind` jobs, and the payload of
    ///   every finished job that mentions the user (pending jobs of other kinds are their owners' business).
    /// Event rows hold ids only and stay, so reports keep counting what happened.
    /// - Returns: whether the user existed.
    func eraseUser(id: String, updateJobKind: String) throws -> Bool {
        guard try user(id: id) != nil else { return false }
        try execute(
            """
            DELETE FROM conversation WHERE id IN (
                SELECT cu.conversation_id FROM conversation_user cu WHERE cu.user_id = ?1
                AND NOT EXISTS (
                    SELECT 1 FROM conversation_user other
                    WHERE other.conversation_id = cu.conversation_id AND other.user_id <> ?1))
            """,
            [.text(id)])
        let sent = try query(
            "SELECT seq, doc FROM message WHERE actor_type = 'user' AND actor_id = ?", [.text(id)])
        for row in sent {
            try execute(
                "UPDATE message SET doc = ? WHERE seq = ?",
                [.text(Self.erasedMessageDoc(try row.string("doc"))), .integer(try row.int64("seq"))])
        }
        try execute(
            "UPDATE job SET payload = ? WHERE kind = ? AND json_extract(payload, '$.user_id') = ?",
            [.text(JSONValue.object(["user_id": .string(id)]).serialized()), .text(updateJobKind), .text(id)])
        // A finished job is never read again; one that concerned this user (e.g. a conversation created with
        // their messages) keeps none of its payload.
        try execute("UPDATE job SET payload = '{}' WHERE status <> 'pending' AND instr(payload, ?) > 0", [.text(id)])
        try execute("DELETE FROM user WHERE id = ?", [.text(id)])
        return true
    }

    /// A message document with its content erased: `message_parts` becomes `[]` and only the attributes that
    /// identify and place the message (docs L827–873: ids, types, time, flags) are kept; `reply_parts`,
    /// `meta_data`, `error_message` and anything unknown are dropped. A document that is not a JSON object
    /// becomes `{"message_parts":[]}`.
    static func erasedMessageDoc(_ doc: String) -> String {
        let kept: Set<String> = [
            "id", "created_time", "app_id", "actor_type", "actor_id", "org_actor_id", "channel_id",
            "conversation_id", "interaction_id", "message_type", "user_id", "in_reply_to", "error_code", "status",
            "error_category", "restrictResponse", "botsPrivateNote",
        ]
        guard case .object(let object)? = try? JSONParser.parse(doc) else {
            return JSONValue.object(["message_parts": []]).serialized()
        }
        var erased = JSONObject()
        for (key, value) in object.pairs {
            if key == "message_parts" {
                erased[key] = []
            } else if kept.contains(key) {
                erased[key] = value
            }
        }
        if erased["message_parts"] == nil { erased["message_parts"] = [] }
        return JSONValue.object(erased).serialized()
    }
}

extension User {
    /// Reads a `user` row.
    init(row: Row) throws {
        let properties = (try? JSONParser.parse(try row.string("properties")))?.arrayValue ?? []
        self.init(
            id: try row.string("id"), createdTime: try row.int64("created_time"),
            updatedTime: try row.int64("updated_time"), avatar: Avatar(url: try row.optionalString("avatar_url")),
            email: try row.optionalString("email"), firstName: try row.optionalString("first_name"),
            lastName: try row.optionalString("last_name"), loginStatus: try row.int64("login_status") != 0,
            orgContactID: try row.optionalString("org_contact_id"), phone: try row.optionalString("phone"),
            properties: properties.compactMap { item in
                item["name"]?.stringValue.map { Property(name: $0, value: item["value"]?.stringValue) }
            },
            referenceID: try row.optionalString("reference_id"), restoreID: try row.optionalString("restore_id"))
    }
}
