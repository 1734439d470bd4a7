import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// Every statement the store prepares while the API answers its list, filter and write calls — every filter and
/// sort the docs allow — is checked with `EXPLAIN QUERY PLAN`: none may read a whole table (`SCAN <table>` without
/// an index), so the calls stay fast on a store of a million messages (issue "Performance across the API and at
/// scale"). The statements are the very strings the store ran: `Database.cachedSQL` lists what the connection
/// prepared, so a new query is checked as soon as a call below runs it.
@Suite struct QueryPlanTests {
    /// Tables a full scan is fine for: they hold the account's configuration (one row, or one per role, group,
    /// channel, custom status, conversation property, WhatsApp template or business number, webhook subscription:
    /// tens, set by the seed or the control plane, never by traffic). Reading them whole costs about what an index
    /// lookup does. `agent` is not among them: accounts have hundreds of agents and the lists page through them.
    static let configurationTables: Set<String> = [
        "account", "role", "group", "channel", "agent_status", "conversation_property", "whatsapp_template",
        "whatsapp_business_number", "business_hours", "webhook_subscription", "webhook_key",
    ]

    /// Statements that read a whole table on purpose: the table, a part of the statement, and why.
    static let deliberateScans: [(table: String, statement: String, reason: String)] = [
        (
            "job", "instr(payload, ?)",
            "erasing a user (GDPR, docs L663) clears every finished job whose payload mentions them: a payload is free"
                + " JSON, so no index finds an id in it; a rare call, not a list"
        ),
        (
            "job", "json_extract(payload, '$.user_id')",
            "erasing a user clears their pending profile updates, found by the id inside the payload (as above)"
        ),
        (
            "event", "SELECT * FROM event WHERE type IN (",
            "the historical metrics replay the EventLog's conversation entries (MetricFacts.eventKinds: every kind but"
                + " the users' and the agents' status changes), i.e. nearly all of it; through an index it would cost"
                + " more, and an index on the type would cost a write per message"
        ),
        (
            "agent", "SELECT id, doc FROM agent ORDER BY rowid",
            "opening a store (and importing a state document) rewrites the agent docs that are not the object as"
                + " answered (Database.canonicalizeAgentDocs): once per open or import, not per request"
        ),
        (
            "message", "SELECT seq, id, doc FROM message ORDER BY seq",
            "importing a state document rewrites the message docs that are not the object as answered"
                + " (Database.canonicalizeMessageDocs): once per import, not per request"
        ),
        (
            "agent_group", "SELECT agent_id, group_id FROM agent_group",
            "a raw report lists every agent with their groups (Agent-performance has a row per agent): the table is"
                + " the account's agents × their groups, not traffic"
        ),
    ]

    /// The tables a plan line scans without an index, skipping the configuration tables and what is not a table
    /// (a subquery, a constant row, a table-valued function such as `json_each`).
    static func fullScans(_ plan: [String]) -> [String] {
        plan.compactMap { detail -> String? in
            guard detail.hasPrefix("SCAN "), !detail.contains(" USING ") else { return nil }
            let name = detail.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
            if name.hasPrefix("(") || name == "CONSTANT" || detail.contains("VIRTUAL TABLE") { return nil }
            return configurationTables.contains(name) ? nil : name
        }
    }

    /// The `detail` column of the statement's query plan.
    /// The parameters are bound to NULL: without statistics (no ANALYZE) the plan does not depend on their values.
    static func plan(_ sql: String, _ db: Database) throws -> [String] {
        let explain = "EXPLAIN QUERY PLAN " + sql
        let count = try db.makeStatement(explain).parameterCount
        return try db.query(explain, Array(repeating: .null, count: count)).map { try $0.string("detail") }
    }

    @Test func fullScans_FindsATableReadWhole() throws {
        let store = try Store(path: ":memory:")
        let scans = try store.read { db in
            (
                whole: Self.fullScans(try Self.plan("SELECT * FROM user WHERE restore_id = ?", db)),
                indexed: Self.fullScans(try Self.plan("SELECT * FROM user WHERE email = ?", db)),
                configuration: Self.fullScans(try Self.plan("SELECT id FROM channel WHERE name = ?", db))
            )
        }
        #expect(scans.whole == ["user"])
        #expect(scans.indexed == [])
        #expect(scans.configuration == [])
    }

    @Test func everyStatementOfTheAPI_UsesAnIndex() throws {
        let emulator = try TestEmulator()
        let users = try exerciseTheAPI(emulator)
        let statements = try emulator.emulator.store.read { $0.cachedSQL }

        // The calls above ran the statements this test is about (so it cannot pass by checking nothing).
        for column in ["email", "first_name", "last_name", "created_time", "updated_time"] {
            #expect(
                statements.contains { $0.hasPrefix("SELECT * FROM user WHERE") && $0.contains("ORDER BY \(column)") })
        }
        for column in ["email", "first_name", "last_name", "created_time"] {
            #expect(
                statements.contains {
                    $0.hasPrefix("SELECT doc FROM agent") && $0.contains("ORDER BY \(column)")
                })
        }
        #expect(statements.contains { $0.contains("FROM message WHERE conversation_id = ?") })
        #expect(statements.contains { $0.contains("FROM outbound_message WHERE request_id = ?") })
        #expect(statements.contains { $0.contains("FROM conversation WHERE assigned_agent_id = ?") })
        #expect(statements.contains(Database.reportEventsSQL))
        #expect(statements.contains(Database.reportWholeLogSQL))
        #expect(statements.count > 60, "\(statements.count) statements")
        #expect(users.count == 3)

        // A sub-report reads its day's conversations through their index, not the log from its start.
        let reportPlan = try emulator.emulator.store.read { try Self.plan(Database.reportEventsSQL, $0) }
        #expect(reportPlan.contains { $0.contains("event_by_conversation") }, "\(reportPlan)")
        #expect(reportPlan.contains { $0.contains("event_by_time") }, "\(reportPlan)")
        #expect(reportPlan.contains { $0.contains("event_agent_status_changes") }, "\(reportPlan)")

        var offenders: [String] = []
        try emulator.emulator.store.read { db in
            // The schema's own table is read (and its CHECK lists rewritten) once when a store opens
            // (`Database.expandCheckLists`): not a table of the store's data.
            for sql in statements.sorted() where !sql.contains("sqlite_schema") {
                let plan = try Self.plan(sql, db)
                let scans = Self.fullScans(plan).filter { table in
                    !Self.deliberateScans.contains { $0.table == table && sql.contains($0.statement) }
                }
                if !scans.isEmpty {
                    offenders.append(
                        "\(scans.joined(separator: ", ")) read whole by:\n\(sql)\n  " + plan.joined(separator: "\n  "))
                }
            }
        }
        #expect(offenders.isEmpty, "\n\(offenders.joined(separator: "\n\n"))")
    }

    // The check sees what migration 8 fixed: on the schema before it, the same statements read whole tables.
    @Test func everyStatementOfTheAPI_WithoutMigration8_ReadsWholeTables() throws {
        let emulator = try TestEmulator()
        _ = try exerciseTheAPI(emulator)
        let statements = try emulator.emulator.store.read { $0.cachedSQL }
        let before = try Database(path: ":memory:")
        try before.migrate(Array(Schema.migrations.prefix(7)))
        var scanned = Set<String>()
        // A statement that names an index of migration 8 (`INDEXED BY`) cannot be prepared there: skipped.
        for sql in statements where !sql.contains("INDEXED BY") && !sql.contains("sqlite_schema") {
            scanned.formUnion(Self.fullScans(try Self.plan(sql, before)))
        }
        #expect(scanned.isSuperset(of: ["agent", "conversation"]), "\(scanned)")
    }

    /// Runs every list with each filter and sort, and the writes that touch what the lists read.
    /// - Returns: the ids of the users it created.
    private func exerciseTheAPI(_ emulator: TestEmulator) throws -> [String] {
        func ok(_ method: HTTPMethod, _ target: String, _ body: JSONValue? = nil) {
            let response = emulator.send(method, target, body: body?.serialized())
            #expect(response.code < 300, "\(method) \(target): \(response.code) \(response.text)")
        }
        let users = (0..<3).map { index in
            emulator.createUserID([
                "email": .string("u\(index)@example.com"), "first_name": .string("First\(index)"),
                "last_name": .string("Last\(index)"), "phone": .string("55500\(index)"),
                "reference_id": .string("ref-\(index)"),
            ])
        }
        // Users: each criterion (docs L286–330), each sort field, both orders.
        let criteria = [
            "first_name=First0", "last_name=Last1", "email=u2%40example.com", "reference_id=ref-0", "phone_no=555001",
            "created_from=2024-01-01T00:00:00.000Z", "created_to=2030-01-01T00:00:00.000Z",
            "updated_from=2024-01-01T00:00:00.000Z", "updated_to=2030-01-01T00:00:00.000Z",
            "created_from=2024-01-01T00:00:00.000Z&created_to=2030-01-01T00:00:00.000Z",
        ]
        for criterion in criteria {
            for sort in ["email", "first_name", "last_name", "created_time", "updated_time"] {
                for order in ["asc", "desc"] {
                    ok(.get, "/v2/users?\(criterion)&sort_by=\(sort)&sort_order=\(order)&items_per_page=2")
                }
            }
        }
        ok(.get, "/v2/users/\(users[0])")
        ok(.put, "/v2/users/\(users[0])", ["first_name": "Renamed"])
        ok(.post, "/v2/users/fetch", ["ids": .array(users.map { .string($0) })])

        // Agents: each filter (docs L1940–1952), alone and together, each sort field, both orders.
        let filters = [
            "", "is_deactivated=true", "is_deactivated=false", "groups=\(Seeded.support)",
            "availability_status=AVAILABLE", "availability_status=UNAVAILABLE",
            "is_deactivated=false&groups=\(Seeded.sales)&availability_status=AVAILABLE",
        ]
        for filter in filters {
            for sort in ["email", "first_name", "last_name", "created_time"] {
                for order in ["asc", "desc"] {
                    ok(.get, "/v2/agents?\(filter)&sort_by=\(sort)&sort_order=\(order)&items_per_page=2")
                }
            }
        }
        ok(.get, "/v2/agents/\(Seeded.priya)")

        // Conversations and messages: create, send, list both ways and from a time, assign, resolve, reopen.
        let body = Seeded.createBody([
            ("users", [["id": .string(users[1])]]),
            ("messages", [Seeded.userMessage(from: users[1])]),
        ])
        let conversation = try emulator.startConversation(body)
        ok(.post, "/v2/conversations/\(conversation)/messages", Seeded.agentMessage())
        ok(.post, "/v2/conversations/\(conversation)/messages", Seeded.userMessage("Thanks", from: users[1]))
        try emulator.advance()
        for query in ["", "?items_per_page=50", "?sort_order=asc", "?from_time=2024-01-01T00:00:00.000Z&page=1"] {
            ok(.get, "/v2/conversations/\(conversation)/messages" + query)
        }
        ok(
            .put, "/v2/conversations/\(conversation)",
            ["status": "assigned", "assigned_agent_id": .string(Seeded.priya)])
        ok(.put, "/v2/conversations/\(conversation)", ["status": "resolved"])
        ok(.post, "/v2/csat/\(conversation)", ["rating": 5, "issue_resolved": true, "user_id": .string(users[1])])
        ok(.put, "/v2/conversations/\(conversation)", ["status": "reopened"])
        ok(.put, "/v2/conversations/\(conversation)", ["assigned_agent_id": .string(Seeded.sofia)])
        ok(.get, "/v2/conversations/\(conversation)")
        ok(.get, "/v2/users/\(users[1])/conversations")
        try emulator.advance()

        // Outbound messages: all, and one request's (docs L3275–3373).
        ok(.get, "/v2/outbound-messages")
        ok(.get, "/v2/outbound-messages?request_id=missing&sort_order=desc")

        // Metrics and a raw report read the EventLog.
        ok(
            .get,
            "/v2/metrics/historical?metric=conversation_metrics.created_interactions&start=2024-01-15T08:00:00.000Z"
                + "&end=2024-01-15T10:00:00.000Z&interval=1h")
        ok(.get, "/v2/metrics/instant?metric=team_presence.online")
        ok(.get, "/v2/agents/status")
        for event in Report.Event.allCases {
            let rows = try emulator.reportRows(event.rawValue)
            #expect(rows.first == event.writer.columns)
        }

        // Deleting an agent unassigns its conversations; erasing a user erases what names them.
        ok(.delete, "/v2/agents/\(Seeded.sofia)")
        ok(.delete, "/v2/users/\(users[2])")
        try emulator.advance()
        return users
    }
}
