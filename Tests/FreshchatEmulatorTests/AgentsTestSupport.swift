import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// The seeded agents, roles and groups the Agents tests use besides those of `Seeded` (seed/agents.json).
extension Seeded {
    /// Agent Daniel: ACCOUNT_ADMIN, group Automation, AVAILABLE on OCR.
    static let daniel = "a6cc8807-0bc5-49d9-88fc-d9e06ace8c09"
    /// Agent Kenji: the docs' DELETE example (L2353); custom role, group Automation, UNAVAILABLE on OCR.
    static let kenji = "c6c3a1b2-00d8-4d42-8ff7-4abb4c7fc496"
    /// Group Automation.
    static let automation = "b23cd57a-0c28-47a5-8fbf-3807cdcf80c0"
    /// The custom role "Internal agent" (docs L2920).
    static let internalAgentRole = "8bee5c99-2695-436c-a266-5cb310190406"
    /// The custom status "In a meeting" of the docs' PATCH example (L2315).
    static let inAMeeting = "0062b314-5b7d-466f-963e-1e0a723d4d64"
    /// The custom status "BRB" (docs L2272).
    static let brb = "b75c38ce-7471-4db9-900f-238cd1b51938"

    /// The seeded agents' emails in ascending order.
    static let agentEmails = [
        "daniel.okafor@example.com", "kenji.sato@example.com", "lena.fischer@example.com", "marcus.webb@example.com",
        "priya.raman@example.com", "sofia.lindqvist@example.com",
    ]

    /// The create request of docs L2112 (with the comma it lacks), in the seeded group Billing: the docs' group
    /// a9a02944… is not seeded (seed/README.md).
    static let alice: JSONValue = [
        "avatar": ["url": "https://web.freshchat.com/img/johndoe.png"],
        "biography": "Hi, I am your Technical Support Engineer.", "email": "alice.adrian@email.com",
        "first_name": "Alice", "groups": [.string(billing)], "last_name": "Adian", "license_type": "FULLTIME",
        "locale": "en-us", "org_contact_id": "138763287863827323", "phone": "123456789", "role_id": "AGENT",
        "role_name": "Agent", "skill_id": "44bb89c8-0aa3-4f83-a07c-d75e909f253d",
        "social_profiles": [["type": "facebook", "id": "alice.adrian"]], "timezone": "Asia/Kolkata",
    ]

    /// The seed's agent object `id`, as seed/agents.json holds it.
    static func seededAgent(_ id: String) throws -> JSONValue? {
        let agents = try Seed.embedded.document("agents.json")?["agents"]?.arrayValue ?? []
        return agents.first { $0["id"]?.stringValue == id }
    }
}

/// Helpers that read like the Agents API.
extension EmulatorClient {
    /// `POST /v2/agents` with `body`; records an issue unless the answer is 201.
    /// - Returns: the created agent object.
    @discardableResult
    func createAgent(_ body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(.post, "/v2/agents", body: body.serialized())
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// The id of an agent created with `body`.
    func createAgentID(_ body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        createAgent(body, sourceLocation: sourceLocation)["id"]?.stringValue ?? ""
    }

    /// `GET /v2/agents/{id}`: the agent object, or nil unless 200.
    func agent(_ id: String) -> JSONValue? {
        let response = send(.get, "/v2/agents/\(id)")
        guard response.code == 200 else { return nil }
        return response.json
    }

    /// `GET target` on the list endpoint; records an issue unless 200.
    func listAgents(_ target: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let response = send(.get, target)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// `PATCH /v2/agents/{id}` with `{"agent_status": {"id", "name"}}`.
    func setStatus(_ id: String, statusID: String, name: String) -> TestResponse {
        let body: JSONValue = ["agent_status": ["id": .string(statusID), "name": .string(name)]]
        return send(.patch, "/v2/agents/\(id)", body: body.serialized())
    }
}

extension TestEmulator {
    /// The `agent_status_changed` events, in order.
    func agentStatusEvents() throws -> [Event] {
        try emulator.store.read { db in try db.events(kinds: [.agentStatusChanged]) }
    }

    /// How many agent rows and agent_group rows the store holds.
    func agentRowCounts() throws -> (agents: Int, memberships: Int) {
        try emulator.store.read { db in
            (
                try db.scalarInt("SELECT count(*) FROM agent") ?? -1,
                try db.scalarInt("SELECT count(*) FROM agent_group") ?? -1
            )
        }
    }
}

extension JSONValue {
    /// The `agents` of a list response, by `key` (default `email`).
    func agents(_ key: String = "email") -> [String] {
        (self["agents"]?.arrayValue ?? []).map { $0[key]?.stringValue ?? "?" }
    }
}
