import HTTP
import Testing

@testable import FreshchatEmulator

/// The request journal (`/_emulator/requests`): every `/v2` request with what it answered, bounded, filterable.
@Suite struct JournalTests {
    typealias Harness = ControlPlaneTests.Harness

    private func entries(_ h: Harness, _ query: String = "", sourceLocation: SourceLocation = #_sourceLocation)
        -> [JSONValue]
    {
        let response = h.send(.get, "/_emulator/requests" + query)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json["requests"]?.arrayValue ?? []
    }

    @Test func journal_RecordsAV2Request_WithWhatItAnswered() throws {
        let h = try Harness()
        let created = h.send(.post, "/v2/users?source=test", body: #"{"email":"j@example.com"}"#)
        let list = entries(h)
        #expect(list.count == 1)
        let entry = try #require(list.first)
        #expect(entry["id"] == 1)
        #expect(entry["time"] == "2024-01-15T10:00:00.000Z")
        #expect(entry["workspace"] == "default")
        #expect(entry["method"] == "POST")
        #expect(entry["path"] == "/v2/users")
        #expect(entry["route"] == "/v2/users")
        #expect(entry["query"] == ["source": "test"])
        #expect(entry["headers"]?["host"] == "localhost")
        #expect(entry["body"] == #"{"email":"j@example.com"}"#)
        #expect(entry["body_size"] == 25)
        #expect(entry["body_truncated"] == false)
        #expect(entry["status"] == 201)
        #expect(entry["connection_dropped"] == false)
        #expect(entry["response_body"]?.stringValue == created.text)
        #expect(entry["response_headers"]?["x-ratelimit-remaining"] != nil)
        #expect((entry["duration_ms"]?.doubleValue ?? -1) >= 0)
        #expect(entry["fault_id"] == .null)
    }

    @Test func journal_MasksTheAuthorizationValue() throws {
        let h = try Harness()
        _ = h.send(.get, "/v2/accounts/configuration", token: "very-secret-token")
        let entry = try #require(entries(h).first)
        #expect(entry["headers"]?["authorization"] == "Bearer ***")
        #expect(!entry.serialized().contains("very-secret-token"))
    }

    @Test func journal_RecordsRejectedAndUnroutedRequests_ButNotTheControlPlane() throws {
        let h = try Harness()
        _ = h.send(.get, "/v2/accounts/configuration", token: nil)
        _ = h.send(.get, "/v2/no-such-thing")
        _ = h.send(.get, "/_emulator/health")
        _ = h.send(.get, "/_emulator/clock")
        let list = entries(h)
        #expect(list.map { $0["status"] } == [401, 404])
        #expect(list.map { $0["route"] } == ["/v2/accounts/configuration", .null])
    }

    @Test func journal_FiltersByMethodPathStatusAndSince() throws {
        let h = try Harness()
        let user = h.createUser("f@example.com")
        _ = h.send(.get, "/v2/users/\(user)")
        _ = h.send(.get, "/v2/users/nobody")
        h.base.clock.advance(by: 60_000)
        _ = h.send(.put, "/v2/users/\(user)", body: #"{"first_name":"F"}"#)
        func paths(_ query: String) -> [String] { entries(h, query).compactMap { $0["path"]?.stringValue } }
        #expect(paths("?method=get") == ["/v2/users/\(user)", "/v2/users/nobody"])
        #expect(paths("?path=/v2/users/\(user)") == ["/v2/users/\(user)", "/v2/users/\(user)"])
        #expect(paths("?path=/v2/users/%7Buser_id%7D&method=GET").count == 2)
        #expect(paths("?path=/v2/users*").count == 4)
        #expect(paths("?path=/v2/users") == ["/v2/users"])
        #expect(paths("?status=404") == ["/v2/users/nobody"])
        #expect(paths("?status=2xx").count == 3)
        #expect(paths("?since=2024-01-15T10:01:00Z") == ["/v2/users/\(user)"])
        #expect(paths("?method=PUT&status=202&since=2024-01-15T10:00:59.999Z").count == 1)
    }

    @Test(arguments: [
        ("?status=abc", "status"), ("?status=6xx", "status"), ("?since=tomorrow", "since"), ("?path=v2/users", "path"),
        ("?path=/v2/{user", "path"),
    ])
    func journal_RejectsABadFilter_NamingIt(query: String, parameter: String) throws {
        let h = try Harness()
        expectError(h.send(.get, "/_emulator/requests" + query), 400, "BAD_REQUEST", mentioning: parameter)
    }

    @Test func journal_DropsTheOldestEntries_WhenFull() throws {
        let h = try Harness { $0.journalSize = 3 }
        for i in 1...5 { _ = h.send(.get, "/v2/accounts/configuration?n=\(i)") }
        let list = entries(h)
        #expect(list.map { $0["id"] } == [3, 4, 5])
        #expect(list.map { $0["query"]?["n"] } == ["3", "4", "5"])
    }

    @Test func journal_KeepsNothing_WhenItsSizeIsZero() throws {
        let h = try Harness { $0.journalSize = 0 }
        _ = h.send(.get, "/v2/accounts/configuration")
        #expect(entries(h).isEmpty)
    }

    // Config.journalBodyLimit: a body of exactly the limit is kept whole; one byte more is cut.
    @Test func journal_CutsBodies_AtTheLimit() throws {
        let h = try Harness { $0.journalBodyLimit = 16 }
        let atLimit = #"{"email":"a@b."}"#
        let overLimit = #"{"email":"a@b.c"}"#
        #expect(atLimit.utf8.count == 16 && overLimit.utf8.count == 17)
        _ = h.send(.post, "/v2/users", body: atLimit)
        _ = h.send(.post, "/v2/users", body: overLimit)
        let list = entries(h)
        #expect(list.map { $0["body"] } == [.string(atLimit), .string(String(overLimit.prefix(16)))])
        #expect(list.map { $0["body_size"] } == [16, 17])
        #expect(list.map { $0["body_truncated"] } == [false, true])
        #expect(list.allSatisfy { $0["response_body_truncated"] == true })
        #expect(list.allSatisfy { ($0["response_body_size"]?.intValue ?? 0) > 16 })
    }

    // Config.journalMemoryLimit: bodies of exactly the limit are all kept; one byte more drops the oldest entry.
    @Test func journal_DropsTheOldestEntries_PastItsMemoryLimit() {
        func entry(_ n: Int, _ size: Int) -> Journal.Entry {
            Journal.Entry(
                time: Int64(n), method: .get, target: "/v2/x?n=\(n)", route: nil, headers: HTTPHeaders(),
                body: Array(repeating: 65, count: size), bodySize: size, status: 200, responseHeaders: HTTPHeaders(),
                responseBody: Array(repeating: 66, count: size), responseBodySize: size, durationMillis: 0, fault: nil)
        }
        let journal = Journal(capacity: 100, bodyLimit: 1000, memoryLimit: 300)
        for n in 1...3 { journal.record(entry(n, 50)) }  // 3 × (50 + 50) = 300 bytes: at the limit
        #expect(journal.entries().map(\.time) == [1, 2, 3])
        #expect(journal.usage.bytes == 300)
        journal.record(entry(4, 1))  // 302 bytes: the oldest goes
        #expect(journal.entries().map(\.time) == [2, 3, 4])
        #expect(journal.usage.bytes == 202)
        journal.record(entry(5, 400))  // larger than the limit alone: kept, as the only entry
        #expect(journal.entries().map(\.time) == [5])
        #expect(journal.usage.bytes == 800)
        for n in 6...200 { journal.record(entry(n, 1)) }  // many drops: the count limit applies too
        #expect(journal.entries().map(\.time) == Array(101...200).map(Int64.init))
        #expect(journal.usage == (100, 200))
        journal.clear()
        #expect(journal.usage == (0, 0))
    }

    // The body limit cuts what is kept, so the memory limit counts the cut bodies.
    @Test func journal_CountsTheCutBodies_AgainstItsMemoryLimit() {
        let journal = Journal(capacity: 10, bodyLimit: 10, memoryLimit: 1000)
        journal.record(
            Journal.Entry(
                time: 1, method: .post, target: "/v2/users", route: nil, headers: HTTPHeaders(),
                body: Array(repeating: 65, count: 5000), bodySize: 5000, status: 201, responseHeaders: HTTPHeaders(),
                responseBody: Array(repeating: 66, count: 7000), responseBodySize: 7000, durationMillis: 0, fault: nil))
        #expect(journal.usage == (1, 20))
        #expect(journal.entries().first?.responseBody.count == 10)
    }

    @Test func journal_ShowsABodyThatIsNotText_AsBase64() throws {
        let h = try Harness()
        let request = Request(
            method: .post, target: "/v2/users",
            headers: HTTPHeaders([("Host", "x"), ("Authorization", "Bearer t")]), body: [0xFF, 0x00, 0x01])
        _ = h.host.respond(to: request)
        let entry = try #require(entries(h).first)
        #expect(entry["body"] == nil)
        #expect(entry["body_base64"] == "/wAB")
    }

    @Test func journal_IsCleared_AndIdsKeepCounting() throws {
        let h = try Harness()
        _ = h.send(.get, "/v2/accounts/configuration")
        #expect(h.send(.delete, "/_emulator/requests").code == 204)
        #expect(entries(h).isEmpty)
        _ = h.send(.get, "/v2/accounts/configuration")
        #expect(entries(h).map { $0["id"] } == [2])
    }

    @Test func journal_SurvivesAReset() throws {
        let h = try Harness()
        _ = h.send(.get, "/v2/accounts/configuration")
        #expect(h.send(.post, "/_emulator/reset").code == 200)
        #expect(entries(h).count == 1)
    }

    @Test func journal_IsPerWorkspace() throws {
        let h = try Harness { $0.workspaces = true }
        _ = h.send(.get, "/v2/accounts/configuration", token: "alpha")
        _ = h.send(.get, "/v2/accounts/configuration", token: "beta")
        _ = h.send(.get, "/v2/agents", token: "beta")
        #expect(entries(h, "?workspace=alpha").count == 1)
        #expect(entries(h, "?workspace=beta").map { $0["workspace"] } == ["beta", "beta"])
        #expect(entries(h).isEmpty)
    }
}
