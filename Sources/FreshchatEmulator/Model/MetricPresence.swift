/// An agent's presence, as the instant metrics count it (docs L4162–4168). It is state of the agent object: online is
/// `login_status` (docs L1901: "Specifies whether the agent is logged into the Freshchat system"); available is
/// `availability_status` AVAILABLE (docs L1882: "Status of the agent’s availability for conversation
/// auto-assignment"), which goes with the "Active on Intelli Assign" (or "Active on OCR") state and is lost to a custom
/// status (docs L2336: "In a meeting" is UNAVAILABLE). The seed sets both; `PATCH /v2/agents/{agent_id}`,
/// `PUT /v2/agents/{agent_id}` (availability_status) and `PUT /_emulator/agents/{agent_id}/presence` change them.
struct MetricPresence: Sendable, Equatable {
    /// The agent's id.
    var agentID: String
    /// The groups the agent belongs to (docs L1893).
    var groups: [String]
    /// Logged in.
    var online: Bool
    /// Available for auto-assignment: active on IntelliAssign (or on Omniroute, its successor, for OCR agents).
    var available: Bool

    /// The presence of `agent`.
    init(_ agent: Agent) {
        agentID = agent.id
        groups = agent.groups
        online = agent.loginStatus
        available = agent.availabilityStatus == .available
    }
}
