import HTTP
import SQLite

/// The CSAT section of the docs (L2667–2753).
struct CSATAPI {
    let emulator: Emulator

    /// Routes, spelled as in the docs (L2673, L2681), with the `/v2` prefix the requests use (L2698). The sample curl
    /// (L2698) says `PUT`, the endpoint (L2673, L2680) `POST`; only `POST` is served.
    func register(on router: Router) {
        router.add(.post, "/v2/csat/{conversation_id}", create)
    }

    // MARK: - Create a CSAT rating for a conversation

    /// The request body (docs L2700–2719).
    struct CreateRequest {
        var issueResolved: Bool
        var rating: Int64?
        var additionalFeedback: String?
        var reopenConversation: Bool

        /// - Throws: `APIError` 400 naming the first attribute that is missing, of the wrong type or out of range.
        init(_ body: Fields) throws(APIError) {
            // docs L2712: "issue_resolvedMandatory boolean"
            guard let issueResolved = try body.bool("issue_resolved") else {
                throw .badRequest("issue_resolved is mandatory: true or false (docs L2712)")
            }
            self.issueResolved = issueResolved
            rating = try body.int("rating")
            // docs L2714–2715: "rating … integer CSAT score that the customer provides. Valid values: 1 - 5"
            if let rating, !(1...5).contains(rating) {
                throw .badRequest("rating must be an integer from 1 to 5, not \(rating) (docs L2715)")
            }
            // docs L2714: "ratingMandatory if the value of issue_resolved is true."
            if issueResolved, rating == nil {
                throw .badRequest("rating is mandatory when issue_resolved is true (docs L2714)")
            }
            additionalFeedback = try body.string("additional_feedback")
            reopenConversation = try body.bool("reopen_conversation") ?? false
            // docs L2719: "Note: A conversation cannot be reopened if issue_resolved is true."
            if reopenConversation, issueResolved {
                throw .badRequest(
                    "reopen_conversation: a conversation cannot be reopened if issue_resolved is true (docs L2719)")
            }
        }
    }

    /// Create a CSAT rating for a conversation: docs L2675, `POST /v2/csat/{conversation_id}`.
    /// docs L2722: "A successful request returns 201 Created along with the created csat object."
    func create(_ request: Request) throws -> Response {
        let id = try ConversationsAPI.conversationID(request)
        let body = try CreateRequest(Fields(try request.jsonObject()))
        let now = emulator.clock.now()
        let rating = try emulator.store.write { db in
            guard var conversation = try db.conversation(id: id) else { throw APIError.conversationNotFound }
            // docs L2679: "Note: Using this API, you can post CSAT rating only for resolved conversations."
            guard conversation.status == .resolved else {
                throw APIError.badRequest(
                    "conversation \(id) is \(conversation.status.rawValue); a CSAT rating can be posted only for a"
                        + " resolved conversation (docs L2679)")
            }
            // docs L2746: an interaction lasts "from the time it is initiated to the time the conversation is
            // resolved"; it is rated once. A reopened conversation has a new interaction to rate.
            if let existing = try db.csatRating(conversationID: id, interactionID: conversation.interactionID) {
                throw APIError.csatAlreadySubmitted(existing)
            }
            let rating = try makeRating(body, for: conversation, db: db, now: now)
            try db.insert(rating)
            try db.append(Self.event(for: rating, in: conversation))
            if body.reopenConversation {
                try reopen(&conversation, db: db, now: now)
            }
            return rating
        }
        return .json(rating.json.bytes, status: .created)
    }

    /// The rating of `conversation`'s current interaction.
    private func makeRating(_ body: CreateRequest, for conversation: Conversation, db: Database, now: Int64) throws
        -> CSATRating
    {
        // docs L2750: csat_attributer_id "Identifier of the agent to whom the conversation was assigned at the time of
        // resolution", an integer: the agent's org_contact_id (or a number drawn from its id).
        let agent = try db.resolvingAgent(
            conversationID: conversation.id, interactionID: conversation.interactionID,
            current: conversation.assignedAgentID)
        return CSATRating(
            csatResponseID: CSATRating.integerID(from: emulator.ids.next()), created: now,
            additionalFeedback: body.additionalFeedback, rating: body.rating, interactionID: conversation.interactionID,
            conversationID: conversation.id, issueResolved: body.issueResolved,
            csatAttributerID: agent.map { CSATRating.integerID(from: $0.orgID ?? $0.id) }, agentID: agent?.id,
            userID: try db.conversationUserIDs(conversation.id).first,
            // docs L2751: app_id "Auto-assigned organization-level identifier", an integer here; the conversation's
            // app_id (docs L833, the account's) as a number.
            appID: CSATRating.integerID(from: try db.accountAppID()),
            reopenConversation: body.reopenConversation)
    }

    /// docs L2752: reopen_conversation "Specifies whether the conversation is reopened based on the CSAT rating
    /// provided." Reopened as `PUT status reopened` does (docs L1475: "the agent is unassigned; the status of the
    /// conversation changes to new"), in a new interaction (L2746: "If the conversation is reopened, a new
    /// interaction_id is assigned to the conversation"), with cause CUSTOMER_DISSATISFACTION.
    private func reopen(_ conversation: inout Conversation, db: Database, now: Int64) throws {
        var machine = conversation.machine
        guard case .perform(let actions) = machine.reopen() else {
            throw APIError(.internalServerError, message: "a resolved conversation could not be reopened")
        }
        conversation.machine = machine
        conversation.interactionID = Conversation.interactionID(from: emulator.ids.next(), at: now)
        conversation.updatedTime = now
        try db.updateConversation(conversation)
        for event in conversation.events(for: actions, at: now, cause: "CUSTOMER_DISSATISFACTION") {
            try db.append(event)
        }
    }

    /// The `csat_submitted` EventLog entry the CSAT reports and metrics read (docs L3520–3542, L3967–3987).
    static func event(for rating: CSATRating, in conversation: Conversation) -> Event {
        Event(
            .csatSubmitted, time: rating.created, conversationID: rating.conversationID,
            interactionID: rating.interactionID, actorType: rating.userID == nil ? nil : "user", actorID: rating.userID,
            userID: rating.userID, agentID: rating.agentID, groupID: conversation.assignedGroupID,
            channelID: conversation.channelID,
            data: [
                "csat_response_id": .integer(rating.csatResponseID),
                "rating": rating.rating.map { .integer($0) } ?? .null,
                "issue_resolved": .bool(rating.issueResolved),
                "reopen_conversation": .bool(rating.reopenConversation),
            ])
    }
}

extension APIError {
    /// 409 CONFLICT: the interaction already has its rating (one rating per interaction, docs L2746).
    static func csatAlreadySubmitted(_ existing: CSATRating) -> APIError {
        APIError(
            .conflict, status: "CONFLICT",
            message: "interaction \(existing.interactionID) of conversation \(existing.conversationID) already has a"
                + " CSAT rating (csat_response_id \(existing.csatResponseID)); one rating per interaction, and a"
                + " reopened conversation gets a new interaction to rate (docs L2746)")
    }
}
