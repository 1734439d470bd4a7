import SQLite

/// The SQL of the Metrics section (docs L3864–4251). The historical metrics read the EventLog (`events(kinds:)`) and
/// the ids they group by; the instant metrics read the agents' presence, which lives in the agent object
/// (`login_status`, `availability_status`, `agent_status`, docs L1877–1901).
extension Database {
    /// Every group id, in configured order (as `GET /v2/groups` lists them).
    func metricGroupIDs() throws -> [String] {
        try query("SELECT id FROM \"group\" ORDER BY position").map { try $0.string("id") }
    }

    /// Every agent id, by email (as `GET /v2/agents` sorts them by default), then insertion order.
    func metricAgentIDs() throws -> [String] {
        try query("SELECT id FROM agent ORDER BY email, rowid").map { try $0.string("id") }
    }

    /// Whether agent `id` exists.
    func metricAgentExists(id: String) throws -> Bool {
        try scalarInt("SELECT count(*) FROM agent WHERE id = ?", [.text(id)]) == 1
    }

    /// The team as the instant metrics count it: every agent that is not deactivated, by email then insertion order.
    func teamMembers() throws -> [Agent] {
        try query("SELECT id, doc FROM agent WHERE is_deactivated = 0 ORDER BY email, rowid").map(Agent.init(row:))
            .filter { !$0.isDeleted }
    }
}
