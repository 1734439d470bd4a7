import HTTP
import Testing

@testable import FreshchatEmulator

/// A scripted day of activity on the frozen clock, all through the public API, and the numbers each metric gives for
/// it, computed by hand. Times are minutes after 10:00 on Monday 2024-01-15 (`TestEmulator.start`); the 202 jobs run
/// at once (async delay 0), so a conversation is created at the minute it is posted.
///
/// | time  | what happens                                                                                 |
/// | ----- | -------------------------------------------------------------------------------------------- |
/// | 10:00 | C1 created by user U1, no group, no agent; U1 is waiting                                      |
/// | 10:02 | C1 assigned to group Support                                                                  |
/// | 10:05 | C1 assigned to Priya (Support)                                                                |
/// | 10:10 | Priya replies to C1 (first response)                                                          |
/// | 10:15 | C2 created by U2 in group Sales with Marcus                                                   |
/// | 10:20 | U1 writes in C1                                                                               |
/// | 10:21 | Sofia adds a private note to C1 (not a response)                                              |
/// | 10:23 | Priya replies to C1 (a response after the first)                                              |
/// | 10:30 | C1 resolved (by Priya, Support)                                                               |
/// | 10:35 | CSAT 5 on C1                                                                                  |
/// | 10:40 | Marcus replies to C2 (first response)                                                         |
/// | 10:50 | C2 reassigned to Sofia (Sales)                                                                |
/// | 11:00 | C3 created by U3 in group Support with Priya; U2 writes in C2                                 |
/// | 11:02 | Priya replies to C3 (first response)                                                          |
/// | 11:05 | C3 resolved (Priya, Support)                                                                  |
/// | 11:10 | Sofia replies to C2; CSAT 3 on C3                                                             |
/// | 11:20 | U3 writes in C3: reopened (second interaction, Priya unassigned, still in Support)             |
/// | 11:25 | C3 assigned to Sofia (Support)                                                                |
/// | 11:30 | C2 resolved (Sofia, Sales)                                                                    |
/// | 11:40 | CSAT 2 on C2, reopen_conversation: reopened (second interaction, Sofia unassigned, Sales)      |
/// | 11:45 | Sofia replies to C3 (first response of its second interaction)                                |
/// | 11:50 | C4 created by U4, no group, no agent; Marcus's status set to BRB                             |
/// | 12:00 | now                                                                                          |
struct MetricsDay {
    let emulator: TestEmulator
    /// The conversations C1–C4.
    let c1: String, c2: String, c3: String, c4: String

    /// 10:00 on the day.
    static let start = TestEmulator.start
    /// 12:00, when the day's metrics are read.
    static let now = start + 120 * 60_000

    /// The instant `minutes` after 10:00.
    static func at(_ minutes: Int64) -> Int64 { start + minutes * 60_000 }

    /// The instant `minutes` after 10:00 as the API writes it.
    static func stamp(_ minutes: Int64) -> String { Timestamp.format(at(minutes)) }

    /// Plays the day on a fresh emulator and leaves its clock at 12:00.
    init() throws {
        let emulator = try TestEmulator(configure: { $0.asyncDelay = 0 })
        self.emulator = emulator
        let users = (1...4).map { emulator.createUserID(["first_name": .string("U\($0)")]) }
        func move(_ minutes: Int64) throws { try emulator.setMetricsClock(to: Self.at(minutes)) }
        c1 = try emulator.metricsConversation(user: users[0])
        try move(2)
        emulator.update(c1, ["assigned_group_id": .string(Seeded.support)])
        try move(5)
        emulator.update(c1, ["assigned_agent_id": .string(Seeded.priya)])
        try move(10)
        emulator.metricsReply(c1, from: Seeded.priya)
        try move(15)
        c2 = try emulator.metricsConversation(user: users[1], group: Seeded.sales, agent: Seeded.marcus)
        try move(20)
        emulator.metricsWrite(c1, from: users[0])
        try move(21)
        emulator.metricsReply(c1, from: Seeded.sofia, type: "private")
        try move(23)
        emulator.metricsReply(c1, from: Seeded.priya)
        try move(30)
        emulator.update(c1, ["status": "resolved"])
        try move(35)
        emulator.metricsRate(c1, ["issue_resolved": true, "rating": 5])
        try move(40)
        emulator.metricsReply(c2, from: Seeded.marcus)
        try move(50)
        emulator.update(c2, ["assigned_agent_id": .string(Seeded.sofia)])
        try move(60)
        c3 = try emulator.metricsConversation(user: users[2], group: Seeded.support, agent: Seeded.priya)
        emulator.metricsWrite(c2, from: users[1])
        try move(62)
        emulator.metricsReply(c3, from: Seeded.priya)
        try move(65)
        emulator.update(c3, ["status": "resolved"])
        try move(70)
        emulator.metricsReply(c2, from: Seeded.sofia)
        emulator.metricsRate(c3, ["issue_resolved": true, "rating": 3])
        try move(80)
        emulator.metricsWrite(c3, from: users[2])
        try move(85)
        emulator.update(c3, ["assigned_agent_id": .string(Seeded.sofia)])
        try move(90)
        emulator.update(c2, ["status": "resolved"])
        try move(100)
        emulator.metricsRate(c2, ["issue_resolved": false, "rating": 2, "reopen_conversation": true])
        try move(105)
        emulator.metricsReply(c3, from: Seeded.sofia)
        try move(110)
        c4 = try emulator.metricsConversation(user: users[3])
        let status = emulator.send(
            .patch, "/v2/agents/\(Seeded.marcus)",
            json: ["agent_status": ["id": .string(Seeded.brb), "name": "BRB"]])
        #expect(status.code == 200, "\(status.text)")
        try move(120)
    }

    /// `GET /v2/metrics/historical?<query>` for the whole morning (10:00–12:00) unless `query` gives start and end.
    func historical(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        var target = "/v2/metrics/historical?" + query
        if !query.contains("start=") { target += "&start=\(Self.stamp(0))&end=\(Self.stamp(120))" }
        let response = emulator.send(.get, target)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }
}

extension TestEmulator {
    /// Sets the frozen clock to `millis` and runs the jobs that fall due.
    func setMetricsClock(to millis: Int64) throws {
        clock.set(millis)
        try emulator.jobs.runDue()
    }

    /// `POST /v2/conversations` with one message from `user`, in `group` with `agent`; runs the creation job.
    /// - Returns: the conversation id.
    func metricsConversation(
        user: String, group: String? = nil, agent: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        var body: JSONObject = [
            "channel_id": .string(Seeded.channel), "messages": [Seeded.userMessage(from: user)],
            "users": [["id": .string(user)]],
        ]
        if let group { body["assigned_group_id"] = .string(group) }
        if let agent { body["assigned_agent_id"] = .string(agent) }
        let response = send(.post, "/v2/conversations", json: .object(body))
        #expect(response.code == 202, "\(response.text)", sourceLocation: sourceLocation)
        try emulator.jobs.runDue()
        return response.json["conversation_id"]?.stringValue ?? ""
    }

    /// An agent message (`normal` unless `type` says otherwise) in conversation `id`.
    func metricsReply(
        _ id: String, from agent: String, type: String = "normal", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var message = Seeded.agentMessage(from: agent).objectValue ?? JSONObject()
        message["message_type"] = .string(type)
        let response = sendMessage(id, .object(message))
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
    }

    /// A user message in conversation `id`.
    func metricsWrite(_ id: String, from user: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let response = sendMessage(id, Seeded.userMessage(from: user))
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
    }

    /// `POST /v2/csat/{id}` with `body`, expecting 201.
    func metricsRate(_ id: String, _ body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        let response = postCSAT(id, body)
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
    }

    /// `GET /v2/metrics/instant?<query>`, expecting 200.
    func instantMetrics(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(.get, "/v2/metrics/instant?" + query)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// `PUT /_emulator/agents/{id}/presence` with `body`.
    func putPresence(_ id: String, _ body: JSONValue) -> TestResponse {
        send(.put, "/_emulator/agents/\(id)/presence", json: body)
    }
}

extension JSONValue {
    /// The values of a historical answer: for each data entry (by its groupings' values joined with `,`, `""` for
    /// none), each series element's values by metric name.
    var metricSeries: [String: [[String: String]]] {
        var result: [String: [[String: String]]] = [:]
        for entry in self["data"]?.arrayValue ?? [] {
            let name = (entry["groupings"]?.arrayValue ?? []).map { $0["value"]?.stringValue ?? "null" }
                .joined(separator: ",")
            result[name] = (entry["series"]?.arrayValue ?? []).map { element in
                var values: [String: String] = [:]
                for value in element["values"]?.arrayValue ?? [] {
                    values[value["key"]?.stringValue ?? "?"] = value["value"]?.stringValue ?? "?"
                }
                return values
            }
        }
        return result
    }

    /// The single value of `metric` in a historical answer without interval, per grouping value (`""` for none).
    func metricValues(_ metric: String) -> [String: String] {
        metricSeries.compactMapValues { $0.first?[metric] }
    }

    /// The groupings' values of a historical or instant answer, in order.
    var metricGroupings: [String] {
        (self["data"]?.arrayValue ?? []).map {
            ($0["groupings"]?.arrayValue ?? []).map { $0["value"]?.stringValue ?? "null" }.joined(separator: ",")
        }
    }

    /// The counts of an instant answer, per grouping value (`""` for none).
    var instantCounts: [String: Int64] {
        var result: [String: Int64] = [:]
        for (entry, name) in zip(self["data"]?.arrayValue ?? [], metricGroupings) {
            result[name] = entry["values"]?.arrayValue?.first?["count"]?.intValue
        }
        return result
    }
}
