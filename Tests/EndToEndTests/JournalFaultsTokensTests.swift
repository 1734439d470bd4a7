import Foundation
import Testing

/// The control plane's request journal, faults and tokens, told to the real binary over real sockets.
@Suite
struct JournalFaultsTokensTests {
    /// One request on a new connection; the body is JSON.
    private func call(
        _ emulator: RunningEmulator, _ method: String, _ target: String, _ body: String? = nil,
        token: String? = "e2e"
    ) throws -> HTTPResponse {
        var headers: [String] = []
        if let token { headers.append("Authorization: Bearer \(token)") }
        if let body { headers += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"] }
        return try emulator.request(RawRequest.make(method, target, headers: headers, body: body ?? ""))
    }

    private func journal(_ emulator: RunningEmulator, _ query: String = "") throws -> [[String: Any]] {
        let response = try call(emulator, "GET", "/_emulator/requests" + query, token: nil)
        #expect(response.status == 200, "\(response.bodyText)")
        return try response.jsonObject()["requests"] as? [[String: Any]] ?? []
    }

    @Test func journal_RecordsWhatTheServerReceivedAndAnswered_KeepingTheLastN() throws {
        let emulator = try RunningEmulator(["--journal-size", "2"])
        #expect(try call(emulator, "GET", "/v2/accounts/configuration").status == 200)
        #expect(try call(emulator, "POST", "/v2/users", #"{"first_name":"Wire"}"#, token: "s3cret").status == 201)
        #expect(try call(emulator, "GET", "/v2/users/nobody?x=1").status == 404)
        let entries = try journal(emulator)
        #expect(entries.map { $0["path"] as? String } == ["/v2/users", "/v2/users/nobody"])
        let post = try #require(entries.first)
        #expect(post["method"] as? String == "POST")
        #expect(post["status"] as? Int == 201)
        #expect(post["body"] as? String == #"{"first_name":"Wire"}"#)
        #expect((post["headers"] as? [String: Any])?["authorization"] as? String == "Bearer ***")
        #expect((post["response_body"] as? String)?.contains("\"first_name\":\"Wire\"") == true)
        #expect(try journal(emulator, "?status=4xx").count == 1)
        #expect(try call(emulator, "DELETE", "/_emulator/requests", token: nil).status == 204)
        #expect(try journal(emulator).isEmpty)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func journalSize_ComesFromTheEnvironment() throws {
        let emulator = try RunningEmulator(environment: ["FRESHCHAT_EMULATOR_JOURNAL_SIZE": "1"])
        for _ in 0..<3 { _ = try call(emulator, "GET", "/v2/accounts/configuration") }
        #expect(try journal(emulator).count == 1)
        #expect(emulator.terminate() == .exited(0))
    }

    // docs L21: "500 Internal Server Request"; the error body is {"code","status","message"} (docs L28–52).
    @Test func fault500_IsAnsweredOverTheWire_ForTheNextRequestOnly() throws {
        let emulator = try RunningEmulator()
        let rule = #"{"method":"GET","path":"/v2/agents","status":500,"times":1}"#
        #expect(try call(emulator, "POST", "/_emulator/faults", rule, token: nil).status == 201)
        let failed = try call(emulator, "GET", "/v2/agents")
        #expect(failed.status == 500)
        #expect(failed.header("Content-Type") == "application/json")
        let body = try failed.jsonObject()
        #expect(body["code"] as? Int == 500)
        #expect(body["status"] as? String == "INTERNAL_SERVER_ERROR")
        #expect(body["message"] is String)
        #expect(try call(emulator, "GET", "/v2/agents").status == 200)
        let rules =
            try call(emulator, "GET", "/_emulator/faults", token: nil).jsonObject()["faults"] as? [[String: Any]]
        #expect(rules?.first?["hits"] as? Int == 1)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func dropFault_ClosesTheConnection_WithoutAByteOfResponse() throws {
        let emulator = try RunningEmulator()
        let rule = #"{"path":"/v2/agents","drop_connection":true}"#
        #expect(try call(emulator, "POST", "/_emulator/faults", rule, token: nil).status == 201)
        let client = try emulator.connect()
        try client.send(RawRequest.get("/v2/agents", headers: ["Authorization: Bearer e2e"]))
        let end = client.readToEnd(timeout: 5)
        #expect(end.closed, "the connection stays open")
        #expect(end.bytes.isEmpty, "received: \(String(decoding: end.bytes, as: UTF8.self))")
        #expect(try call(emulator, "GET", "/v2/groups").status == 200, "the server carries on")
        let dropped = try journal(emulator, "?path=/v2/agents")
        #expect(dropped.first?["connection_dropped"] as? Bool == true)
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func dropFault_OnAKeepAliveConnection_AnswersTheEarlierRequestFirst() throws {
        let emulator = try RunningEmulator()
        let rule = #"{"path":"/v2/agents","drop_connection":true}"#
        #expect(try call(emulator, "POST", "/_emulator/faults", rule, token: nil).status == 201)
        let client = try emulator.connect()
        let auth = ["Authorization: Bearer e2e"]
        try client.send(RawRequest.get("/v2/groups", headers: auth) + RawRequest.get("/v2/agents", headers: auth))
        #expect(try client.readResponse().status == 200)
        let end = client.readToEnd(timeout: 5)
        #expect(end.closed && end.bytes.isEmpty)
        #expect(emulator.terminate() == .exited(0))
    }

    // docs L100: "If you send a request with an expired token, the request fails with the 401 Unauthenticated
    // Request error message."
    @Test func tokens_AreAcceptedUntilTheyExpireOnTheClock_OrAreRevoked() throws {
        let emulator = try RunningEmulator(["--token", "configured"])
        #expect(try call(emulator, "GET", "/v2/agents", token: "temp").status == 401)
        let add = #"{"token":"temp","expires_at":"2100-01-01T00:00:00Z"}"#
        #expect(try call(emulator, "POST", "/_emulator/tokens", add, token: nil).status == 201)
        #expect(try call(emulator, "GET", "/v2/agents", token: "temp").status == 200)
        let jump = #"{"now":"2100-01-01T00:00:00Z"}"#
        #expect(try call(emulator, "PUT", "/_emulator/clock", jump, token: nil).status == 200)
        let expired = try call(emulator, "GET", "/v2/agents", token: "temp")
        #expect(expired.status == 401)
        #expect((try expired.jsonObject()["message"] as? String)?.contains("expired") == true)
        #expect(try call(emulator, "GET", "/v2/agents", token: "configured").status == 200)
        #expect(try call(emulator, "DELETE", "/_emulator/tokens/configured", token: nil).status == 204)
        #expect(try call(emulator, "GET", "/v2/agents", token: "configured").status == 401)
        #expect(emulator.terminate() == .exited(0))
    }
}
