import HTTP
import Testing

@testable import FreshchatEmulator

/// `/_emulator/faults`: rules that answer with an error, delay or drop `/v2` requests, before auth and the rate
/// limit, in the order added.
@Suite struct FaultsTests {
    typealias Harness = ControlPlaneTests.Harness

    @discardableResult
    private func addFault(_ h: Harness, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue
    {
        let response = h.send(.post, "/_emulator/faults", body: body)
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    private func faults(_ h: Harness) -> [JSONValue] {
        h.send(.get, "/_emulator/faults").json["faults"]?.arrayValue ?? []
    }

    // docs L28–52: errors are {"code","status","message"}; docs L21: "500 Internal Server Request".
    @Test func fault500_AnswersWithTheFreshchatErrorBody_BeforeAuthAndTheRateLimit() throws {
        let h = try Harness { $0.rateLimit = 5 }
        addFault(h, #"{"path":"/v2/accounts/configuration","status":500,"message":"boom"}"#)
        let response = h.send(.get, "/v2/accounts/configuration", token: nil)
        expectError(response, 500, "INTERNAL_SERVER_ERROR", mentioning: "boom")
        #expect(response.headers["X-RateLimit-Remaining"] == nil)
        #expect(h.send(.get, "/v2/agents").headers["X-RateLimit-Remaining"] == "4", "the fault spent no budget")
    }

    @Test func fault_UsesTheGivenErrorStatus_AndADefaultMessage() throws {
        let h = try Harness()
        addFault(h, #"{"status":404,"error_status":"CONVERSATION_NOT_FOUND"}"#)
        expectError(h.send(.get, "/v2/conversations/c1"), 404, "CONVERSATION_NOT_FOUND", mentioning: "fault")
        addFault(h, #"{"status":418}"#)
        #expect(h.send(.get, "/_emulator/health").code == 200, "faults apply to /v2 only")
    }

    // docs L134–141: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimitReset.
    @Test func fault429_CarriesRetryAfterAndTheRateLimitHeaders() throws {
        let h = try Harness { $0.rateLimit = 50 }
        addFault(h, #"{"status":429,"retry_after":30}"#)
        let response = h.send(.get, "/v2/agents")
        expectError(response, 429, "TOO_MANY_REQUESTS")
        #expect(response.headers["Retry-After"] == "30")
        #expect(response.headers["X-RateLimit-Limit"] == "50")
        #expect(response.headers["X-RateLimit-Remaining"] == "0")
        #expect(response.headers["X-RateLimitReset"] == "30")
        #expect(response.headers["X-RateLimit-Reset"] == String(TestEmulator.start / 1000 + 30))
        #expect(h.send(.delete, "/_emulator/faults").code == 204)
        addFault(h, #"{"status":429}"#)
        #expect(h.send(.get, "/v2/agents").headers["Retry-After"] == "3600", "default: the window's length")
    }

    @Test func fault503_WithTimes_FiresOnTheNextNMatchingRequestsOnly() throws {
        let h = try Harness()
        let rule = addFault(h, #"{"method":"GET","path":"/v2/agents","status":503,"times":2}"#)
        #expect(rule["remaining"] == 2)
        #expect(h.send(.get, "/v2/agents").code == 503)
        #expect(h.send(.get, "/v2/groups").code == 200, "another path does not match")
        #expect(h.send(.get, "/v2/agents").code == 503)
        #expect(h.send(.get, "/v2/agents").code == 200)
        let listed = try #require(faults(h).first)
        #expect(listed["hits"] == 2)
        #expect(listed["matched"] == 2)
        #expect(listed["remaining"] == 0)
    }

    @Test func fault_MatchesMethodPathPatternAndToken() throws {
        let h = try Harness()
        addFault(h, #"{"method":"get","path":"/v2/users/{user_id}","token":"flaky","status":500}"#)
        let user = h.createUser("m@example.com", token: "flaky")
        #expect(h.send(.get, "/v2/users/\(user)", token: "flaky").code == 500)
        #expect(h.send(.get, "/v2/users/\(user)", token: "steady").code == 200)
        #expect(h.send(.get, "/v2/users/\(user)/conversations", token: "flaky").code == 200)
        #expect(h.send(.put, "/v2/users/\(user)", body: "{}", token: "flaky").code == 202)
    }

    @Test func faults_ApplyInTheOrderAdded_LatencyRulesLettingLaterRulesRun() throws {
        let h = try Harness()
        let slow = addFault(h, #"{"path":"/v2/*","latency_ms":20}"#)
        let first = addFault(h, #"{"path":"/v2/agents","status":503}"#)
        addFault(h, #"{"path":"/v2/agents","status":500}"#)
        #expect(h.send(.get, "/v2/agents").code == 503)
        let entry = h.send(.get, "/_emulator/requests").json["requests"]?.arrayValue?.first
        #expect(entry?["fault_id"] == first["id"])
        #expect((entry?["duration_ms"]?.doubleValue ?? 0) >= 20)
        #expect(faults(h).map { $0["hits"] } == [1, 1, 0])
        #expect(slow["id"] == 1)
    }

    @Test func latencyFault_DelaysTheRequest_ThenTheAPIAnswers() throws {
        let h = try Harness()
        addFault(h, #"{"path":"/v2/accounts/configuration","latency_ms":40}"#)
        let response = h.send(.get, "/v2/accounts/configuration")
        #expect(response.code == 200)
        let entry = h.send(.get, "/_emulator/requests").json["requests"]?.arrayValue?.first
        #expect((entry?["duration_ms"]?.doubleValue ?? 0) >= 40)
        #expect(entry?["fault_id"] == 1)
    }

    // A request that may sleep is answered off the server's event loop (Responder.mayBlock): the control plane always,
    // `/v2` requests only while some rule adds latency.
    @Test func host_SaysARequestMayBlock_OnlyForTheControlPlaneOrWhileALatencyRuleExists() throws {
        let h = try Harness()
        func request(_ target: String) -> Request {
            Request(method: .get, target: target, headers: HTTPHeaders([("Host", "localhost")]), body: [])
        }
        #expect(h.host.mayBlock(request("/_emulator/webhooks/flush")))
        #expect(!h.host.mayBlock(request("/v2/agents")))
        let errorRule = addFault(h, #"{"path":"/v2/agents","status":503}"#)
        #expect(!h.host.mayBlock(request("/v2/agents")), "a rule without latency answers at once")
        let slow = addFault(h, #"{"path":"/v2/agents","latency_ms":20}"#)
        #expect(h.host.mayBlock(request("/v2/users")))
        #expect(h.send(.delete, "/_emulator/faults/\(slow["id"]?.intValue ?? 0)").code == 204)
        #expect(!h.host.mayBlock(request("/v2/agents")))
        addFault(h, #"{"latency_ms":5}"#)
        #expect(h.host.mayBlock(request("/v2/agents")))
        #expect(h.send(.delete, "/_emulator/faults").code == 204)
        #expect(!h.host.mayBlock(request("/v2/agents")))
        #expect(errorRule["id"] == 1)
    }

    @Test func dropFault_GivesAResponseThatIsNeverWritten() throws {
        let h = try Harness()
        addFault(h, #"{"path":"/v2/agents","drop_connection":true}"#)
        let response = h.send(.get, "/v2/agents")
        #expect(response.response.dropsConnection)
        let entry = h.send(.get, "/_emulator/requests").json["requests"]?.arrayValue?.first
        #expect(entry?["status"] == .null)
        #expect(entry?["connection_dropped"] == true)
        let coverage = h.send(.get, "/_emulator/coverage").json["routes"]?.arrayValue?.first {
            $0["method"] == "GET" && $0["path"] == "/v2/agents"
        }
        #expect(coverage?["statuses"] == ["dropped": 1])
    }

    @Test func probabilityFault_IsRepeatable_WithASeed() throws {
        func outcomes() throws -> [Int] {
            let h = try Harness()
            addFault(h, #"{"status":500,"probability":0.5,"seed":7}"#)
            return (0..<40).map { _ in h.send(.get, "/v2/accounts/configuration").code }
        }
        let first = try outcomes()
        #expect(first == (try outcomes()))
        let failures = first.filter { $0 == 500 }.count
        #expect(failures > 5 && failures < 35, "\(failures) of 40")
    }

    @Test func probabilityFault_IsSeededByTheIdSeed_InDeterministicMode() throws {
        func outcomes(seed: UInt64) throws -> [Int] {
            let h = try Harness {
                $0.deterministic = true
                $0.idSeed = seed
            }
            addFault(h, #"{"status":500,"probability":0.5}"#)
            return (0..<40).map { _ in h.send(.get, "/v2/accounts/configuration").code }
        }
        #expect(try outcomes(seed: 3) == (try outcomes(seed: 3)))
        #expect(try outcomes(seed: 3) != (try outcomes(seed: 4)))
    }

    @Test(arguments: [0.0, 1.0])
    func probabilityFault_AtTheEdges_NeverOrAlwaysFires(probability: Double) throws {
        let h = try Harness()
        addFault(h, #"{"status":500,"probability":\#(probability)}"#)
        let codes = (0..<10).map { _ in h.send(.get, "/v2/accounts/configuration").code }
        #expect(codes == Array(repeating: probability == 1 ? 500 : 200, count: 10))
    }

    @Test func faults_AreRemovedOneByOne_OrAll() throws {
        let h = try Harness()
        addFault(h, #"{"status":500}"#)
        addFault(h, #"{"status":503}"#)
        #expect(h.send(.delete, "/_emulator/faults/1").code == 204)
        #expect(faults(h).map { $0["id"] } == [2])
        #expect(h.send(.get, "/v2/agents").code == 503)
        expectError(h.send(.delete, "/_emulator/faults/1"), 404, "FAULT_NOT_FOUND")
        expectError(h.send(.delete, "/_emulator/faults/x"), 404, "FAULT_NOT_FOUND")
        #expect(h.send(.delete, "/_emulator/faults").code == 204)
        #expect(faults(h).isEmpty)
        #expect(h.send(.get, "/v2/agents").code == 200)
    }

    @Test(arguments: [
        (#"{"status":200}"#, "status"), (#"{"status":600}"#, "status"), (#"{}"#, "latency_ms"),
        (#"{"status":500,"drop_connection":true}"#, "drop_connection"), (#"{"status":500,"method":"FETCH"}"#, "method"),
        (#"{"status":500,"path":"v2/agents"}"#, "path"), (#"{"status":500,"times":0}"#, "times"),
        (#"{"status":500,"probability":1.5}"#, "probability"), (#"{"latency_ms":-1}"#, "latency_ms"),
        (#"{"status":"500"}"#, "status"), (#"{"status":500,"seed":-2}"#, "seed"),
    ])
    func fault_IsRejected_NamingTheMember(body: String, member: String) throws {
        let h = try Harness()
        expectError(h.send(.post, "/_emulator/faults", body: body), 400, "BAD_REQUEST", mentioning: member)
        #expect(faults(h).isEmpty)
    }

    @Test func faults_ArePerWorkspace() throws {
        let h = try Harness { $0.workspaces = true }
        #expect(h.send(.post, "/_emulator/faults?workspace=alpha", body: #"{"status":500}"#).code == 201)
        #expect(h.send(.get, "/v2/agents", token: "alpha").code == 500)
        #expect(h.send(.get, "/v2/agents", token: "beta").code == 200)
    }
}
