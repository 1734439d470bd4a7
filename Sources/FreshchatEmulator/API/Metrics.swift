import HTTP
import SQLite

/// The Metrics section of the docs (L3864–4251): historical metrics computed from the EventLog, instant metrics from
/// the agents' presence.
struct MetricsAPI {
    let emulator: Emulator

    /// The most subsets an `interval` may cut the period into (10,000: a week of minutes, or 27 years of days); a
    /// longer series is refused with a 400 naming `interval`.
    static let maxSubsets = 10_000

    /// The largest `x_time`, in minutes (a year).
    static let maxXTime: Int64 = 525_600

    /// Routes, spelled as in the docs (L3873–3874) with the `/v2` prefix the requests use (L3881, L4140).
    func register(on router: Router) {
        router.add(.get, "/v2/metrics/historical", historical)
        router.add(.get, "/v2/metrics/instant", instant)
    }

    // MARK: - Retrieve historical metrics

    /// Retrieve historical metrics: docs L3876, `GET /v2/metrics/historical`.
    /// docs L4056: "A successful request returns 200 OK along with the following response." (L4100). docs L3869:
    /// "Metrics accurate up to five minutes before the current instant" — the emulator's are exact up to now.
    func historical(_ request: Request) throws -> Response {
        let query = try Self.historicalQuery(request.query)
        let now = emulator.clock.now()
        let answer = try emulator.store.read { db in
            try Self.requireFilters(query.filters, db)
            let facts = MetricFacts(events: try db.events(kinds: MetricFacts.eventKinds), now: now)
            return query.answer(
                facts: facts, groups: try db.metricGroupIDs(), agents: try db.metricAgentIDs(), now: now,
                subsetLimit: Self.maxSubsets)
        }
        return .json(answer.bytes)
    }

    /// docs L3973 and the table's filter_by column: "Any valid group.id or agent.id"; L4152: "Any valid group.id(s)".
    /// - Throws: `APIError` 400 naming the first filter whose group or agent does not exist.
    static func requireFilters(_ filters: [MetricFilter], _ db: Database) throws {
        for filter in filters {
            switch filter.key {
            case .group:
                guard try db.groupExists(id: filter.value) else {
                    throw APIError.badRequest("filter_by: no group with id \(filter.value)")
                }
            case .agent:
                guard try db.metricAgentExists(id: filter.value) else {
                    throw APIError.badRequest("filter_by: no agent with id \(filter.value)")
                }
            }
        }
    }
}
