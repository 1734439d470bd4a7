import Foundation
import Testing

/// `GET /_emulator/events` from the real binary over a real socket (issue #11): a chunked `text/event-stream` that
/// carries the changes made through `/v2`, resumes with `Last-Event-ID`, and frees everything when the client leaves.
@Suite
struct EventsEndToEndTests {
    /// Reads a chunked event stream: the head, then the events as their chunks arrive.
    final class EventStream {
        let client: Client
        private var raw: [UInt8] = []
        private var text = ""
        private(set) var head = ""
        private(set) var ended = false

        init(_ emulator: RunningEmulator, headers: [String] = []) throws {
            client = try emulator.connect(timeout: 10)
            try client.send(RawRequest.get("/_emulator/events", headers: headers))
            let deadline = monotonicSeconds() + 10
            while true {
                if let end = Self.find("\r\n\r\n", in: raw) {
                    head = String(decoding: raw[..<end], as: UTF8.self)
                    raw.removeFirst(end + 4)
                    break
                }
                guard monotonicSeconds() < deadline, try receive() else { throw HarnessError("no response head") }
            }
        }

        private func receive() throws -> Bool {
            guard client.waitReadable(timeout: 0.2) else { return true }
            let bytes = try client.receiveSome()
            if bytes.isEmpty { return false }
            raw.append(contentsOf: bytes)
            return true
        }

        /// Decodes the complete chunks received so far into `text` (RFC 9112 §7.1).
        private func decode() throws {
            while let lineEnd = Self.find("\r\n", in: raw) {
                let sizeText = String(decoding: raw[..<lineEnd], as: UTF8.self)
                guard let size = Int(sizeText, radix: 16) else { throw HarnessError("bad chunk size '\(sizeText)'") }
                if size == 0 {
                    ended = true
                    raw.removeAll()
                    return
                }
                guard raw.count >= lineEnd + 2 + size + 2 else { return }
                text += String(decoding: raw[(lineEnd + 2)..<(lineEnd + 2 + size)], as: UTF8.self)
                guard raw[lineEnd + 2 + size] == 13, raw[lineEnd + 3 + size] == 10 else {
                    throw HarnessError("chunk not followed by CRLF")
                }
                raw.removeFirst(lineEnd + 4 + size)
            }
        }

        /// The body received so far, as text.
        var body: String { text }

        /// Every event received so far, parsed.
        var events: [(id: Int, name: String, data: [String: Any])] {
            text.components(separatedBy: "\n\n").dropLast().compactMap { block in
                var id: Int?
                var name = "message"
                var data: [String: Any]?
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") {
                        data = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
                    }
                }
                guard let id, let data else { return nil }
                return (id, name, data)
            }
        }

        /// Reads until `done` holds for the events (or `seconds` pass, or the stream ends).
        func read(
            for seconds: Double = 10, until done: ([(id: Int, name: String, data: [String: Any])]) -> Bool
        ) throws {
            let deadline = monotonicSeconds() + seconds
            while true {
                try decode()
                if done(events) || ended || monotonicSeconds() > deadline { return }
                guard try receive() else { return }
            }
        }

        private static func find(_ needle: String, in haystack: [UInt8]) -> Int? {
            let n = Array(needle.utf8)
            guard haystack.count >= n.count else { return nil }
            for i in 0...(haystack.count - n.count) where haystack[i] == n[0] && Array(haystack[i..<(i + n.count)]) == n
            {
                return i
            }
            return nil
        }
    }

    private static func createConversation(_ api: StoryTests.API, user: String, text: String) throws -> String {
        let create = """
            {"channel_id":"\(StoryTests.channel)","users":[{"id":"\(user)"}],
             "messages":[{"message_parts":[{"text":{"content":"\(text)"}}],"actor_type":"user","actor_id":"\(user)"}]}
            """
        let (status, created) = try api.call("POST", "/v2/conversations", create)
        #expect(status == 202)
        return try #require(created["conversation_id"] as? String)
    }

    @Test func events_CarryTheChanges_ResumeWithLastEventID_AndFreeTheConnection() throws {
        let emulator = try RunningEmulator(["--async-delay", "0"])
        let api = StoryTests.API(emulator: emulator)
        let (_, user) = try api.call("POST", "/v2/users", #"{"first_name":"Ada"}"#)
        let userID = try #require(user["id"] as? String)
        pause(0.2)
        let baseline = emulator.openDescriptorCount

        // Open the stream, then create a conversation through /v2: its events arrive as they commit.
        let first = try EventStream(emulator)
        #expect(first.head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(first.head.contains("\r\nContent-Type: text/event-stream"))
        #expect(first.head.contains("\r\nCache-Control: no-cache"))
        #expect(first.head.contains("\r\nTransfer-Encoding: chunked"))
        let id = try Self.createConversation(api, user: userID, text: "Hello over SSE")
        try first.read { $0.contains { $0.name == "message.created" } }
        #expect(first.body.hasPrefix("retry: 2000\n\n"))
        let seen = first.events
        #expect(seen.map(\.name) == ["conversation.created", "message.created"], "\(first.body)")
        #expect(seen.first?.data["conversation_id"] as? String == id)
        #expect(seen.last?.data["conversation_id"] as? String == id)
        let retrieved = try api.eventually("/v2/conversations/\(id)", is: 200)
        let created = NSDictionary(dictionary: seen.first?.data ?? [:])
        #expect(created.isEqual(to: retrieved), "\(created) != \(retrieved)")
        let lastSeen = try #require(seen.last?.id)

        // Hang up, miss a conversation, come back with Last-Event-ID: exactly the missed events.
        first.client.close()
        let missed = try Self.createConversation(api, user: userID, text: "Missed while away")
        _ = try api.eventually("/v2/conversations/\(missed)", is: 200)
        let second = try EventStream(emulator, headers: ["Last-Event-ID: \(lastSeen)"])
        try second.read { $0.count >= 2 }
        try second.read(for: 0.5) { $0.count >= 3 }  // nothing more may arrive
        let replayed = second.events
        #expect(replayed.map(\.name) == ["conversation.created", "message.created"], "\(second.body)")
        #expect(replayed.map(\.id) == [lastSeen + 1, lastSeen + 2])
        #expect(replayed.first?.data["conversation_id"] as? String == missed)
        second.client.close()

        // Both streams are gone: the server keeps serving and holds no more descriptors than before them.
        #expect(try emulator.get("/_emulator/health").status == 200)
        let deadline = monotonicSeconds() + 5
        while emulator.openDescriptorCount > baseline && monotonicSeconds() < deadline { pause(0.05) }
        #expect(emulator.openDescriptorCount <= baseline)
        #expect(emulator.terminate() == .exited(0))
    }

    // SIGTERM ends the stream with its last chunk; the process exits without waiting for the client to leave.
    @Test func events_EndOnShutdown() throws {
        let emulator = try RunningEmulator()
        let stream = try EventStream(emulator)
        try stream.read { _ in stream.body.hasPrefix("retry: 2000") }
        #expect(!stream.ended)
        let start = monotonicSeconds()
        emulator.process.send(signal: SIGTERM)
        try stream.read { _ in false }
        #expect(stream.ended, "the last chunk arrives: \(stream.body)")
        stream.client.close()
        #expect(emulator.process.wait(timeout: 5) == .exited(0))
        #expect(monotonicSeconds() - start < 2.5)
    }
}
