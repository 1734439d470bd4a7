import SQLite
import Synchronization

/// SQL for conversations, their users, and what a conversation refers to (channel, agent, group, user, fields).
extension Database {
    // MARK: - Conversations

    /// The conversation `id` with its assigned agent's organisation-level id, or nil.
    func conversation(id: String) throws -> Conversation? {
        let row = try queryOne(
            """
            SELECT c.*, json_extract(a.doc, '$.org_contact_id') AS assigned_org_agent_id
            FROM conversation c LEFT JOIN agent a ON a.id = c.assigned_agent_id
            WHERE c.id = ?
            """,
            [.text(id)])
        guard let row else { return nil }
        let properties = (try? JSONParser.parse(try row.string("properties")))?.objectValue ?? JSONObject()
        return Conversation(
            id: try row.string("id"), channelID: try row.string("channel_id"), appID: try row.string("app_id"),
            status: ConversationStatus(rawValue: try row.string("status")) ?? .new,
            assignedAgentID: try row.optionalString("assigned_agent_id"),
            assignedOrgAgentID: try row.optionalString("assigned_org_agent_id"),
            assignedGroupID: try row.optionalString("assigned_group_id"), skillID: try row.int64("skill_id"),
            properties: properties, interactionID: try row.string("interaction_id"),
            createdTime: try row.int64("created_time"), updatedTime: try row.int64("updated_time"))
    }

    /// Whether conversation `id` exists.
    func conversationExists(id: String) throws -> Bool {
        try scalarInt("SELECT count(*) FROM conversation WHERE id = ?", [.text(id)]) == 1
    }

    /// Inserts a conversation and its users (in order).
    func insertConversation(_ conversation: Conversation, userIDs: [String]) throws {
        try execute(
            """
            INSERT INTO conversation (id, channel_id, app_id, status, assigned_agent_id, assigned_group_id, skill_id,
                properties, interaction_id, created_time, updated_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(conversation.id), .text(conversation.channelID), .text(conversation.appID),
                .text(conversation.status.rawValue), SQLiteValue(conversation.assignedAgentID),
                SQLiteValue(conversation.assignedGroupID), .integer(conversation.skillID),
                .text(JSONValue.object(conversation.properties).serialized()), .text(conversation.interactionID),
                .integer(conversation.createdTime), .integer(conversation.updatedTime),
            ])
        for (position, userID) in userIDs.enumerated() {
            try execute(
                "INSERT INTO conversation_user (conversation_id, user_id, position) VALUES (?, ?, ?)",
                [.text(conversation.id), .text(userID), .integer(Int64(position))])
        }
    }

    /// Writes the changeable state of a conversation: status, assignment, properties, interaction, updated_time.
    /// - Returns: the conversation's rowid, nil when there is no conversation with its id.
    @discardableResult
    func updateConversation(_ conversation: Conversation) throws -> Int64? {
        try scalarInt(
            """
            UPDATE conversation SET status = ?, assigned_agent_id = ?, assigned_group_id = ?, properties = ?,
                interaction_id = ?, updated_time = ? WHERE id = ? RETURNING rowid
            """,
            [
                .text(conversation.status.rawValue), SQLiteValue(conversation.assignedAgentID),
                SQLiteValue(conversation.assignedGroupID),
                .text(JSONValue.object(conversation.properties).serialized()), .text(conversation.interactionID),
                .integer(conversation.updatedTime), .text(conversation.id),
            ]
        ).map(Int64.init)
    }

    /// Moves a conversation's `updated_time`, and nothing else: unlike ``updateConversation(_:)`` it leaves the
    /// assignment indexes alone (two fewer b-tree pages written per message, issue #12).
    /// - Returns: the conversation's rowid, nil when there is no conversation `id`.
    @discardableResult
    func touchConversation(id: String, at time: Int64) throws -> Int64? {
        try scalarInt(
            "UPDATE conversation SET updated_time = ? WHERE id = ? RETURNING rowid", [.integer(time), .text(id)]
        )
        .map(Int64.init)
    }

    /// The ids of the conversation's users, in the order they were given.
    func conversationUserIDs(_ conversationID: String) throws -> [String] {
        try query(
            "SELECT user_id FROM conversation_user WHERE conversation_id = ? ORDER BY position",
            [.text(conversationID)]
        ).map { try $0.string("user_id") }
    }

    // MARK: - What a conversation refers to

    /// The account's `app_id` (docs L833: "Auto-assigned organization-level identifier").
    func accountAppID() throws -> String {
        try scalarString("SELECT app_id FROM account WHERE id = 1") ?? ""
    }

    /// Whether channel (topic) `id` exists.
    func channelExists(id: String) throws -> Bool {
        try scalarInt("SELECT count(*) FROM channel WHERE id = ?", [.text(id)]) == 1
    }

    /// Whether group `id` exists.
    func groupExists(id: String) throws -> Bool {
        try scalarInt("SELECT count(*) FROM \"group\" WHERE id = ?", [.text(id)]) == 1
    }

    /// Agent `id` with its groups, its organisation-level id and whether it is deactivated, or nil.
    func assignableAgent(id: String) throws -> (
        agent: ConversationStatus.Machine.Agent, orgID: String?, deactivated: Bool
    )? {
        guard
            let row = try queryOne(
                "SELECT is_deactivated, json_extract(doc, '$.org_contact_id') AS org_id FROM agent WHERE id = ?",
                [.text(id)])
        else { return nil }
        let groups = try query("SELECT group_id FROM agent_group WHERE agent_id = ?", [.text(id)])
            .map { try $0.string("group_id") }
        let orgID = try row.optionalString("org_id")
        return (
            ConversationStatus.Machine.Agent(id: id, groupIDs: Set(groups)), orgID?.isEmpty == false ? orgID : nil,
            try row.int("is_deactivated") == 1
        )
    }

    /// User `id` with its `org_contact_id`, or nil when there is no such user.
    func userOrgContact(id: String) throws -> (id: String, orgContactID: String?)? {
        guard let row = try queryOne("SELECT org_contact_id FROM user WHERE id = ?", [.text(id)]) else { return nil }
        let orgID = try row.optionalString("org_contact_id")
        return (id, orgID?.isEmpty == false ? orgID : nil)
    }

    /// The conversation property fields in their configured order (docs L1718), as documented objects.
    func conversationFieldDocuments() throws -> [JSONValue] {
        try conversationFieldTexts().map { try JSONParser.parse($0) }
    }

    /// The stored conversation property fields (`conversation_property.doc`) in their configured order.
    private func conversationFieldTexts() throws -> [String] {
        try query("SELECT doc FROM conversation_property ORDER BY position").map { try $0.string("doc") }
    }

    /// The conversation property fields as the property rules read them.
    ///
    /// Read from the stored documents each time, but parsed only when they differ from the last ones parsed (in any
    /// store): they change only with the seed, a state import or a restore, and parsing them was a quarter of the
    /// instructions of `PUT /v2/conversations/{id}` (`bench/instructions`, issue #12).
    func conversationFields() throws -> [ConversationField] {
        let docs = try conversationFieldTexts()
        if let fields = Self.parsedConversationFields.withLock({ $0?.docs == docs ? $0?.fields : nil }) {
            return fields
        }
        let fields = try docs.map { ConversationField(document: try JSONParser.parse($0)) }
        Self.parsedConversationFields.withLock { $0 = (docs, fields) }
        return fields
    }

    /// The documents `conversationFields()` parsed last, and what they gave.
    private static let parsedConversationFields = Mutex<(docs: [String], fields: [ConversationField])?>(nil)
}
