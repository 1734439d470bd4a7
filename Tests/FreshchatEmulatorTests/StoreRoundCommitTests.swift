import Dispatch
import Foundation
import HTTP
import SQLite
import Synchronization
import Testing

@testable import FreshchatEmulator

/// `Store.write` on an event loop's thread: the writes of one round share a transaction, one savepoint each, committed
/// before any of the round's answers leaves (issue #12). Exercised over a real server whose responder writes to a file
/// store: pipelined requests in one packet are one round.
@Suite struct StoreRoundCommitTests {
    /// `GET /insert/<v>` inserts `v` and answers 200; `/fail/<v>` inserts `v`, then throws (400); `/break` leaves a
    /// deferred foreign-key violation, which fails the COMMIT; `/lose/<v>` inserts `v`, then the whole transaction is
    /// rolled back under it (as SQLite does itself after `SQLITE_FULL`, `SQLITE_IOERR` or an interrupt) and it throws;
    /// `/snapshot` copies the store (`Store.copy`, which commits the round's writes first).
    struct Writer: Responder {
        let store: Store

        func respond(to request: Request) -> Response {
            let parts = request.path.split(separator: "/").map(String.init)
            do {
                switch parts.first {
                case "insert":
                    try store.write { try $0.execute("INSERT INTO probe (v) VALUES (?)", [.text(parts[1])]) }
                case "fail":
                    struct Refused: Error {}
                    do {
                        try store.write { db in
                            try db.execute("INSERT INTO probe (v) VALUES (?)", [.text(parts[1])])
                            throw Refused()
                        }
                    } catch is Refused {
                        return Response(status: .badRequest, body: Array("refused".utf8))
                    }
                case "lose":
                    struct Lost: Error {}
                    do {
                        try store.write { db in
                            try db.execute("INSERT INTO probe (v) VALUES (?)", [.text(parts[1])])
                            try db.execute("ROLLBACK")
                            throw Lost()
                        }
                    } catch is Lost {
                        return Response(status: .internalServerError, body: Array("lost".utf8))
                    }
                case "snapshot":
                    _ = try store.copy()
                case "break":
                    try store.write { db in
                        try db.execute("PRAGMA defer_foreign_keys = ON")
                        try db.execute("INSERT INTO probe_child (parent) VALUES ('nobody')")
                    }
                default:
                    return Response(status: .notFound)
                }
                return Response(status: .ok, body: Array(parts.joined(separator: " ").utf8))
            } catch {
                return Response(status: .internalServerError, body: Array("\(error)".utf8))
            }
        }
    }

    /// Runs `body` with a new file store holding the probe tables, served by `Writer` on `eventLoops` event loops;
    /// removes the files after.
    static func withServedStore(eventLoops: Int = 1, _ body: (Store, Server) throws -> Void) throws {
        let path = "/tmp/freshchat-round-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let store = try Store(path: path)
        defer { store.close() }
        try store.write { db in
            try db.execute("CREATE TABLE probe (v TEXT PRIMARY KEY)")
            try db.execute("CREATE TABLE probe_child (parent TEXT REFERENCES probe(v))")
        }
        let server = Server(
            configuration: .init(host: "127.0.0.1", port: 0, eventLoops: eventLoops), responder: Writer(store: store))
        try server.start()
        defer { server.shutdown(timeout: 1) }
        try body(store, server)
    }

    static func request(_ target: String, close: Bool = false) -> String {
        "GET \(target) HTTP/1.1\r\nHost: x\r\n\(close ? "Connection: close\r\n" : "")\r\n"
    }

    /// Sends `raw` on a new connection and reads until the server closes it.
    static func exchange(_ port: Int, _ raw: String) -> String {
        String(decoding: LiveTestEmulator.exchange(port: port, Array(raw.utf8)), as: UTF8.self)
    }

    static func statuses(_ text: String) -> [String] {
        text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
    }

    static func rows(_ store: Store) throws -> [String] {
        try store.read { db in try db.query("SELECT v FROM probe ORDER BY v").map { try $0.string("v") } }
    }

    /// Frames in the WAL now (the second column of `PRAGMA wal_checkpoint`; all checkpointed, so the next write starts the WAL over).
    static func walFrames(_ store: Store) throws -> Int {
        try store.read { db in
            try db.query("PRAGMA wal_checkpoint(PASSIVE)").first.map { try $0.int64("log") }.map(Int.init) ?? -1
        }
    }

    // Twenty pipelined inserts are one commit: a frame or two for the probe table's page, where twenty inserts one
    // round each write a frame each at least.
    @Test func pipelinedWrites_AreCommittedTogether() throws {
        try Self.withServedStore { store, server throws in
            _ = try Self.walFrames(store)
            let batch = (0..<20).map { Self.request("/insert/a\($0)", close: $0 == 19) }.joined()
            let text = Self.exchange(server.port, batch)
            #expect(Self.statuses(text) == Array(repeating: "200", count: 20), "\(text)")
            #expect(try Self.rows(store).count == 20)
            let grouped = try Self.walFrames(store)

            for index in 0..<20 {
                #expect(
                    Self.statuses(Self.exchange(server.port, Self.request("/insert/b\(index)", close: true))) == ["200"]
                )
            }
            let separate = try Self.walFrames(store)
            #expect(grouped >= 1 && grouped <= 3, "\(grouped) frames for the round")
            #expect(separate >= 20, "\(separate) frames for twenty rounds")
        }
    }

    // A write that throws undoes its own changes alone (its savepoint); the round's others commit.
    @Test func aFailingWrite_UndoesOnlyItself() throws {
        try Self.withServedStore { store, server throws in
            let text = Self.exchange(
                server.port,
                Self.request("/insert/a") + Self.request("/fail/b") + Self.request("/insert/c", close: true))
            #expect(Self.statuses(text) == ["200", "400", "200"], "\(text)")
            #expect(try Self.rows(store) == ["a", "c"])
            // The round's first write has no savepoint of its own: when it throws, the transaction goes, and the next
            // write opens another.
            let again = Self.exchange(
                server.port,
                Self.request("/fail/d") + Self.request("/insert/e") + Self.request("/fail/f")
                    + Self.request("/insert/g", close: true))
            #expect(Self.statuses(again) == ["400", "200", "400", "200"], "\(again)")
            #expect(try Self.rows(store) == ["a", "c", "e", "g"])
        }
    }

    /// Sends `paths` pipelined (one round), which must fail as a whole: one 500 ("…not made"), the connection closed,
    /// nothing of the round kept. Then `next` in a round of its own: every answer 200, the store holding `kept`.
    static func expectWholeRoundFails(
        _ paths: [String], thenRound next: [String], keeps kept: [String], _ store: Store, _ server: Server
    ) throws {
        let text = exchange(server.port, paths.map { request($0) }.joined())
        #expect(statuses(text) == ["500"], "\(text)")
        #expect(text.contains("Connection: close") && text.contains("not made"), "\(text)")
        #expect(try rows(store).isEmpty)
        let after = exchange(
            server.port, next.enumerated().map { request($0.element, close: $0.offset == next.count - 1) }.joined())
        #expect(statuses(after) == Array(repeating: "200", count: next.count), "\(after)")
        #expect(try rows(store) == kept)
    }

    // The round's COMMIT fails (a deferred foreign key): all of the round's changes are rolled back, no answer claims
    // one was made (one 500, then the connection closes), and the store serves the next request as before.
    @Test func aFailedCommit_RollsTheRoundBack_AndAnswers500() throws {
        try Self.withServedStore { store, server throws in
            try Self.expectWholeRoundFails(
                ["/insert/a", "/break", "/insert/c"], thenRound: ["/insert/d"], keeps: ["d"], store, server)
        }
    }

    // A write under which the whole transaction was rolled back (SQLite does so itself after SQLITE_FULL, SQLITE_IOERR
    // or an interrupt) took the round's earlier writes with it: the round's later writes are refused, nothing of it is
    // kept, its answers are one 500; the next round writes as before.
    @Test func aWriteThatLosesTheTransaction_FailsTheWholeRound() throws {
        try Self.withServedStore { store, server throws in
            try Self.expectWholeRoundFails(
                ["/insert/a", "/lose/b", "/insert/c"], thenRound: ["/insert/d"], keeps: ["d"], store, server)
        }
    }

    // A snapshot commits the round's writes first; when that commit fails, the snapshot is not taken and the round
    // makes no other change (the write after it is refused rather than committed and answered 500): nothing of the
    // round is kept and its answers are one 500. The loop's next round writes and snapshots as before.
    @Test func aFailedCommitAheadOfASnapshot_FailsTheWholeRound() throws {
        try Self.withServedStore { store, server throws in
            try Self.expectWholeRoundFails(
                ["/insert/a", "/break", "/snapshot", "/insert/c"], thenRound: ["/insert/d", "/snapshot", "/insert/e"],
                keeps: ["d", "e"], store, server)
        }
    }

    // Through the API: pipelined POST /v2/users in one round, one refused in between; the change feed gets one event
    // per created user, in the order of the requests, once the round has committed.
    @Test func pipelinedAPIWrites_PublishAnEventPerWrite_InOrder() throws {
        let emulator = try TestEmulator()
        let live = try LiveTestEmulator(emulator)
        func post(_ body: String, close: Bool = false) -> String {
            "POST /v2/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-token\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n" + body
        }
        let before = emulator.emulator.store.feed.lastID
        let text = Self.exchange(
            live.server.port,
            post(#"{"email":"one@example.com"}"#) + post(#"{"email":5}"#)
                + post(#"{"email":"two@example.com"}"#, close: true))
        #expect(Self.statuses(text) == ["201", "400", "201"], "\(text)")
        let events = emulator.emulator.store.feed.events.filter { $0.id > before }
        #expect(events.map(\.name) == ["user.created", "user.created"])
        #expect(events.first?.data.contains("one@example.com") == true)
        #expect(events.last?.data.contains("two@example.com") == true)
        let listed = emulator.send(.get, "/v2/users?email=two%40example.com")
        #expect(listed.json["users"]?.arrayValue?.count == 1, "\(listed.text)")
    }

    // Two event loops and a thread off them writing at once: each loop holds the store for its round, the others wait
    // for it; every write lands, none twice, and nothing deadlocks.
    @Test func loopsAndOtherThreads_WriteTogether_AndEveryWriteLands() throws {
        try Self.withServedStore(eventLoops: 2) { store, server throws in
            let clients = 6
            let perClient = 40
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: clients + 1) { index in
                if index == clients {
                    // Off the loops: plain transactions, waiting for the store while a loop holds it.
                    for n in 0..<perClient {
                        do {
                            try store.write { try $0.execute("INSERT INTO probe (v) VALUES (?)", [.text("t-\(n)")]) }
                        } catch { failures.withLock { $0.append("thread: \(error)") } }
                    }
                    return
                }
                // Pipelined batches of four, so rounds hold several writes.
                for batch in 0..<(perClient / 4) {
                    let raw = (0..<4).map {
                        Self.request("/insert/c\(index)-\(batch * 4 + $0)", close: $0 == 3)
                    }.joined()
                    let statuses = Self.statuses(Self.exchange(server.port, raw))
                    if statuses != ["200", "200", "200", "200"] {
                        failures.withLock { $0.append("client \(index): \(statuses)") }
                    }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
            #expect(try Self.rows(store).count == (clients + 1) * perClient)
        }
    }

    // Off an event loop a write commits before it returns, as before.
    @Test func offTheLoop_AWriteCommitsAtOnce() throws {
        let store = try Store(path: ":memory:")
        try store.write { try $0.execute("CREATE TABLE probe (v TEXT)") }
        try store.write { try $0.execute("INSERT INTO probe (v) VALUES ('x')") }
        #expect(try store.read { !$0.isInTransaction })
        #expect(try store.read { try $0.scalarInt("SELECT count(*) FROM probe") } == 1)
    }
}
