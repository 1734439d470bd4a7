import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Persistence across restarts and the command-line interface.
@Suite
struct LifecycleTests {
    static func accountConfiguration(_ emulator: RunningEmulator) throws -> [String: Any] {
        let response = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"])
        #expect(response.status == 200)
        return try response.jsonObject()
    }

    /// A seed directory whose account differs from the embedded default in its domains, so a store that lost its
    /// data (and was seeded again with the default) is told apart from one that kept it.
    static func markerSeed(in directory: TempDirectory) throws -> String {
        let seed = directory.file("seed")
        guard mkdir(seed, 0o755) == 0 else { throw HarnessError("mkdir \(seed) failed") }
        let account = """
            {"organisation_id": 1775382926361, "organisation_domain": "restart-marker.freshworks.com",
             "account_id": 8762573821, "account_domain": "restart-marker.freshchat.com",
             "app_id": "4adf4aab-a061-5041-9306-78aa094cd1a1", "bundle_id": 991773928113,
             "bundle_type": "support360", "plan_type": "Enterprise Annual Plan 2021", "datacenter": "US"}
            """
        try account.write(toFile: seed + "/account.json", atomically: true, encoding: .utf8)
        return seed
    }

    @Test func fileStore_SurvivesARestartWithoutReseeding_WhenStoppedWithSIGTERM() throws {
        // Emulator contract (Emulator.open): a seed is applied only to an empty store. The first start seeds a
        // marker account; a restart that lost the data or re-applied a seed would serve the embedded default.
        let directory = try TempDirectory()
        let database = directory.file("store.sqlite3")
        let first = try RunningEmulator(["--seed", try Self.markerSeed(in: directory)], database: database)
        let before = try Self.accountConfiguration(first)
        #expect(before["account_domain"] as? String == "restart-marker.freshchat.com")
        #expect(before.count == 9)
        #expect(first.terminate() == .exited(0))

        let second = try RunningEmulator(["--no-seed"], database: database)
        #expect(try Self.accountConfiguration(second)["account_domain"] as? String == "restart-marker.freshchat.com")
        #expect(second.terminate() == .exited(0))

        // Nor is the embedded default seed applied to the non-empty store.
        let third = try RunningEmulator(database: database)
        #expect(try Self.accountConfiguration(third)["account_domain"] as? String == "restart-marker.freshchat.com")
        #expect(third.terminate() == .exited(0))
    }

    @Test func fileStore_SurvivesARestart_WhenKilledWithSIGKILL() throws {
        // https://sqlite.org/atomiccommit.html: a committed transaction survives a crash of the process, so kill -9
        // after start-up (the seed is committed) loses nothing.
        let directory = try TempDirectory()
        let database = directory.file("store.sqlite3")
        let first = try RunningEmulator(["--seed", try Self.markerSeed(in: directory)], database: database)
        #expect(try Self.accountConfiguration(first)["account_domain"] as? String == "restart-marker.freshchat.com")
        #expect(first.killHard() == .signaled(SIGKILL))

        let second = try RunningEmulator(["--no-seed"], database: database)
        let after = try Self.accountConfiguration(second)
        #expect(after["account_domain"] as? String == "restart-marker.freshchat.com")
        #expect(after.count == 9)
        #expect(second.terminate() == .exited(0))
    }

    @Test func newStore_ServesTheEmbeddedAccount_WhenStartedWithNoSeed() throws {
        // Control for the restart tests: the embedded default account is not the marker (docs L162 example shape).
        let emulator = try RunningEmulator(["--no-seed"])
        let account = try Self.accountConfiguration(emulator)
        #expect(account.count == 9)
        #expect(account["account_domain"] as? String != "restart-marker.freshchat.com")
        #expect(emulator.terminate() == .exited(0))
    }

    /// Runs the executable to completion with `arguments`.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Termination, String) {
        let directory = try TempDirectory()
        let process = try ChildProcess(
            arguments: [try BuiltProducts.executable()] + arguments, environment: environment,
            logPath: directory.file("output"))
        let termination = process.wait(timeout: 10)
        return (termination, process.output)
    }

    @Test func help_ExitsZeroAndListsEveryOptionAndTheEnvironmentPrefix() throws {
        // CONVENTIONS.md §14: "one end-to-end test that pins --help"; every option has an env var (EmulatorCommand).
        let (termination, output) = try Self.run(["--help"])
        #expect(termination == .exited(0))
        // Each option starts a line of the OPTIONS list (so --port is not satisfied by --port-file).
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for option in [
            "--host", "--port", "--db", "--seed", "--no-seed", "--token", "--rate-limit", "--max-body", "--port-file",
            "--log-level", "--log-format",
        ] {
            #expect(lines.contains { $0 == option || $0.hasPrefix(option + " ") }, "help lists \(option)")
        }
        #expect(output.contains("FRESHCHAT_EMULATOR_"))
    }

    // The access log (level info, text): one line per request, `time level access` then the fields sorted by name.
    @Test func accessLog_WritesOneTextLinePerRequest_FieldsSortedByName() throws {
        let emulator = try RunningEmulator(["--log-level", "info"])
        _ = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"])
        #expect(emulator.terminate() == .exited(0))
        let line = try #require(emulator.process.output.split(separator: "\n").first { $0.contains(" access ") })
        let words = line.split(separator: " ")
        #expect(words.count == 8, "\(line)")
        #expect(words.first?.count == 24 && words.first?.hasSuffix("Z") == true, "an ISO 8601 UTC time: \(line)")
        #expect(Array(words.dropFirst().prefix(2)) == ["info", "access"])
        #expect(
            words.dropFirst(3).map { $0.split(separator: "=").first.map(String.init) ?? "" } == [
                "bytes", "duration_ms", "method", "path", "status",
            ])
        #expect(words.contains("method=GET") && words.contains("path=/v2/accounts/configuration"))
        #expect(words.contains("status=200"))
    }

    // The access log as JSON: one object per line with the same fields, numbers as numbers.
    @Test func accessLog_AsJSON_CarriesTheSameFields() throws {
        let emulator = try RunningEmulator(["--log-level", "info", "--log-format", "json"])
        _ = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"])
        #expect(emulator.terminate() == .exited(0))
        let line = try #require(emulator.process.output.split(separator: "\n").first { $0.contains("\"access\"") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "access")
        #expect(object["level"] as? String == "info")
        #expect(object["method"] as? String == "GET")
        #expect(object["path"] as? String == "/v2/accounts/configuration")
        #expect(object["status"] as? Int == 200)
        #expect((object["bytes"] as? Int ?? 0) > 0)
        #expect(object["duration_ms"] is Double || object["duration_ms"] is Int)
    }

    @Test func rateLimit_IsSetByTheEnvironment_WhenNoFlagIsGiven() throws {
        // Emulator contract (Config.resolve): FRESHCHAT_EMULATOR_<NAME> sets an option when the flag is absent.
        let emulator = try RunningEmulator(environment: ["FRESHCHAT_EMULATOR_RATE_LIMIT": "2"])
        var statuses: [Int] = []
        for _ in 0..<3 {
            let response = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"])
            statuses.append(response.status)
            #expect(response.header("X-RateLimit-Limit") == "2")
        }
        #expect(statuses == [200, 200, 429])
        #expect(emulator.terminate() == .exited(0))
    }

    @Test func rateLimit_ComesFromTheFlag_WhenTheEnvironmentAlsoSetsIt() throws {
        // Emulator contract (Config.resolve): flag > FRESHCHAT_EMULATOR_<NAME> > default.
        let emulator = try RunningEmulator(["--rate-limit", "5"], environment: ["FRESHCHAT_EMULATOR_RATE_LIMIT": "2"])
        let response = try emulator.get("/v2/accounts/configuration", headers: ["Authorization: Bearer x"])
        #expect(response.header("X-RateLimit-Limit") == "5")
        #expect(emulator.terminate() == .exited(0))
    }

    @Test(arguments: [
        (["--log-format", "xml"], "--log-format"),
        (["--log-level", "loud"], "--log-level"),
        (["--rate-limit", "0"], "--rate-limit"),
        (["--port", "70000"], "--port"),
    ])
    func invalidFlagValue_ExitsNonZeroNamingTheFlag(_ arguments: [String], _ flag: String) throws {
        // CONVENTIONS.md §14: "validate() throws ValidationError naming the flag" (argument-parser exits non-zero).
        var argv = arguments + ["--db", ":memory:"]
        if !arguments.contains("--port") { argv += ["--port", "0"] }
        if !arguments.contains("--log-level") { argv += ["--log-level", "error"] }
        let (termination, output) = try Self.run(argv)
        #expect(termination != .exited(0) && termination != .stillRunning, "\(arguments): \(termination)")
        #expect(output.contains(flag), "\(arguments): \(output)")
    }

    @Test func invalidEnvironmentValue_ExitsNonZeroNamingTheVariable() throws {
        // Emulator contract (ConfigError): the message names the offending variable.
        let (termination, output) = try Self.run(
            ["--db", ":memory:", "--port", "0"], environment: ["FRESHCHAT_EMULATOR_RATE_LIMIT": "lots"])
        #expect(termination != .exited(0) && termination != .stillRunning, "\(termination)")
        #expect(output.contains("FRESHCHAT_EMULATOR_RATE_LIMIT"), "\(output)")
    }
}
