import HTTP
import SQLite

/// `PUT /_emulator/agents/{agent_id}/presence {"online": bool, "intelliassign_active": bool}`: logs an agent in or
/// out and makes them active or inactive on IntelliAssign — what an agent does in the Freshchat UI, which the public
/// API cannot do (`PATCH /v2/agents/{agent_id}` only sets custom statuses, docs L2285). The instant metrics count it
/// (docs L4162–4168); each change is an `agent_status_changed` event for the Agent-Activity (online/offline, L3635)
/// and Agent-Intelliassign-Activity (active/inactive, L3641) reports.
///
/// Served by the app (like `/_emulator/health`), so with `--workspaces` it changes the workspace of the request's
/// bearer token; with `--admin-token` the request must carry that token, as the control plane's do.
struct PresenceAPI {
    let emulator: Emulator

    /// The route, under the emulator's `/_emulator/` prefix.
    func register(on router: Router) {
        router.add(.put, "/_emulator/agents/{agent_id}/presence", update)
    }

    /// The body: each member optional, at least one given.
    struct UpdateRequest {
        /// Logged in (`login_status`, docs L1901).
        var online: Bool?
        /// Active on IntelliAssign: AVAILABLE, in the "Active on Intelli Assign" (or "Active on OCR") state.
        var intelliAssignActive: Bool?

        /// - Throws: `APIError` 400 naming the member of the wrong type, or when neither is given or they contradict.
        init(_ body: Fields) throws(APIError) {
            online = try body.bool("online")
            intelliAssignActive = try body.bool("intelliassign_active")
            guard online != nil || intelliAssignActive != nil else {
                throw .badRequest(
                    "online or intelliassign_active is mandatory: send {\"online\": true|false,"
                        + " \"intelliassign_active\": true|false}")
            }
            if online == false, intelliAssignActive == true {
                throw .badRequest("intelliassign_active: an agent who goes offline cannot be active on IntelliAssign")
            }
        }
    }

    /// Applies the presence: logging out also makes an active agent inactive (docs L3641: "logging off
    /// (inactive)"); becoming active needs the agent online; becoming inactive leaves a custom status as it is.
    /// → 200 `{"id", "online", "intelliassign_active", "availability_status", "agent_status"}`.
    func update(_ request: Request) throws -> Response {
        if let token = emulator.config.adminToken, !EmulatorHost.carries(token, request) {
            throw APIError.unauthenticated("the control plane needs Authorization: Bearer <admin-token>")
        }
        let id = request.parameters["agent_id"] ?? ""
        let body = try UpdateRequest(Fields(try request.jsonObject()))
        let agent = try emulator.store.write { db in
            guard let before = try db.agent(id: id) else { throw APIError.agentNotFound }
            guard !before.isDeactivated else {
                throw APIError.badRequest("agent \(id) is deactivated; a deactivated agent has no presence")
            }
            var agent = before
            if let online = body.online { agent.loginStatus = online }
            var active = body.intelliAssignActive
            if !agent.loginStatus, agent.availabilityStatus == .available { active = active ?? false }
            if active == true {
                guard agent.loginStatus else {
                    throw APIError.badRequest(
                        "intelliassign_active: agent \(id) is offline; send \"online\": true to log them in first")
                }
                agent.availabilityStatus = .available
                agent.agentStatus = Agent.routingStatus(routingType: agent.routingType, availability: .available)
            } else if active == false, agent.availabilityStatus == .available {
                agent.availabilityStatus = .unavailable
                agent.agentStatus = Agent.routingStatus(routingType: agent.routingType, availability: .unavailable)
            }
            guard let event = agent.presenceChangedEvent(from: before, at: emulator.clock.now()) else { return before }
            try db.update(agent)
            try db.append(event)
            return agent
        }
        let presence = MetricPresence(agent)
        let answer: JSONValue = [
            "id": .string(agent.id), "online": .bool(presence.online),
            "intelliassign_active": .bool(presence.available),
            "availability_status": .string(agent.availabilityStatus.rawValue), "agent_status": agent.agentStatus.json,
        ]
        return .json(answer.bytes)
    }
}

extension Agent {
    /// The `agent_status_changed` event for a presence change from `before`, or nil when nothing changed: the data of
    /// `statusChangedEvent(from:at:)` plus `from_login_status` and `login_status`, so a report tells a log-in or
    /// log-out (online/offline) from a move between active and inactive.
    func presenceChangedEvent(from before: Agent, at time: Int64) -> Event? {
        let statusEvent = statusChangedEvent(from: before, at: time)
        guard statusEvent != nil || loginStatus != before.loginStatus else { return nil }
        var event =
            statusEvent
            ?? Event(
                .agentStatusChanged, time: time, agentID: id,
                data: [
                    "from_status_id": .optional(before.agentStatus.id),
                    "from_status_name": .string(before.agentStatus.name),
                    "to_status_id": .optional(agentStatus.id), "to_status_name": .string(agentStatus.name),
                    "from_availability_status": .string(before.availabilityStatus.rawValue),
                    "availability_status": .string(availabilityStatus.rawValue),
                ])
        event.data["from_login_status"] = .bool(before.loginStatus)
        event.data["login_status"] = .bool(loginStatus)
        return event
    }
}
