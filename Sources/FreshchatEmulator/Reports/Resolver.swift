/// Who resolved an interaction. A resolution through the API (`PUT status resolved`) names no actor: it is the
/// assigned agent's (AGENT, AGENT_RESOLVE), or without one the system's (SYSTEM, AUTO_RESOLVE) — docs L3481
/// "Possible values: AGENT, SYSTEM, and BOT", L3482 "AGENT_RESOLVE, AUTO_RESOLVE, BOTS_RESOLVE, and FREDDY_BOT_RESOLVE".
struct Resolver {
    /// The resolving agent, if an agent resolved it.
    var agentID: String?

    init(_ resolution: EventDerivations.Resolution?) {
        agentID = resolution?.agentID
    }

    /// `AGENT` or `SYSTEM`.
    var actorType: String { agentID == nil ? "SYSTEM" : "AGENT" }
    /// `AGENT_RESOLVE` or `AUTO_RESOLVE`.
    var resolveType: String { agentID == nil ? "AUTO_RESOLVE" : "AGENT_RESOLVE" }

    /// The agent's name, or `SYSTEM`.
    func name(_ data: ReportData) -> String { agentID == nil ? "SYSTEM" : data.agentName(agentID) }
}
