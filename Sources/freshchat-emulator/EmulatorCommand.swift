import ArgumentParser
import Dispatch
import FreshchatEmulator
import HTTP
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `freshchat-emulator`: a local, stateful emulator of the Freshchat REST API v2.
@main
struct EmulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshchat-emulator",
        abstract: "A local, stateful emulator of the Freshchat REST API v2.",
        discussion: """
            Every option can also be set with an environment variable FRESHCHAT_EMULATOR_<NAME> \
            (e.g. FRESHCHAT_EMULATOR_PORT=9000, FRESHCHAT_EMULATOR_TOKENS=a,b). A flag wins over the variable.
            """)

    @Option(help: "Address to bind (env FRESHCHAT_EMULATOR_HOST). Default 127.0.0.1; use 0.0.0.0 or :: for all.")
    var host: String?

    @Option(help: "Port to bind, 0 for a free one (env FRESHCHAT_EMULATOR_PORT). Default 8787.")
    var port: Int?

    @Option(
        help: """
            SQLite store file, or :memory: for a throw-away store (env FRESHCHAT_EMULATOR_DB). \
            Default freshchat-emulator.sqlite3.
            """)
    var db: String?

    @Option(
        help: "Directory of seed JSON for a new store instead of the embedded default (env FRESHCHAT_EMULATOR_SEED).")
    var seed: String?

    @Flag(help: "Start a new store without seed data (env FRESHCHAT_EMULATOR_NO_SEED=true).")
    var noSeed = false

    @Option(
        name: .customLong("token"),
        help: """
            Accepted bearer token; repeat for several (env FRESHCHAT_EMULATOR_TOKENS, comma-separated). \
            None: any non-empty token is accepted.
            """)
    var tokens: [String] = []

    @Option(help: "API calls per token per hour (env FRESHCHAT_EMULATOR_RATE_LIMIT). Default 100000.")
    var rateLimit: Int?

    @Option(help: "Largest request body in bytes (env FRESHCHAT_EMULATOR_MAX_BODY). Default 33554432 (32 MiB).")
    var maxBody: Int?

    @Option(help: "Write the bound port to this file once listening (env FRESHCHAT_EMULATOR_PORT_FILE).")
    var portFile: String?

    @Option(
        help: "trace, debug, info, notice, warning, error or critical (env FRESHCHAT_EMULATOR_LOG_LEVEL). Default info."
    )
    var logLevel: String?

    @Option(help: "Log line format: text or json (env FRESHCHAT_EMULATOR_LOG_FORMAT). Default text.")
    var logFormat: String?

    @Option(
        help: """
            Seconds of Clock time after which work accepted with 202 completes (env FRESHCHAT_EMULATOR_ASYNC_DELAY). \
            Default 1; 0 = on the scheduler's next tick.
            """)
    var asyncDelay: Double?

    @Flag(
        help: """
            Deterministic mode: seeded ids and a clock that starts frozen at 2024-01-01T00:00:00.000Z \
            (env FRESHCHAT_EMULATOR_DETERMINISTIC=true).
            """)
    var deterministic = false

    @Option(help: "Seed of the id generator; implies --deterministic (env FRESHCHAT_EMULATOR_ID_SEED). Default 1.")
    var idSeed: UInt64?

    @Option(help: "Protect /_emulator/* with Authorization: Bearer <token> (env FRESHCHAT_EMULATOR_ADMIN_TOKEN).")
    var adminToken: String?

    @Flag(help: "Give every bearer token its own isolated state (env FRESHCHAT_EMULATOR_WORKSPACES=true).")
    var workspaces = false

    @Option(
        name: .customLong("import"),
        help: "Load a state document (GET /_emulator/state) at start (env FRESHCHAT_EMULATOR_IMPORT).")
    var importFile: String?

    @Option(help: "Write the state document to this file at shutdown (env FRESHCHAT_EMULATOR_EXPORT_ON_EXIT).")
    var exportOnExit: String?

    @Option(
        help: """
            Requests kept in each workspace's request journal, oldest dropped first; 0 keeps none \
            (env FRESHCHAT_EMULATOR_JOURNAL_SIZE). Default 1000.
            """)
    var journalSize: Int?

    @Flag(
        help: """
            Probe GET /_emulator/health of the server these options describe (host, port, port file) and exit 0 \
            when it answers 200, else 1: the container HEALTHCHECK.
            """)
    var healthcheck = false

    @Option(
        name: .customLong("webhook-url"),
        help: """
            An http:// URL that receives all four webhook events; repeat for several \
            (env FRESHCHAT_EMULATOR_WEBHOOK_URLS, comma-separated). Replaces the stored subscriptions.
            """)
    var webhookURLs: [String] = []

    @Option(
        help: "Attempts before a webhook delivery is dead (env FRESHCHAT_EMULATOR_WEBHOOK_MAX_ATTEMPTS). Default 5.")
    var webhookMaxAttempts: Int?

    @Option(
        help: ArgumentHelp(
            """
            PEM file with the RSA private key (2048 bits or more) that signs webhooks, instead of the key generated \
            for the store (env FRESHCHAT_EMULATOR_WEBHOOK_PRIVATE_KEY).
            """, valueName: "pem-file"))
    var webhookPrivateKey: String?

    var options: Config.Options {
        var o = Config.Options()
        o.host = host
        o.port = port
        o.db = db
        o.seed = seed
        o.noSeed = noSeed ? true : nil
        o.tokens = tokens
        o.rateLimit = rateLimit
        o.maxBody = maxBody
        o.portFile = portFile
        o.logLevel = logLevel
        o.logFormat = logFormat
        o.asyncDelay = asyncDelay
        o.deterministic = deterministic ? true : nil
        o.idSeed = idSeed
        o.adminToken = adminToken
        o.workspaces = workspaces ? true : nil
        o.importFile = importFile
        o.exportOnExit = exportOnExit
        o.journalSize = journalSize
        o.webhookURLs = webhookURLs
        o.webhookMaxAttempts = webhookMaxAttempts
        o.webhookPrivateKey = webhookPrivateKey
        return o
    }

    func validate() throws {
        do {
            _ = try Config.resolve(options: options, environment: Self.environment())
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let config = try Config.resolve(options: options, environment: Self.environment())
        if healthcheck { throw ExitCode(HealthCheck.run(config)) }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            EmulatorLogHandler(label: label, format: config.logFormat, level: level)
        }
        let logger = Logger(label: "freshchat-emulator")
        let runner = try Runner(config: config, logger: logger)
        let signals = runner.installSignalHandlers()
        try runner.start()
        // The main thread has nothing left to do: the event loops, the signal sources' queue and the jobs run on
        // threads of their own. It parks here rather than in dispatchMain(), whose sigsuspend valgrind cannot run
        // (bench/instructions counts instructions under callgrind); nothing uses the main queue.
        withExtendedLifetime(signals) {
            while true { pause() }
        }
    }

    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { result[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            pointer += 1
        }
        return result
    }
}
