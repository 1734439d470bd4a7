import Foundation
import Testing

/// A tour of every operation of `GET /_emulator/openapi.json` against the real binary: each is called at least once
/// with a valid request and answers the expected status, and the tour covers exactly the document's operations.
/// With `FRESHCHAT_RECORD_RESPONSES` set, `.ci/openapi-check` validates what it recorded against the schemas.
@Suite
struct OpenAPITourTests {
    static let agent = StoryTests.agent
    static let group = StoryTests.group
    static let channel = StoryTests.channel

    /// Calls operations by their path template and remembers which were called.
    final class Tour {
        let emulator: RunningEmulator
        private(set) var called = Set<String>()

        init(_ emulator: RunningEmulator) { self.emulator = emulator }

        /// Counts an operation called without `call` (a multipart upload).
        func note(_ operation: String) { called.insert(operation) }

        /// `method template` with `{…}` filled from `values` in order, `query` appended; expects `status`.
        @discardableResult
        func call(
            _ method: String, _ template: String, _ values: [String] = [], query: String = "", body: String? = nil,
            expect status: Int, sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> (json: Any?, response: HTTPResponse) {
            called.insert("\(method) \(template)")
            var path = ""
            var remaining = values[...]
            for segment in template.split(separator: "/") {
                if segment.hasPrefix("{") {
                    guard let value = remaining.popFirst() else {
                        Issue.record("no value for \(segment) in \(template)", sourceLocation: sourceLocation)
                        break
                    }
                    path += "/" + (value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? value)
                } else {
                    path += "/" + segment
                }
            }
            var headers = ["Authorization: Bearer tour"]
            if let body { headers += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"] }
            let target = query.isEmpty ? path : path + "?" + query
            let response = try emulator.request(RawRequest.make(method, target, headers: headers, body: body ?? ""))
            #expect(
                response.status == status, "\(method) \(target): \(response.bodyText.prefix(300))",
                sourceLocation: sourceLocation)
            return (try? JSONSerialization.jsonObject(with: Data(response.body)), response)
        }

        func object(
            _ method: String, _ template: String, _ values: [String] = [], query: String = "", body: String? = nil,
            expect status: Int, sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> [String: Any] {
            let answer = try call(
                method, template, values, query: query, body: body, expect: status, sourceLocation: sourceLocation)
            return answer.json as? [String: Any] ?? [:]
        }

        /// `GET` of a URL the emulator handed out (an image, a report link), by its path; expects 200.
        func fetch(_ url: String, as template: String) throws -> HTTPResponse {
            called.insert("GET \(template)")
            let path = try #require(URL(string: url)?.path, "not a URL: \(url)")
            let response = try emulator.get(path)
            #expect(response.status == 200, "GET \(path): \(response.status)")
            return response
        }
    }

    /// A 1×1 GIF.
    static let gif: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00,
        0x00, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
        0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    @Test func tour_CallsEveryDocumentedOperation_WithTheExpectedStatus() throws {
        let emulator = try RunningEmulator()
        let tour = Tour(emulator)
        let document = try tour.object("GET", "/_emulator/openapi.json", expect: 200)
        #expect(document["openapi"] as? String == "3.1.0")
        try tour.call("GET", "/_emulator/health", expect: 200)

        try users(tour)
        let conversation = try conversations(tour)
        try agents(tour)
        try resources(tour)
        try reportsAndMetrics(tour)
        try webhooks(tour, conversation: conversation)
        try controlPlane(tour)

        var documented = Set<String>()
        for (path, item) in document["paths"] as? [String: [String: Any]] ?? [:] {
            for method in item.keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        #expect(documented.count > 60)
        for missing in documented.subtracting(tour.called).sorted() {
            Issue.record("the tour does not call \(missing)")
        }
        for extra in tour.called.subtracting(documented).sorted() {
            Issue.record("the tour calls \(extra), which the document does not list")
        }
        _ = emulator.terminate()
    }

    private func users(_ tour: Tour) throws {
        try tour.call("GET", "/v2/accounts/configuration", expect: 200)
        let user = try tour.object(
            "POST", "/v2/users",
            body: #"{"email":"tour@example.com","first_name":"Tour","properties":[{"name":"plan","value":"gold"}]}"#,
            expect: 201)
        let id = try #require(user["id"] as? String)
        try tour.call("GET", "/v2/users", query: "email=tour%40example.com", expect: 200)
        try tour.call("GET", "/v2/users", expect: 400)
        try tour.call("POST", "/v2/users/fetch", body: #"{"ids":["\#(id)"]}"#, expect: 200)
        try tour.call("GET", "/v2/users/{user_id}", [id], expect: 200)
        try tour.call("GET", "/v2/users/{user_id}", ["no-such-user"], expect: 404)
        try tour.call("PUT", "/v2/users/{user_id}", [id], body: #"{"last_name":"Guide"}"#, expect: 202)
        try tour.call("GET", "/v2/users/{user_id}/conversations", [id], expect: 200)
        let doomed = try tour.object("POST", "/v2/users", body: #"{"email":"doomed@example.com"}"#, expect: 201)
        try tour.call("DELETE", "/v2/users/{user_id}", [doomed["id"] as? String ?? ""], expect: 202)
    }

    /// Creates a conversation, messages it, resolves it and rates it; returns its id.
    private func conversations(_ tour: Tour) throws -> String {
        let user = try tour.object("POST", "/v2/users", body: #"{"email":"talker@example.com"}"#, expect: 201)
        let userID = try #require(user["id"] as? String)
        let create = """
            {"channel_id":"\(Self.channel)","users":[{"id":"\(userID)"}],
             "messages":[{"message_parts":[{"text":{"content":"Hello"}}],"actor_type":"user","actor_id":"\(userID)"}]}
            """
        let created = try tour.object("POST", "/v2/conversations", body: create, expect: 202)
        let id = try #require(created["conversation_id"] as? String)
        try tour.call("POST", "/v2/conversations", body: #"{"channel_id":"x"}"#, expect: 400)
        try tour.call("POST", "/_emulator/jobs/run", expect: 200)
        try tour.call("GET", "/v2/conversations/fields", expect: 200)
        try tour.call("GET", "/v2/conversations/{conversation_id}", [id], expect: 200)
        let reply = """
            {"message_parts":[{"text":{"content":"Hi!"}}],"actor_type":"agent","actor_id":"\(Self.agent)",
             "reply_parts":[{"collection":{"sub_parts":[{"quick_reply_button":{"label":"Yes"}}]}}]}
            """
        try tour.call("POST", "/v2/conversations/{conversation_id}/messages", [id], body: reply, expect: 200)
        try tour.call(
            "GET", "/v2/conversations/{conversation_id}/messages", [id], query: "items_per_page=1", expect: 200)
        try tour.call(
            "PUT", "/v2/conversations/{conversation_id}", [id],
            body: #"{"assigned_agent_id":"\#(Self.agent)","assigned_group_id":"\#(Self.group)"}"#, expect: 200)
        try tour.call("PUT", "/v2/conversations/{conversation_id}", [id], body: #"{"status":"resolved"}"#, expect: 200)
        try tour.call(
            "POST", "/v2/csat/{conversation_id}", [id], body: #"{"issue_resolved":true,"rating":5}"#, expect: 201)
        return id
    }

    private func agents(_ tour: Tour) throws {
        try tour.call("GET", "/v2/agents", query: "items_per_page=2&page=2", expect: 200)
        let statuses = try tour.object("GET", "/v2/agents/status", expect: 200)
        let status = try #require((statuses["states"] as? [[String: Any]])?.first)
        let created = try tour.object(
            "POST", "/v2/agents", body: #"{"email":"new.agent@example.com","first_name":"New","role_id":"AGENT"}"#,
            expect: 201)
        let id = try #require(created["id"] as? String)
        try tour.call("GET", "/v2/agents/{agent_id}", [id], expect: 200)
        try tour.call("PUT", "/v2/agents/{agent_id}", [id], body: #"{"biography":"On tour"}"#, expect: 200)
        let patch =
            #"{"agent_status":{"id":"\#(status["id"] as? String ?? "")","name":"\#(status["name"] as? String ?? "")"}}"#
        try tour.call("PATCH", "/v2/agents/{agent_id}", [Self.agent], body: patch, expect: 200)
        try tour.call(
            "PUT", "/_emulator/agents/{agent_id}/presence", [Self.agent], body: #"{"online":true}"#, expect: 200)
        try tour.call("DELETE", "/v2/agents/{agent_id}", [id], expect: 202)
        try tour.call("GET", "/v2/agents/{agent_id}", ["no-such-agent"], expect: 404)
    }

    private func resources(_ tour: Tour) throws {
        try tour.call("GET", "/v2/groups", expect: 200)
        try tour.call("GET", "/v2/roles", query: "sort_by=name", expect: 200)
        try tour.call("GET", "/v2/channels", expect: 200)
        try tour.call("GET", "/v2/channels", query: "locale=en", expect: 200)
        try tour.call("GET", "/v2/business-hours/within-bh", query: "group_id=\(Self.group)", expect: 200)

        let boundary = "tour-boundary"
        var body = Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"dot.gif\"\r\nContent-Type: image/gif\r\n\r\n"
                .utf8)
        body += Self.gif + Array("\r\n--\(boundary)--\r\n".utf8)
        let client = try tour.emulator.connect()
        try client.send(
            "POST /v2/images/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer tour\r\n"
                + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(body.count)\r\n\r\n")
        try client.send(body)
        tour.note("POST /v2/images/upload")
        let upload = try client.readResponse()
        #expect(upload.status == 201, "\(upload.bodyText)")
        let image = try upload.jsonObject()
        _ = try tour.fetch(image["url"] as? String ?? "", as: "/_emulator/files/{token}/{name}")
        let thumbnail = image["thumbnail"] as? [String: Any]
        _ = try tour.fetch(thumbnail?["url"] as? String ?? "", as: "/_emulator/files/{token}/thumbnail/{name}")

        let whatsapp = """
            {"from":{"phone_number":"+919999999999"},"provider":"whatsapp","to":[{"phone_number":"+15550001111"}],
             "data":{"message_template":{"storage":"none","template_name":"hello_world",
              "namespace":"cdb2df51_9816_c754_c5a4_64cdabdcad3f","language":{"policy":"deterministic","code":"en_US"},
              "rich_template_data":{"header":{"type":"text","params":[{"data":"Ada"}]},"body":{"params":[{"data":"42"}]}}}}}
            """
        let sent = try tour.object("POST", "/v2/outbound-messages/whatsapp", body: whatsapp, expect: 202)
        try tour.call("POST", "/_emulator/jobs/run", expect: 200)
        try tour.call(
            "GET", "/v2/outbound-messages", query: "request_id=\(sent["request_id"] as? String ?? "")", expect: 200)
    }

    private func reportsAndMetrics(_ tour: Tour) throws {
        let clock = try tour.object("GET", "/_emulator/clock", expect: 200)
        let now = try #require(clock["now"] as? String)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let end = try #require(formatter.date(from: now))
        let start = end.addingTimeInterval(-12 * 3600)
        let range = "start=\(formatter.string(from: start))&end=\(formatter.string(from: end))"
        let report = try tour.object(
            "POST", "/v2/reports/raw",
            body:
                #"{"start":"\#(formatter.string(from: start))","end":"\#(formatter.string(from: end))","event":"Conversation-Created"}"#,
            expect: 202)
        let id = try #require(report["id"] as? String)
        try tour.call("GET", "/v2/reports/raw/{id}", [id], expect: 200)
        try tour.call("POST", "/_emulator/jobs/run", expect: 200)
        let done = try tour.object("GET", "/v2/reports/raw/{id}", [id], expect: 200)
        let link = (done["links"] as? [[String: Any]])?.first?["link"] as? [String: Any]
        let csv = try tour.fetch(link?["href"] as? String ?? "", as: "/_emulator/reports/{token}/{name}")
        #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        // README "Raw reports": the CSV is streamed as it is made — chunked, no Content-Length, then the close.
        #expect(csv.header("Transfer-Encoding") == "chunked")
        #expect(csv.header("Content-Length") == nil)
        #expect(csv.header("Connection") == "close")
        #expect(String(decoding: csv.body, as: UTF8.self).hasPrefix("channel_name,reopened,actor_type,"))
        #expect(String(decoding: csv.body, as: UTF8.self).hasSuffix("\r\n"))

        try tour.call(
            "GET", "/v2/metrics/historical",
            query: "metric=conversation_metrics.created_interactions&\(range)&interval=1h", expect: 200)
        try tour.call("GET", "/v2/metrics/historical", query: "metric=nope", expect: 400)
        try tour.call("GET", "/v2/metrics/instant", query: "metric=team_presence.online&group_by=group", expect: 200)
    }

    private func webhooks(_ tour: Tour, conversation: String) throws {
        try tour.call("GET", "/_emulator/webhooks", expect: 200)
        try tour.call(
            "PUT", "/_emulator/webhooks", body: #"{"urls":["http://127.0.0.1:9/hook"],"events":["message_create"]}"#,
            expect: 200)
        let message =
            #"{"message_parts":[{"text":{"content":"Again"}}],"actor_type":"agent","actor_id":"\#(Self.agent)"}"#
        try tour.call(
            "POST", "/v2/conversations/{conversation_id}/messages", [conversation], body: message, expect: 200)
        try tour.call("POST", "/_emulator/webhooks/flush", expect: 200)
        let list = try tour.object("GET", "/_emulator/webhooks/deliveries", query: "event=message_create", expect: 200)
        let delivery = try #require((list["deliveries"] as? [[String: Any]])?.first?["id"] as? Int)
        try tour.call("GET", "/_emulator/webhooks/deliveries/{id}", [String(delivery)], expect: 200)
        try tour.call("POST", "/_emulator/webhooks/deliveries/{id}/replay", [String(delivery)], expect: 200)
        try tour.call("GET", "/_emulator/webhooks/deliveries/{id}", ["999999"], expect: 404)
        let key = try tour.call("GET", "/_emulator/webhooks/public-key", expect: 200)
        #expect(key.response.bodyText.contains("PUBLIC KEY"))
        try tour.call("PUT", "/_emulator/webhooks", body: #"{"urls":[]}"#, expect: 200)
    }

    private func controlPlane(_ tour: Tour) throws {
        try tour.call("GET", "/_emulator/requests", query: "status=2xx", expect: 200)
        try tour.call("DELETE", "/_emulator/requests", expect: 204)
        let list = try tour.object("GET", "/_emulator/conversations", query: "status=new&limit=5", expect: 200)
        #expect(list["conversations"] is [Any])
        try tour.call("GET", "/_emulator/conversations", query: "limit=0", expect: 400)
        let page = try tour.call("GET", "/_emulator/ui", expect: 200)
        #expect(page.response.header("Content-Type")?.hasPrefix("text/html") == true)
        try tour.call("GET", "/_emulator/ui/app.js", expect: 200)
        try tour.call("GET", "/_emulator/ui/app.css", expect: 200)
        try tour.call("GET", "/_emulator/coverage", expect: 200)
        try tour.call("DELETE", "/_emulator/coverage", expect: 204)
        // The event stream stays open: HEAD gets its head without starting it (EventsEndToEndTests read the stream).
        tour.note("GET /_emulator/events")
        let client = try tour.emulator.connect()
        try client.send(RawRequest.make("HEAD", "/_emulator/events"))
        let events = try client.readResponse(method: "HEAD")
        #expect(events.status == 200)
        #expect(events.header("Content-Type")?.hasPrefix("text/event-stream") == true)

        let fault = try tour.object(
            "POST", "/_emulator/faults", body: #"{"path":"/v2/roles","status":503,"times":1}"#, expect: 201)
        try tour.call("GET", "/_emulator/faults", expect: 200)
        try tour.call("GET", "/v2/roles", expect: 503)
        try tour.call("DELETE", "/_emulator/faults/{id}", [String(fault["id"] as? Int ?? 0)], expect: 204)
        try tour.call("DELETE", "/_emulator/faults/{id}", ["424242"], expect: 404)
        try tour.call("POST", "/_emulator/faults", body: #"{"path":"*","latency_ms":1,"times":1}"#, expect: 201)
        try tour.call("DELETE", "/_emulator/faults", expect: 204)

        try tour.call("GET", "/_emulator/rate-limit", expect: 200)
        try tour.call("PUT", "/_emulator/rate-limit", body: #"{"limit":100000}"#, expect: 200)
        try tour.call(
            "POST", "/_emulator/tokens", body: #"{"token":"short-lived","expires_at":"2099-01-01T00:00:00.000Z"}"#,
            expect: 201)
        try tour.call("GET", "/_emulator/tokens", expect: 200)
        try tour.call("DELETE", "/_emulator/tokens/{token}", ["short-lived"], expect: 204)
        try tour.call(
            "POST", "/_emulator/fixtures", body: #"{"users":[{"email":"fixture@example.com"}]}"#, expect: 201)

        try tour.call("PUT", "/_emulator/clock", body: #"{"frozen":true}"#, expect: 200)
        try tour.call("POST", "/_emulator/clock/advance", body: #"{"seconds":5}"#, expect: 200)
        try tour.call("GET", "/_emulator/jobs", expect: 200)
        try tour.call("POST", "/_emulator/snapshots", body: #"{"name":"tour"}"#, expect: 201)
        try tour.call("GET", "/_emulator/snapshots", expect: 200)
        try tour.call("POST", "/_emulator/snapshots/{name}/restore", ["tour"], expect: 200)
        try tour.call("DELETE", "/_emulator/snapshots/{name}", ["tour"], expect: 204)
        try tour.call("DELETE", "/_emulator/snapshots/{name}", ["tour"], expect: 404)
        let state = try tour.call("GET", "/_emulator/state", expect: 200)
        try tour.call("PUT", "/_emulator/state", body: state.response.bodyText, expect: 200)
        try tour.call("PUT", "/_emulator/state", body: #"{"tables":42}"#, expect: 400)
        try tour.call("POST", "/_emulator/reset", expect: 200)
        try tour.call("POST", "/_emulator/reset", body: #"{"seed":false}"#, expect: 200)
    }
}
