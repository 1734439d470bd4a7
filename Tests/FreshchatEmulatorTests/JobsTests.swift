import SQLite
import Testing

@testable import FreshchatEmulator

/// ARCHITECTURE.md: "202 flows are real jobs … Advancing a frozen clock runs the jobs that fall due."
@Suite struct JobsTests {
    func enqueue(_ emulator: TestEmulator, kind: String = "test.mark", delay: Int64 = 1_000, value: String) throws {
        try emulator.emulator.store.write { db in
            try db.execute("CREATE TABLE IF NOT EXISTS mark (value TEXT)")
            try emulator.emulator.jobs.enqueue(
                db, kind: kind, payload: .string(value), id: emulator.emulator.ids.next(),
                now: emulator.clock.now, delayMillis: delay)
        }
    }

    func marks(_ emulator: TestEmulator) throws -> [String] {
        try emulator.emulator.store.read { db in try db.query("SELECT value FROM mark").map { try $0.string("value") } }
    }

    func makeEmulator() throws -> TestEmulator {
        let emulator = try TestEmulator()
        emulator.emulator.jobs.register("test.mark") { db, payload, _ in
            try db.execute("INSERT INTO mark (value) VALUES (?)", [.text(payload.stringValue ?? "")])
        }
        emulator.emulator.jobs.register("test.fail") { db, _, _ in
            try db.execute("INSERT INTO mark (value) VALUES ('partial')")
            throw JobError(message: "boom")
        }
        return emulator
    }

    @Test func job_Waits_UntilTheClockReachesItsDueTime() throws {
        let emulator = try makeEmulator()
        try enqueue(emulator, value: "a")
        #expect(try emulator.emulator.jobs.runDue() == 0)
        #expect(try emulator.advance(milliseconds: 999) == 0)
        #expect(try marks(emulator).isEmpty)
        #expect(try emulator.advance(milliseconds: 1) == 1)
        #expect(try marks(emulator) == ["a"])
        #expect(try emulator.advance(milliseconds: 5_000) == 0, "a job runs once")
    }

    @Test func jobs_RunInDueOrder() throws {
        let emulator = try makeEmulator()
        try enqueue(emulator, delay: 3_000, value: "late")
        try enqueue(emulator, delay: 1_000, value: "early")
        try enqueue(emulator, delay: 0, value: "now")
        #expect(try emulator.advance(milliseconds: 5_000) == 3)
        #expect(try marks(emulator) == ["now", "early", "late"])
    }

    @Test func failingJob_RollsBackItsWork_AndIsMarkedFailed() throws {
        let emulator = try makeEmulator()
        try enqueue(emulator, value: "ok")
        try enqueue(emulator, kind: "test.fail", value: "x")
        try emulator.advance()
        #expect(try marks(emulator) == ["ok"])
        let failed = try emulator.emulator.store.read { db in
            try db.scalarString("SELECT error FROM job WHERE status = 'failed'")
        }
        #expect(failed?.contains("boom") == true)
    }

    @Test func enqueue_IsUndone_WhenTheRequestTransactionRollsBack() throws {
        let emulator = try makeEmulator()
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try emulator.emulator.store.write { db in
                try emulator.emulator.jobs.enqueue(
                    db, kind: "test.mark", payload: "x", id: "j1", now: emulator.clock.now, delayMillis: 0)
                throw Abort()
            }
        }
        #expect(try emulator.advance() == 0)
    }
}

@Suite struct EventLogTests {
    @Test func events_AreReadBack_InOrder_WithTheirFields() throws {
        let emulator = try TestEmulator()
        try emulator.emulator.store.write { db in
            try db.append(Event(.conversationCreated, time: 1, conversationID: "c1", channelID: "ch"))
            try db.append(
                Event(.conversationReopened, time: 2, conversationID: "c1", data: ["cause": "USER_MESSAGE"]))
            try db.append(Event(.userCreated, time: 3, userID: "u1"))
        }
        let events = try emulator.emulator.store.read { try $0.events(conversationID: "c1") }
        #expect(events.map(\.kind) == [.conversationCreated, .conversationReopened])
        #expect(events[0].channelID == "ch")
        #expect(events[1].data["cause"] == "USER_MESSAGE")
        let users = try emulator.emulator.store.read { try $0.events(kinds: [.userCreated]) }
        #expect(users.map(\.userID) == ["u1"])
    }
}
