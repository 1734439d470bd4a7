/// The csat object (docs L2737–2753): a customer's satisfaction rating of one interaction of a resolved
/// conversation.
public struct CSATRating: Sendable, Equatable {
    /// docs L2741: "Identifier of the csat object", an integer.
    public var csatResponseID: Int64
    /// docs L2742: "Timestamp of when the CSAT rating record is created … specified in epoch format" — epoch
    /// milliseconds, as the example (L2737: 1683812688548).
    public var created: Int64
    /// docs L2743: "Feedback that the customer provides as part of the CSAT survey."
    public var additionalFeedback: String?
    /// docs L2744–2745: "CSAT score that the customer provides. Possible values: 1 - 5"; absent when the customer
    /// gave none (it is mandatory only when issue_resolved is true, L2714).
    public var rating: Int64?
    /// docs L2746: the interaction rated: the conversation's interaction when it was resolved.
    public var interactionID: String
    /// docs L2747.
    public var conversationID: String
    /// docs L2748: "Specifies whether the issue associated with the conversation is resolved."
    public var issueResolved: Bool
    /// docs L2750: "Identifier of the agent to whom the conversation was assigned at the time of resolution", an
    /// integer: the agent's organisation-level id (`org_contact_id`). Nil when no agent was assigned.
    public var csatAttributerID: Int64?
    /// The agent `csatAttributerID` stands for (not an attribute; kept for the reports).
    public var agentID: String?
    /// The user who rated: the conversation's first user (not an attribute; kept for the reports, L3527).
    public var userID: String?
    /// docs L2751: "Auto-assigned organization-level identifier", an integer form of the account's `app_id`.
    public var appID: Int64
    /// docs L2752: "Specifies whether the conversation is reopened based on the CSAT rating provided."
    public var reopenConversation: Bool

    /// Creates a rating.
    public init(
        csatResponseID: Int64, created: Int64, additionalFeedback: String?, rating: Int64?, interactionID: String,
        conversationID: String, issueResolved: Bool, csatAttributerID: Int64?, agentID: String?, userID: String?,
        appID: Int64, reopenConversation: Bool
    ) {
        self.csatResponseID = csatResponseID
        self.created = created
        self.additionalFeedback = additionalFeedback
        self.rating = rating
        self.interactionID = interactionID
        self.conversationID = conversationID
        self.issueResolved = issueResolved
        self.csatAttributerID = csatAttributerID
        self.agentID = agentID
        self.userID = userID
        self.appID = appID
        self.reopenConversation = reopenConversation
    }

    /// The csat object in the docs' attribute order (L2737). Values the customer did not give, and the attributer
    /// of a conversation resolved without an agent, are left out.
    public var json: JSONValue {
        var object = JSONObject()
        object["csat_response_id"] = .integer(csatResponseID)
        object["created"] = .integer(created)
        if let additionalFeedback { object["additional_feedback"] = .string(additionalFeedback) }
        if let rating { object["rating"] = .integer(rating) }
        object["interaction_id"] = .string(interactionID)
        object["conversation_id"] = .string(conversationID)
        object["issue_resolved"] = .bool(issueResolved)
        if let csatAttributerID { object["csat_attributer_id"] = .integer(csatAttributerID) }
        object["app_id"] = .integer(appID)
        object["reopen_conversation"] = .bool(reopenConversation)
        return .object(object)
    }

    /// The integer the API shows for a string identifier: the identifier itself when it is a decimal number that
    /// fits (an agent's `org_contact_id`, `566895102921767652`), else the number its last 12 hex digits spell (a
    /// UUID such as the account's `app_id`), so that the same identifier always gives the same integer.
    public static func integerID(from text: String) -> Int64 {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int64(text) { return number }
        return Int64(UInt64(String(text.filter(\.isHexDigit).suffix(12)), radix: 16) ?? 0)
    }
}
