import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// A sub-report reads only the conversations with an EventLog entry in its range and the agents' status changes
/// (`Database.reportEvents(upTo:from:to:wholeLog:)`), so a day's report on a large store does not load the whole log.
/// Every CSV it writes must be the one the whole log gives.
@Suite struct ReportsScopeTests {
    /// Two days: conversations created on the first and resolved, reopened or written to on the second, others on
    /// one day only; two created in the same millisecond (the frozen clock) with a message to the first after the
    /// second's creation.
    func makeTwoDays() throws -> TestEmulator {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        func ok(_ method: HTTPMethod, _ target: String, _ body: JSONValue) {
            let response = emulator.send(method, target, json: body)
            #expect(response.code < 300, "\(method) \(target): \(response.text)")
        }
        // Day 1 (2024-01-15): x and y in the same millisecond, then a message to x in that millisecond too.
        let created = [
            emulator.send(.post, "/v2/conversations", json: Seeded.createBody()),
            emulator.send(
                .post, "/v2/conversations",
                json: Seeded.createBody([("assigned_group_id", .string(Seeded.support))])),
        ]
        try emulator.advance()
        let x = created[0].json["conversation_id"]?.stringValue ?? ""
        let y = created[1].json["conversation_id"]?.stringValue ?? ""
        #expect(!x.isEmpty && !y.isEmpty, "\(created.map(\.text))")
        ok(.post, "/v2/conversations/\(x)/messages", Seeded.agentMessage())
        ok(.put, "/v2/conversations/\(x)", ["status": "assigned", "assigned_agent_id": .string(Seeded.priya)])
        let z = try emulator.startConversation()
        ok(.put, "/v2/conversations/\(z)", ["status": "resolved"])
        ok(.put, "/v2/agents/\(Seeded.marcus)", ["availability_status": "UNAVAILABLE"])
        ok(.put, "/v2/agents/\(Seeded.marcus)", ["availability_status": "AVAILABLE"])
        // Day 2: x answered and resolved, z reopened by a user message, a new conversation w.
        try emulator.moveClock(to: ReportTime.at("10:00:00") + 86_400_000)
        ok(.post, "/v2/conversations/\(x)/messages", Seeded.agentMessage("Done."))
        ok(.put, "/v2/conversations/\(x)", ["status": "resolved"])
        ok(.post, "/v2/conversations/\(z)/messages", Seeded.userMessage("Again"))
        let w = try emulator.startConversation(Seeded.createBody([("assigned_agent_id", .string(Seeded.sofia))]))
        ok(.post, "/v2/conversations/\(w)/messages", Seeded.agentMessage())
        try emulator.advance()
        return emulator
    }

    @Test func everySubReport_IsTheOneTheWholeLogGives() throws {
        let emulator = try makeTwoDays()
        let day1 = ReportTime.at("00:00:00")
        let ranges = [
            (day1, day1 + 86_400_000), (day1 + 86_400_000, day1 + 2 * 86_400_000), (day1, day1 + 2 * 86_400_000),
            (day1 + 86_400_000 + 36_000_000, day1 + 86_400_000 + 36_005_000),
        ]
        let now = emulator.clock.now
        try emulator.emulator.store.read { db in
            let last = try db.lastEventSeq()
            for (from, to) in ranges {
                let whole = try db.reportEvents(upTo: last, from: from, to: to, wholeLog: true)
                let scoped = try db.reportEvents(upTo: last, from: from, to: to, wholeLog: false)
                #expect(scoped.events.count <= whole.events.count)
                let wholeData = ReportData(
                    events: whole.events, seqs: whole.seqs,
                    directory: try db.reportDirectory(messages: true, events: whole.events), generatedAt: now)
                let scopedData = ReportData(
                    events: scoped.events, seqs: scoped.seqs,
                    directory: try db.reportDirectory(messages: true, events: scoped.events), generatedAt: now)
                for event in Report.Event.allCases where !event.writer.readsWholeLog {
                    let expected = event.csv(from: from, to: to, wholeData)
                    #expect(event.csv(from: from, to: to, scopedData) == expected, "\(event) [\(from), \(to))")
                }
            }
        }
    }

    // The CSV as it is sent (ReportExtract: the per-message reports read their messages again page by page, keyed on
    // time and seq; pieces of any size) is the one the whole log gives, whatever the page: messages of the same
    // millisecond fall on both sides of a page's end here.
    @Test func everyExtract_SentInPieces_IsTheCSVTheWholeLogGives() throws {
        let emulator = try makeTwoDays()
        let day1 = ReportTime.at("00:00:00")
        let ranges = [
            (day1, day1 + 86_400_000), (day1 + 86_400_000, day1 + 2 * 86_400_000), (day1, day1 + 2 * 86_400_000),
        ]
        let now = emulator.clock.now
        let store = emulator.emulator.store
        let last = try store.read { try $0.lastEventSeq() }
        for (from, to) in ranges {
            let whole = try store.read { db in
                let log = try db.reportEvents(upTo: last, from: from, to: to, wholeLog: true)
                return ReportData(
                    events: log.events, seqs: log.seqs,
                    directory: try db.reportDirectory(messages: true, events: log.events), generatedAt: now)
            }
            for event in Report.Event.allCases {
                let expected = event.csv(from: from, to: to, whole)
                for pageSize in [1, 2, 1_000] {
                    var extract = ReportExtract(
                        store: store, event: event, eventSeq: last, from: from, to: to, generatedAt: now)
                    extract.pageSize = pageSize
                    extract.pieceSize = 1
                    var pieces: [[UInt8]] = []
                    try extract.write {
                        pieces.append($0); return true
                    }
                    #expect(
                        String(decoding: pieces.joined(), as: UTF8.self) == expected,
                        "\(event) [\(from), \(to)) page \(pageSize)")
                    // A piece per record (the header's, then each row's): nothing is held back to the end.
                    #expect(pieces.count == (CSVText.parse(expected)?.count ?? -1), "\(event)")
                }
            }
        }
        // A message-rich sub-report is not trivially empty here.
        let rows = try store.read { db in
            let log = try db.reportEvents(upTo: last, from: day1, to: day1 + 86_400_000, wholeLog: true)
            return Report.Event.messageSent.writer.rows(
                from: day1, to: day1 + 86_400_000,
                ReportData(
                    events: log.events, seqs: log.seqs,
                    directory: try db.reportDirectory(messages: true, events: log.events), generatedAt: now))
        }
        #expect(rows.count >= 3)
    }

    // Once nobody takes more (the client hung up), the extract stops: no piece after the refused one.
    @Test func extract_StopsWhenAPieceIsRefused() throws {
        let emulator = try makeTwoDays()
        let day1 = ReportTime.at("00:00:00")
        let store = emulator.emulator.store
        let last = try store.read { try $0.lastEventSeq() }
        for event in [Report.Event.chatTranscript, .conversationCreated] {
            var extract = ReportExtract(
                store: store, event: event, eventSeq: last, from: day1, to: day1 + 2 * 86_400_000,
                generatedAt: emulator.clock.now)
            extract.pageSize = 1
            extract.pieceSize = 1
            var offered = 0
            try extract.write { _ in
                offered += 1
                return offered < 2
            }
            #expect(offered == 2, "\(event)")
        }
    }

    @Test func aDaysSubReport_ReadsOnlyTheConversationsActiveThatDay() throws {
        let emulator = try makeTwoDays()
        let day2 = ReportTime.at("00:00:00") + 86_400_000
        try emulator.emulator.store.read { db in
            let last = try db.lastEventSeq()
            let scoped = try db.reportEvents(upTo: last, from: day2, to: day2 + 86_400_000, wholeLog: false)
            let all = try db.reportEvents(upTo: last, from: day2, to: day2 + 86_400_000, wholeLog: true)
            let conversations = Set(scoped.events.compactMap(\.conversationID))
            let active = Set(
                all.events.filter { $0.time >= day2 && $0.time < day2 + 86_400_000 }.compactMap(\.conversationID))
            #expect(conversations == active)
            #expect(conversations.count == 3, "x, z and w; y had nothing on day 2")
            // Whole conversations, earlier entries included, in log order; status changes kept; users not.
            #expect(scoped.events.contains { $0.kind == .conversationCreated && $0.time < day2 })
            #expect(scoped.seqs == scoped.seqs.sorted())
            #expect(scoped.events.contains { $0.kind == .agentStatusChanged })
            #expect(!scoped.events.contains { $0.kind == .userCreated })
        }
    }
}
