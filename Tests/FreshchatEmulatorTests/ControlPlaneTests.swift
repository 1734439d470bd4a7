import HTTP
import Logging
import Testing

@testable import FreshchatEmulator

/// The control plane's state, snapshot, clock and job endpoints (issue "The emulator's control plane").
@Suite struct ControlPlaneTests {
    /// A host in front of a `TestEmulator` (frozen clock, incrementing ids).
    struct Harness {
        let base: TestEmulator
        let host: EmulatorHost

        init(configure: (inout Config) -> Void = { _ in }) throws {
            base = try TestEmulator(configure: configure)
            host = EmulatorHost(emulator: base.emulator)
        }

        func send(
            _ method: HTTPMethod, _ target: String, body: String? = nil, token: String? = "test-token"
        ) -> TestResponse {
            var fields: [(String, String)] = [("Host", "localhost")]
            if let token { fields.append(("Authorization", "Bearer \(token)")) }
            let request = Request(
                method: method, target: target, headers: HTTPHeaders(fields), body: Array((body ?? "").utf8))
            let response = host.respond(to: request)
            ResponseRecorder.record(request, response)
            return TestResponse(response)
        }

        func createUser(_ email: String, token: String = "test-token") -> String {
            let response = send(.post, "/v2/users", body: #"{"email":"\#(email)"}"#, token: token)
            #expect(response.code == 201, "\(response.text)")
            return response.json["id"]?.stringValue ?? ""
        }
    }

    @Test func reset_GoesBackToTheSeededState() throws {
        let h = try Harness()
        let user = h.createUser("a@example.com")
        let agents = h.send(.get, "/v2/agents").text
        #expect(h.send(.post, "/_emulator/reset").code == 200)
        #expect(h.send(.get, "/v2/users/\(user)").code == 404)
        #expect(h.send(.get, "/v2/agents").text == agents)
        #expect(h.send(.get, "/v2/accounts/configuration").code == 200)
    }

    @Test func reset_WithoutSeed_LeavesAnEmptyStore() throws {
        let h = try Harness()
        #expect(h.send(.post, "/_emulator/reset", body: #"{"seed":false}"#).code == 200)
        #expect(h.send(.get, "/v2/agents").json["agents"] == .array([]))
        #expect(h.send(.get, "/v2/accounts/configuration").code == 200, "the account configuration stays")
        #expect(h.send(.post, "/_emulator/reset", body: #"{"seed":true}"#).code == 200)
        #expect(h.send(.get, "/v2/agents").json["agents"]?.arrayValue?.isEmpty == false)
    }

    @Test func reset_RejectsAMalformedBody() throws {
        let h = try Harness()
        expectError(h.send(.post, "/_emulator/reset", body: #"{"seed":"no"}"#), 400, "BAD_REQUEST", mentioning: "seed")
    }

    @Test func state_ExportResetImport_GivesBackIdenticalResponses() throws {
        let h = try Harness()
        let user = h.createUser("state@example.com")
        try h.base.advance()
        let before = [h.send(.get, "/v2/users/\(user)").text, h.send(.get, "/v2/agents?items_per_page=3").text]
        let document = h.send(.get, "/_emulator/state")
        #expect(document.code == 200)
        #expect(document.json["tables"]?["user"]?.arrayValue?.count == 1)
        #expect(document.json["clock"]?["frozen"] == .bool(true))
        #expect(h.send(.post, "/_emulator/reset").code == 200)
        #expect(h.send(.get, "/v2/users/\(user)").code == 404)
        #expect(h.send(.put, "/_emulator/state", body: document.text).code == 200)
        let after = [h.send(.get, "/v2/users/\(user)").text, h.send(.get, "/v2/agents?items_per_page=3").text]
        #expect(after == before)
        #expect(h.send(.get, "/_emulator/state").text == document.text)
    }

    @Test(arguments: [
        #"{"tables":{}}"#, #"{"schema_version":1,"tables":{}}"#, #"{"schema_version":999,"tables":{}}"#,
        "[]",
    ])
    func state_RejectsABadDocument_AndChangesNothing(body: String) throws {
        let h = try Harness()
        let user = h.createUser("keep@example.com")
        let response = h.send(.put, "/_emulator/state", body: body)
        #expect(response.code == 400, "\(response.text)")
        #expect(h.send(.get, "/v2/users/\(user)").code == 200)
    }

    @Test func state_RejectsUnknownTablesColumnsAndBrokenReferences_AndChangesNothing() throws {
        let h = try Harness()
        let user = h.createUser("keep@example.com")
        let document = h.send(.get, "/_emulator/state").json
        let version = document["schema_version"] ?? .null
        let cases: [(JSONValue, String)] = [
            (["schema_version": version, "tables": ["nope": []]], "tables.nope"),
            (["schema_version": version, "tables": ["user": [["id": "u", "shoe_size": 1]]]], "shoe_size"),
            (
                ["schema_version": version, "tables": ["agent_group": [["agent_id": "x", "group_id": "y"]]]],
                "reference"
            ),
        ]
        for (bad, mentioning) in cases {
            expectError(
                h.send(.put, "/_emulator/state", body: bad.serialized()), 400, "BAD_REQUEST", mentioning: mentioning)
            #expect(h.send(.get, "/v2/users/\(user)").code == 200)
        }
    }

    @Test func snapshots_SaveListRestoreDelete() throws {
        let h = try Harness()
        let kept = h.createUser("kept@example.com")
        let saved = h.send(.post, "/_emulator/snapshots", body: #"{"name":"fixtures"}"#)
        #expect(saved.code == 201, "\(saved.text)")
        #expect(saved.json["name"] == "fixtures")
        #expect((saved.json["size_bytes"]?.intValue ?? 0) > 0)
        let later = h.createUser("later@example.com")
        let list = h.send(.get, "/_emulator/snapshots").json["snapshots"]?.arrayValue ?? []
        #expect(list.map { $0["name"] } == ["fixtures"])
        #expect(h.send(.post, "/_emulator/snapshots/fixtures/restore").code == 200)
        #expect(h.send(.get, "/v2/users/\(kept)").code == 200)
        #expect(h.send(.get, "/v2/users/\(later)").code == 404)
        #expect(h.send(.delete, "/_emulator/snapshots/fixtures").code == 204)
        expectError(h.send(.post, "/_emulator/snapshots/fixtures/restore"), 404, "SNAPSHOT_NOT_FOUND")
        expectError(h.send(.delete, "/_emulator/snapshots/fixtures"), 404, "SNAPSHOT_NOT_FOUND")
        expectError(h.send(.post, "/_emulator/snapshots", body: "{}"), 400, "BAD_REQUEST", mentioning: "name")
    }

    @Test func clock_IsReadSetAndAdvanced_RunningDueJobs() throws {
        let h = try Harness()
        #expect(h.send(.get, "/_emulator/clock").json == ["now": "2024-01-15T10:00:00.000Z", "frozen": true])
        let user = h.createUser("clock@example.com")
        #expect(h.send(.put, "/v2/users/\(user)", body: #"{"first_name":"Later"}"#).code == 202)
        let jobs = h.send(.get, "/_emulator/jobs").json["jobs"]?.arrayValue ?? []
        #expect(jobs.count == 1)
        #expect(jobs.first?["kind"] == "user.update")
        #expect(jobs.first?["due_time"] == "2024-01-15T10:00:01.000Z")
        let partial = h.send(.post, "/_emulator/clock/advance", body: #"{"seconds":0.5}"#)
        #expect(partial.json["jobs_run"] == 0)
        #expect(h.send(.get, "/v2/users/\(user)").json["first_name"] == nil)
        let advanced = h.send(.post, "/_emulator/clock/advance", body: #"{"seconds":0.5}"#)
        #expect(advanced.json == ["now": "2024-01-15T10:00:01.000Z", "frozen": true, "jobs_run": 1])
        #expect(h.send(.get, "/v2/users/\(user)").json["first_name"] == "Later")
        let set = h.send(.put, "/_emulator/clock", body: #"{"now":"2025-06-01T00:00:00Z"}"#)
        #expect(set.json["now"] == "2025-06-01T00:00:00.000Z")
        expectError(
            h.send(.put, "/_emulator/clock", body: #"{"now":"tomorrow"}"#), 400, "BAD_REQUEST", mentioning: "now")
        expectError(
            h.send(.post, "/_emulator/clock/advance", body: #"{"seconds":-1}"#), 400, "BAD_REQUEST",
            mentioning: "seconds")
    }

    @Test func clock_Runs_WhenUnfrozen() throws {
        let h = try Harness()
        let response = h.send(.put, "/_emulator/clock", body: #"{"frozen":false,"now":"2030-01-01T00:00:00Z"}"#)
        #expect(response.json["frozen"] == false)
        let now = h.base.emulator.clock.now()
        #expect(now >= Timestamp.parse("2030-01-01T00:00:00Z")!)
        #expect(now < Timestamp.parse("2030-01-01T00:01:00Z")!)
    }

    @Test func jobsRun_FinishesAllPendingWork_WithoutMovingTheClock() throws {
        let h = try Harness()
        let user = h.createUser("jobs@example.com")
        #expect(h.send(.delete, "/v2/users/\(user)").code == 202)
        #expect(h.send(.post, "/_emulator/jobs/run").json["jobs_run"] == 1)
        #expect(h.send(.get, "/v2/users/\(user)").code == 404)
        #expect(h.send(.get, "/_emulator/jobs").json["jobs"] == .array([]))
        #expect(h.send(.get, "/_emulator/clock").json["now"] == "2024-01-15T10:00:00.000Z")
    }

    @Test func adminToken_ProtectsTheControlPlane_ButNotHealth() throws {
        let h = try Harness { $0.adminToken = "secret" }
        expectError(h.send(.get, "/_emulator/clock", token: nil), 401, "UNAUTHENTICATED", mentioning: "admin")
        expectError(h.send(.get, "/_emulator/clock", token: "wrong"), 401, "UNAUTHENTICATED")
        #expect(h.send(.get, "/_emulator/clock", token: "secret").code == 200)
        #expect(h.send(.get, "/_emulator/health", token: nil).code == 200)
    }

    @Test func workspaces_IsolateTokens() throws {
        let h = try Harness { $0.workspaces = true }
        let a = h.createUser("same@example.com", token: "alpha")
        let b = h.createUser("same@example.com", token: "beta")
        #expect(h.send(.get, "/v2/users/\(a)", token: "alpha").code == 200)
        #expect(h.send(.get, "/v2/users/\(a)", token: "beta").code == 404)
        #expect(h.send(.get, "/v2/users/\(b)", token: "beta").code == 200)
        let alphaState = h.send(.get, "/_emulator/state?workspace=alpha").json
        #expect(alphaState["tables"]?["user"]?.arrayValue?.count == 1)
        #expect(h.send(.post, "/_emulator/reset?workspace=alpha").code == 200)
        #expect(h.send(.get, "/v2/users/\(a)", token: "alpha").code == 404)
        #expect(h.send(.get, "/v2/users/\(b)", token: "beta").code == 200)
    }

    // Emulator decision: with --workspaces, a file URL fetched without a token (as an image's url is meant to be
    // fetched) is answered by the workspace that issued it.
    @Test func workspaces_ServeAnUploadedImage_ToAFetchWithoutAToken() throws {
        let h = try Harness { $0.workspaces = true }
        let png = TestImage.png(width: 1, height: 1)
        let upload = TestResponse(
            h.host.respond(
                to: Request(
                    method: .post, target: "/v2/images/upload",
                    headers: HTTPHeaders([
                        ("Host", "localhost"), ("Authorization", "Bearer beta"), ("Content-Type", Upload.contentType),
                    ]),
                    body: Upload.body(png))))
        #expect(upload.code == 201, "\(upload.text)")
        let url = try #require(upload.json["url"]?.stringValue)
        let path = String(url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
        #expect(path.hasPrefix("/_emulator/files/"))
        _ = h.createUser("someone@example.com", token: "alpha")
        let fetched = h.send(.get, path, token: nil)
        #expect(fetched.code == 200 && fetched.response.body == png)
        #expect(h.send(.get, path, token: "beta").code == 200)
        #expect(h.send(.get, "/_emulator/files/unknown/x.png", token: nil).code == 404)
    }

    @Test func workspace_IsNotFound_WithoutTheFlag() throws {
        let h = try Harness()
        expectError(h.send(.get, "/_emulator/state?workspace=alpha"), 404, "WORKSPACE_NOT_FOUND")
    }
}

/// `--deterministic`: "the same sequence of requests against a fresh emulator gives byte-identical responses run
/// after run"; a reset rewinds the clock and ids.
@Suite struct DeterministicModeTests {
    static func makeHost() throws -> EmulatorHost {
        var config = Config()
        config.databasePath = ":memory:"
        config.deterministic = true
        config.idSeed = 42
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return EmulatorHost(emulator: try Emulator.open(config: config, logger: logger))
    }

    static func story(_ host: EmulatorHost) -> [String] {
        func send(_ method: HTTPMethod, _ target: String, _ body: String? = nil) -> String {
            let request = Request(
                method: method, target: target,
                headers: HTTPHeaders([("Host", "x"), ("Authorization", "Bearer t")]), body: Array((body ?? "").utf8))
            let response = host.respond(to: request)
            let headers = response.headers.fields.filter { !$0.name.hasPrefix("X-RateLimit") }
            return "\(response.status.code) \(headers.map { "\($0.name)=\($0.value)" }) "
                + String(decoding: response.body, as: UTF8.self)
        }
        var out: [String] = []
        let user = send(.post, "/v2/users", #"{"first_name":"Det"}"#)
        out.append(user)
        let id =
            (try? JSONParser.parse(String(user.split(separator: " ", maxSplits: 2)[2].drop { $0 != "{" })))?[
                "id"]?.stringValue ?? ""
        out.append(send(.get, "/v2/users/\(id)"))
        out.append(
            send(
                .post, "/v2/conversations",
                #"{"channel_id":"71df7c11-df1e-4365-80e3-75a434c9caf0","users":[{"id":"\#(id)"}],"messages":[{"message_parts":[{"text":{"content":"hi"}}],"actor_type":"user","actor_id":"\#(id)"}]}"#
            ))
        out.append(send(.post, "/_emulator/clock/advance", #"{"seconds":5}"#))
        out.append(send(.get, "/v2/users/\(id)/conversations"))
        return out
    }

    @Test func sameStory_GivesTheSameBytes_OnTwoFreshEmulators() throws {
        let first = Self.story(try Self.makeHost())
        let second = Self.story(try Self.makeHost())
        #expect(first == second)
        #expect(first[0].contains("\"created_time\":\"2024-01-01T00:00:00.000Z\""))
    }

    @Test func reset_RewindsClockAndIds() throws {
        let host = try Self.makeHost()
        let first = Self.story(host)
        let reset = host.respond(
            to: Request(method: .post, target: "/_emulator/reset", headers: ["Host": "x"]))
        #expect(reset.status.code == 200)
        #expect(Self.story(host) == first)
    }
}
