import SQLite

/// The SQL of the Reports section (docs L3375–3862): the `report` table (a requested raw report and the EventLog
/// position it was generated at) and `report_link` (the one-hour links handed out for its sub-reports), and what the
/// CSV writers read: the EventLog up to that position and the names it joins. No CSV is stored: each is computed
/// from the log when its link is fetched, so a report keeps no personal data of its own (a GDPR erasure reaches it).
extension Database {
    // MARK: - Reports

    /// Inserts a report.
    func insert(_ report: Report) throws {
        try execute(
            """
            INSERT INTO report (id, event, start, "end", format, status, created_time, completed_time, event_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(report.id), .text(report.event.rawValue), .integer(report.start), .integer(report.end),
                .text(report.format), .text(report.status.rawValue), .integer(report.createdTime),
                SQLiteValue(report.completedTime), SQLiteValue(report.eventSeq),
            ])
    }

    /// The report with `id`, or nil.
    func report(id: String) throws -> Report? {
        try queryOne("SELECT * FROM report WHERE id = ?", [.text(id)]).map(Report.init(row:))
    }

    /// Records the end of a report's generation: its status, when, and the log position it covers.
    func finish(reportID: String, status: Report.Status, at time: Int64, eventSeq: Int64?) throws {
        try execute(
            "UPDATE report SET status = ?, completed_time = ?, event_seq = ? WHERE id = ?",
            [.text(status.rawValue), .integer(time), SQLiteValue(eventSeq), .text(reportID)])
    }

    /// The `seq` of the EventLog's last entry (0 when it is empty).
    func lastEventSeq() throws -> Int64 {
        try scalar("SELECT coalesce(max(seq), 0) FROM event")?.int64Value ?? 0
    }

    // MARK: - Links

    /// A link handed out for a sub-report: its secret token, the sub-report's range and when it stops working.
    struct ReportLink: Equatable {
        var token: String
        var reportID: String
        var from: Int64
        var to: Int64
        var expires: Int64
    }

    /// The link of sub-report `[from, …)` of `reportID` still valid at `now`, the newest if several.
    func liveReportLink(reportID: String, from: Int64, now: Int64) throws -> ReportLink? {
        try queryOne(
            """
            SELECT * FROM report_link WHERE report_id = ? AND from_date = ? AND expires_time > ?
            ORDER BY issued_time DESC, rowid DESC LIMIT 1
            """,
            [.text(reportID), .integer(from), .integer(now)]
        ).map(ReportLink.init(row:))
    }

    /// Stores a link issued at `issued`.
    func insert(_ link: ReportLink, issued: Int64) throws {
        try execute(
            """
            INSERT INTO report_link (token, report_id, from_date, to_date, issued_time, expires_time)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .text(link.token), .text(link.reportID), .integer(link.from), .integer(link.to), .integer(issued),
                .integer(link.expires),
            ])
    }

    /// The link whose token is `token`, expired or not, or nil.
    func reportLink(token: String) throws -> ReportLink? {
        try queryOne("SELECT * FROM report_link WHERE token = ?", [.text(token)]).map(ReportLink.init(row:))
    }

    // MARK: - What the writers read

    /// The EventLog entries sub-report `[from, to)` reads, up to and including entry `seq`, in log order, with their
    /// `seq`s. EventDerivations puts each conversation together from its own entries alone, so a report whose rows are
    /// anchored in the range needs only the conversations with an entry in it (all their entries, earlier ones
    /// included) and the agents' status changes; `wholeLog` (a report that also counts what spans the range without an
    /// entry in it) reads every entry.
    func reportEvents(upTo seq: Int64, from: Int64, to: Int64, wholeLog: Bool) throws -> (
        events: [Event], seqs: [Int64]
    ) {
        var events: [Event] = []
        var seqs: [Int64] = []
        try forEachReportEvent(upTo: seq, from: from, to: to, wholeLog: wholeLog) { event, seq in
            events.append(event)
            seqs.append(seq)
        }
        return (events, seqs)
    }

    /// The entries of `reportEvents(upTo:from:to:wholeLog:)`, handed to `body` one at a time with their `seq`s (none
    /// is kept here).
    func forEachReportEvent(
        upTo seq: Int64, from: Int64, to: Int64, wholeLog: Bool, _ body: (Event, Int64) throws -> Void
    ) throws {
        let (sql, args): (String, [SQLiteValue]) =
            wholeLog
            ? (Self.reportWholeLogSQL, [.integer(seq)])
            : (Self.reportEventsSQL, [.integer(seq), .integer(from), .integer(to)])
        try forEachRow(sql, args) { row in try body(try Event(row: row), try row.int64("seq")) }
    }

    /// Up to `limit` of the messages sent in `[from, to)`, up to entry `seq`, in time order (those of the same time in
    /// log order), after the one at `after` (its time and `seq`; nil to start at the first): a sub-report's messages,
    /// page by page.
    func reportMessages(upTo seq: Int64, from: Int64, to: Int64, after: (time: Int64, seq: Int64)?, limit: Int)
        throws -> [(event: Event, seq: Int64)]
    {
        let after = after ?? (Int64.min, Int64.min)
        return try query(
            Self.reportMessagesSQL,
            [
                .integer(seq), .integer(from), .integer(to), .integer(after.time), .integer(after.seq),
                .integer(Int64(limit)),
            ]
        ).map { (try Event(row: $0), try $0.int64("seq")) }
    }

    /// The `message_sent` entries up to `?1` in `[?2, ?3)` after `(?4, ?5)` (time, seq), `?6` at most: along
    /// `event_by_time (time, seq)`, in its order.
    static let reportMessagesSQL = """
        SELECT * FROM event WHERE time >= ?2 AND time < ?3 AND (time, seq) > (?4, ?5) AND seq <= ?1
            AND type = 'message_sent'
        ORDER BY time, seq LIMIT ?6
        """

    /// The EventLog up to entry `?1`.
    static let reportWholeLogSQL = "SELECT * FROM event WHERE seq <= ? ORDER BY seq"

    /// The entries up to `?1` of the conversations with an entry in `[?2, ?3)`, and the agents' status changes (which
    /// belong to no conversation). Two branches, so each reads its own index (`event_by_conversation` for the
    /// conversations, `event_agent_status_changes` for the status changes, named: the planner would rather take the
    /// conversation index for `conversation_id IS NULL`, which also holds every user's entries) rather than the log
    /// from its start.
    static let reportEventsSQL = """
        SELECT * FROM event WHERE seq <= ?1 AND conversation_id IN (
            SELECT conversation_id FROM event WHERE time >= ?2 AND time < ?3 AND seq <= ?1)
        UNION ALL
        SELECT * FROM event INDEXED BY event_agent_status_changes
        WHERE seq <= ?1 AND type = 'agent_status_changed' AND conversation_id IS NULL
        ORDER BY seq
        """

    /// The names, emails and texts the rows of `events` join: every agent (with their groups), the groups, channels
    /// and the account, and of the users, CSAT comments and — when `messages` — messages, those the events name.
    func reportDirectory(messages: Bool, events: [Event]) throws -> ReportData.Directory {
        var directory = try reportDirectory()
        try addReportNames(of: events, messages: messages, to: &directory)
        return directory
    }

    /// What every row may join whatever its events: the agents (with their groups), groups, channels and the account.
    func reportDirectory() throws -> ReportData.Directory {
        var directory = ReportData.Directory()
        var memberships: [String: Set<String>] = [:]
        for row in try query("SELECT agent_id, group_id FROM agent_group") {
            memberships[try row.string("agent_id"), default: []].insert(try row.string("group_id"))
        }
        for row in try query(
            """
            SELECT id, email, first_name, last_name, availability_status, created_time,
                json_extract(doc, '$.org_contact_id') AS org_contact_id FROM agent ORDER BY email, rowid
            """)
        {
            let id = try row.string("id")
            directory.agentOrder.append(id)
            directory.agents[id] = ReportData.Directory.Agent(
                id: id, firstName: try row.optionalString("first_name") ?? "",
                lastName: try row.optionalString("last_name") ?? "", email: try row.string("email"),
                orgContactID: try row.optionalString("org_contact_id") ?? "",
                availability: try row.string("availability_status"), createdTime: try row.int64("created_time"),
                groups: memberships[id] ?? [])
        }
        for row in try query("SELECT id, name FROM \"group\"") {
            directory.groups[try row.string("id")] = try row.string("name")
        }
        for row in try query("SELECT id, name FROM channel") {
            directory.channels[try row.string("id")] = try row.string("name")
        }
        if let account = try queryOne("SELECT app_id, json_extract(doc, '$.account_domain') AS domain FROM account") {
            directory.appID = try account.string("app_id")
            directory.accountDomain = try account.optionalString("domain") ?? ""
        }
        return directory
    }

    /// Adds to `directory` the users, CSAT comments and — when `messages` — message parts that `events` name.
    func addReportNames(of events: [Event], messages: Bool, to directory: inout ReportData.Directory) throws {
        // The ids go in as one JSON array (`json_each`), so the statement is the same whatever their number.
        var userIDs = Set<String>()
        var messageIDs = Set<String>()
        var ratingIDs = Set<Int64>()
        for event in events {
            if let id = event.userID { userIDs.insert(id) }
            if let id = event.actorID { userIDs.insert(id) }
            if messages, let id = event.messageID { messageIDs.insert(id) }
            if let id = event.data["csat_response_id"]?.intValue { ratingIDs.insert(id) }
        }
        func list(_ ids: some Sequence<String>) -> SQLiteValue {
            .text(JSONValue.array(ids.map { .string($0) }).serialized())
        }
        for row in try query(
            """
            SELECT id, first_name, last_name, email, phone, org_contact_id, reference_id FROM user
            WHERE id IN (SELECT value FROM json_each(?))
            """, [list(userIDs)])
        {
            directory.users[try row.string("id")] = ReportData.Directory.User(
                firstName: try row.optionalString("first_name") ?? "",
                lastName: try row.optionalString("last_name") ?? "", email: try row.optionalString("email") ?? "",
                phone: try row.optionalString("phone") ?? "",
                orgContactID: try row.optionalString("org_contact_id") ?? "",
                referenceID: try row.optionalString("reference_id") ?? "")
        }
        for row in try query(
            "SELECT csat_response_id, additional_feedback FROM csat WHERE csat_response_id IN (SELECT value FROM json_each(?))",
            [.text(JSONValue.array(ratingIDs.map { .integer($0) }).serialized())])
        {
            if let comment = try row.optionalString("additional_feedback") {
                directory.feedback[try row.int64("csat_response_id")] = comment
            }
        }
        if messages {
            for row in try query(
                "SELECT id, doc FROM message WHERE id IN (SELECT value FROM json_each(?))", [list(messageIDs)])
            {
                // The parts exactly as the API answers them (`message_parts` of the message object).
                let parts = (try? JSONParser.parse(try row.string("doc")))?["message_parts"] ?? []
                directory.messageParts[try row.string("id")] = parts.serialized()
            }
        }
    }
}

extension Report {
    /// Reads a `report` row.
    init(row: Row) throws {
        let eventName = try row.string("event")
        let statusName = try row.string("status")
        guard let event = Event(rawValue: eventName), let status = Status(rawValue: statusName) else {
            throw SQLiteError(code: 20, message: "report row holds an unknown event or status")  // SQLITE_MISMATCH
        }
        self.init(
            id: try row.string("id"), event: event, start: try row.int64("start"), end: try row.int64("end"),
            format: try row.string("format"), status: status, createdTime: try row.int64("created_time"),
            completedTime: try row.optionalInt64("completed_time"), eventSeq: try row.optionalInt64("event_seq"))
    }
}

extension Database.ReportLink {
    /// Reads a `report_link` row.
    init(row: Row) throws {
        self.init(
            token: try row.string("token"), reportID: try row.string("report_id"), from: try row.int64("from_date"),
            to: try row.int64("to_date"), expires: try row.int64("expires_time"))
    }
}
