import SQLite

/// The SQL of the CSAT section (docs L2667–2753): the `csat` table (schema migration 3) and what a rating reads from
/// the conversation's history.
extension Database {
    /// The rating of interaction `interactionID` of conversation `conversationID`, or nil.
    func csatRating(conversationID: String, interactionID: String) throws -> CSATRating? {
        try queryOne(
            "SELECT * FROM csat WHERE conversation_id = ? AND interaction_id = ?",
            [.text(conversationID), .text(interactionID)]
        ).map(CSATRating.init(row:))
    }

    /// Inserts a rating.
    func insert(_ rating: CSATRating) throws {
        try execute(
            """
            INSERT INTO csat (csat_response_id, conversation_id, interaction_id, created, issue_resolved, rating,
                additional_feedback, csat_attributer_id, agent_id, user_id, app_id, reopen_conversation)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(rating.csatResponseID), .text(rating.conversationID), .text(rating.interactionID),
                .integer(rating.created), .integer(rating.issueResolved ? 1 : 0), SQLiteValue(rating.rating),
                SQLiteValue(rating.additionalFeedback), SQLiteValue(rating.csatAttributerID),
                SQLiteValue(rating.agentID), SQLiteValue(rating.userID), .integer(rating.appID),
                .integer(rating.reopenConversation ? 1 : 0),
            ])
    }

    /// The agent assigned when interaction `interactionID` of the conversation was resolved, as its latest
    /// `conversation_resolved` entry in the EventLog records it; `current` (the conversation's agent, which a resolved
    /// conversation keeps) when the log has no such entry.
    /// - Returns: nil when it was resolved without an agent; else the agent's id, and its organisation-level id
    ///   (`org_contact_id`) when the agent still exists and has one.
    func resolvingAgent(conversationID: String, interactionID: String, current: String?) throws -> (
        id: String, orgID: String?
    )? {
        let resolved = try queryOne(
            """
            SELECT agent_id FROM event WHERE conversation_id = ? AND interaction_id = ? AND type = ?
            ORDER BY seq DESC LIMIT 1
            """,
            [.text(conversationID), .text(interactionID), .text(Event.Kind.conversationResolved.rawValue)])
        guard let agentID = try resolved.map({ try $0.optionalString("agent_id") }) ?? current else { return nil }
        let orgID = try scalarString(
            "SELECT json_extract(doc, '$.org_contact_id') FROM agent WHERE id = ?", [.text(agentID)])
        return (agentID, orgID?.isEmpty == false ? orgID : nil)
    }
}

extension CSATRating {
    /// Reads a `csat` row.
    init(row: Row) throws {
        self.init(
            csatResponseID: try row.int64("csat_response_id"), created: try row.int64("created"),
            additionalFeedback: try row.optionalString("additional_feedback"),
            rating: try row.optionalInt64("rating"), interactionID: try row.string("interaction_id"),
            conversationID: try row.string("conversation_id"), issueResolved: try row.int64("issue_resolved") != 0,
            csatAttributerID: try row.optionalInt64("csat_attributer_id"), agentID: try row.optionalString("agent_id"),
            userID: try row.optionalString("user_id"), appID: try row.int64("app_id"),
            reopenConversation: try row.int64("reopen_conversation") != 0)
    }
}
