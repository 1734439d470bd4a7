import HTTP
import Testing

@testable import FreshchatEmulator

/// A day of activity on 2024-01-15, created through the public API on the frozen clock, that the raw-report tests
/// check their CSVs against:
///
/// | time     | what                                                                                        |
/// |----------|---------------------------------------------------------------------------------------------|
/// | 10:00:00 | users Ada and Bob; C1 created by Ada: group Billing, agent Priya, Ada's message (I1a)       |
/// | 10:00:01 | C2 created by Bob: group Support, no agent, Bob's message with `,` `"` and a line break (I2) |
/// | 10:05:00 | Priya replies in C1 (first response, 300 s)                                                  |
/// | 10:07:00 | C2 assigned to Sofia (419 s after its creation)                                               |
/// | 10:10:00 | Sofia replies in C2 (first response, 599 s)                                                  |
/// | 10:12:00 | Ada writes in C1                                                                              |
/// | 10:15:00 | C1 moved to group Support and agent Sofia (a reassignment, 900 s in)                         |
/// | 10:20:00 | Sofia replies in C1 (a response 480 s after Ada's 10:12 message)                              |
/// | 10:30:00 | C1 resolved (Sofia, Support; 1800 s)                                                          |
/// | 10:31:00 | CSAT on C1: issue resolved, rating 4, feedback `Quick, "really" quick`                       |
/// | 10:40:00 | C2 resolved (Sofia, Support; 2399 s)                                                          |
/// | 11:00:00 | Ada writes in C1: reopened by a user message, new interaction I1b, Sofia unassigned          |
/// | 11:05:00 | C1 assigned to Priya (300 s into I1b)                                                         |
/// | 11:10:00 | Priya replies in C1 (first response of I1b, 600 s)                                            |
/// | 11:20:00 | C1 resolved (Priya, Support; 1200 s)                                                          |
/// | 11:25:00 | CSAT on C1: issue not resolved, rating 2, no feedback                                        |
/// | 12:00:00 | Priya sets the custom status "In a meeting" (`PATCH /v2/agents/{id}`: UNAVAILABLE)            |
/// | 12:30:00 | Priya made AVAILABLE again (`PUT /v2/agents/{id}`)                                            |
struct ReportsDay {
    let emulator: TestEmulator
    let ada: String
    let bob: String
    let c1: String
    let c2: String
    /// The interactions: C1's first and second (after the reopening), C2's.
    let i1a: String
    let i1b: String
    let i2: String

    /// The seeded names the rows join.
    static let channel = Seeded.channel
    static let priyaName = "Priya Raman"
    static let sofiaName = "Sofia Lindqvist"
    static let adaName = "Ada Lovelace"
    static let bobFirstName = "Bob \"The Builder\""
    static let bobLastName = "Smith, Jr."
    static let bobMessage = "Hello,\n\"urgent\" question"
    static let feedback = "Quick, \"really\" quick"
    /// docs L3429: the inbox URL of a conversation, on the seeded account.
    static func url(_ conversation: String) -> String {
        "https://emulator.freshchat.com/a/4adf4aab-a061-5041-9306-78aa094cd1a1/open/conversation/\(conversation)"
    }

    /// `<conversation_id>-<epoch ms of the interaction's start>`.
    static func raw(_ conversation: String, _ time: String) -> String {
        conversation + "-" + String(ReportTime.at(time))
    }

    /// Plays the day; the clock ends at 12:30:00.
    init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let e = try TestEmulator()
        emulator = e
        ada = e.createUserID(
            [
                "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0000",
                "reference_id": "CRM-7", "org_contact_id": "1001",
            ], sourceLocation: sourceLocation)
        bob = e.createUserID(
            [
                "first_name": .string(Self.bobFirstName), "last_name": .string(Self.bobLastName),
                "email": "bob@example.com",
            ], sourceLocation: sourceLocation)
        c1 = try e.startConversation(
            Seeded.createBody(
                for: ada,
                [
                    ("messages", [Seeded.userMessage("I need a refund, please.", from: ada)]),
                    ("assigned_group_id", .string(Seeded.billing)), ("assigned_agent_id", .string(Seeded.priya)),
                ]), sourceLocation: sourceLocation)
        c2 = try e.startConversation(
            Seeded.createBody(
                for: bob,
                [
                    ("messages", [Seeded.userMessage(Self.bobMessage, from: bob)]),
                    ("assigned_group_id", .string(Seeded.support)),
                ]), sourceLocation: sourceLocation)
        try e.moveClock(to: ReportTime.at("10:05:00"))
        Self.expectOK(e.sendMessage(c1, Seeded.agentMessage("Sure - which order?", from: Seeded.priya)))
        try e.moveClock(to: ReportTime.at("10:07:00"))
        e.update(c2, ["assigned_agent_id": .string(Seeded.sofia)], sourceLocation: sourceLocation)
        try e.moveClock(to: ReportTime.at("10:10:00"))
        Self.expectOK(e.sendMessage(c2, Seeded.agentMessage("Looking into it.", from: Seeded.sofia)))
        try e.moveClock(to: ReportTime.at("10:12:00"))
        Self.expectOK(e.sendMessage(c1, Seeded.userMessage("Order 42.", from: ada)))
        try e.moveClock(to: ReportTime.at("10:15:00"))
        e.update(
            c1, ["assigned_group_id": .string(Seeded.support), "assigned_agent_id": .string(Seeded.sofia)],
            sourceLocation: sourceLocation)
        try e.moveClock(to: ReportTime.at("10:20:00"))
        Self.expectOK(e.sendMessage(c1, Seeded.agentMessage("Refunded.", from: Seeded.sofia)))
        try e.moveClock(to: ReportTime.at("10:30:00"))
        e.update(c1, ["status": "resolved"], sourceLocation: sourceLocation)
        try e.moveClock(to: ReportTime.at("10:31:00"))
        Self.expectCreated(
            e.send(
                .post, "/v2/csat/\(c1)",
                json: ["issue_resolved": true, "rating": 4, "additional_feedback": .string(Self.feedback)]))
        try e.moveClock(to: ReportTime.at("10:40:00"))
        e.update(c2, ["status": "resolved"], sourceLocation: sourceLocation)
        try e.moveClock(to: ReportTime.at("11:00:00"))
        Self.expectOK(e.sendMessage(c1, Seeded.userMessage("It did not arrive.", from: ada)))
        try e.moveClock(to: ReportTime.at("11:05:00"))
        e.update(c1, ["assigned_agent_id": .string(Seeded.priya)], sourceLocation: sourceLocation)
        try e.moveClock(to: ReportTime.at("11:10:00"))
        Self.expectOK(e.sendMessage(c1, Seeded.agentMessage("Sent again.", from: Seeded.priya)))
        try e.moveClock(to: ReportTime.at("11:20:00"))
        e.update(c1, ["status": "resolved"], sourceLocation: sourceLocation)
        try e.moveClock(to: ReportTime.at("11:25:00"))
        Self.expectCreated(e.send(.post, "/v2/csat/\(c1)", json: ["issue_resolved": false, "rating": 2]))
        try e.moveClock(to: ReportTime.at("12:00:00"))
        Self.expectOK(e.setStatus(Seeded.priya, statusID: Seeded.inAMeeting, name: "In a meeting"))
        try e.moveClock(to: ReportTime.at("12:30:00"))
        Self.expectOK(e.send(.put, "/v2/agents/\(Seeded.priya)", json: ["availability_status": "AVAILABLE"]))
        let c1Events = try e.events(of: c1)
        i1a = c1Events.first?.interactionID ?? ""
        i1b = c1Events.first { $0.kind == .conversationReopened }?.interactionID ?? ""
        i2 = try e.events(of: c2).first?.interactionID ?? ""
        #expect(!i1a.isEmpty && !i1b.isEmpty && !i2.isEmpty && i1a != i1b, sourceLocation: sourceLocation)
    }

    private static func expectOK(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
    }

    private static func expectCreated(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
    }
}
