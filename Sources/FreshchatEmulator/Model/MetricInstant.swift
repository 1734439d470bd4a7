/// An instant metric (docs L4162–4168, "Instant metrics"): a count of the team's agents in some state of presence
/// "at the instant when the metric is being retrieved".
enum MetricInstant: String, CaseIterable, Sendable {
    /// docs L4164: "A count of the number of agents who are online".
    case online = "team_presence.online"
    /// docs L4165: "A count of the number of agents who are offline".
    case offline = "team_presence.offline"
    /// docs L4166: "A count of the number of agents who are active for IntelliAssign".
    case activeOnIntelliAssign = "team_presence.active_on_intelliassign"
    /// docs L4167: "A count of the number of online agents who are inactive on IntelliAssign".
    case inactiveOnIntelliAssign = "team_presence.inactive_on_intelliassign"
    /// docs L4168: "A count of the total number of agents in the Freshchat system (online and offline)".
    case totalMembers = "team_presence.total_members"

    /// The metric `name` names. The docs' own example request spells the prefix `team_presense` (L4160); that
    /// spelling is accepted too.
    static func named(_ name: String) -> MetricInstant? {
        let misspelled = "team_presense."
        if name.hasPrefix(misspelled) {
            return MetricInstant(rawValue: "team_presence." + name.dropFirst(misspelled.count))
        }
        return MetricInstant(rawValue: name)
    }

    /// Whether an agent with `presence` is counted. An agent active on IntelliAssign is online: offline agents are
    /// not auto-assigned, so active + inactive = online.
    func includes(_ presence: MetricPresence) -> Bool {
        switch self {
        case .online: return presence.online
        case .offline: return !presence.online
        case .activeOnIntelliAssign: return presence.online && presence.available
        case .inactiveOnIntelliAssign: return presence.online && !presence.available
        case .totalMembers: return true
        }
    }
}
