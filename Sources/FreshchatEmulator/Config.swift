import HTTP

/// Every setting of the emulator: its flag, its environment variable and its default, resolved by one pure
/// function (flag > `FRESHCHAT_EMULATOR_<NAME>` > default).
public struct Config: Sendable, Equatable {
    /// Access-log and diagnostics format.
    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// `--host` / `FRESHCHAT_EMULATOR_HOST`: address to bind. Default `127.0.0.1`.
    public var host = "127.0.0.1"
    /// `--port` / `FRESHCHAT_EMULATOR_PORT`: port to bind, 0 for a free one. Default 8787.
    public var port = 8787
    /// `--db` / `FRESHCHAT_EMULATOR_DB`: the SQLite store; `:memory:` for a throw-away one.
    /// Default `freshchat-emulator.sqlite3` in the working directory.
    public var databasePath = "freshchat-emulator.sqlite3"
    /// `--seed` / `FRESHCHAT_EMULATOR_SEED`: a directory of seed JSON to load instead of the embedded default.
    public var seedDirectory: String?
    /// `--no-seed` / `FRESHCHAT_EMULATOR_NO_SEED`: start an empty store with no seed data.
    public var noSeed = false
    /// `--token` (repeatable) / `FRESHCHAT_EMULATOR_TOKENS` (comma-separated): accepted bearer tokens.
    /// Empty: any non-empty token is accepted.
    public var tokens: [String] = []
    /// `--rate-limit` / `FRESHCHAT_EMULATOR_RATE_LIMIT`: API calls per token per hour. Default 100000.
    public var rateLimit = 100_000
    /// `--max-body` / `FRESHCHAT_EMULATOR_MAX_BODY`: largest request body in bytes. Default 32 MiB.
    public var maxBody = 32 * 1024 * 1024
    /// `--port-file` / `FRESHCHAT_EMULATOR_PORT_FILE`: where to write the bound port once listening.
    public var portFile: String?
    /// `--log-level` / `FRESHCHAT_EMULATOR_LOG_LEVEL`: trace, debug, info, notice, warning, error, critical.
    /// Default info (one access-log line per request).
    public var logLevel = "info"
    /// `--log-format` / `FRESHCHAT_EMULATOR_LOG_FORMAT`: text or json. Default text.
    public var logFormat = LogFormat.text
    /// `--async-delay` / `FRESHCHAT_EMULATOR_ASYNC_DELAY`: seconds of Clock time after which work accepted with
    /// 202 completes. Default 1; 0 = on the scheduler's next tick.
    public var asyncDelay = 1.0
    /// `--deterministic` / `FRESHCHAT_EMULATOR_DETERMINISTIC`: ids from a seeded generator and a clock that starts
    /// frozen at 2024-01-01T00:00:00.000Z, so the same requests give the same bytes on every run.
    public var deterministic = false
    /// `--id-seed` / `FRESHCHAT_EMULATOR_ID_SEED`: the id generator's seed (implies `--deterministic`). Default 1.
    public var idSeed: UInt64 = 1
    /// `--admin-token` / `FRESHCHAT_EMULATOR_ADMIN_TOKEN`: when set, `/_emulator/*` (but health) requires
    /// `Authorization: Bearer <admin-token>`.
    public var adminToken: String?
    /// `--workspaces` / `FRESHCHAT_EMULATOR_WORKSPACES`: every bearer token gets its own isolated state.
    public var workspaces = false
    /// `--import` / `FRESHCHAT_EMULATOR_IMPORT`: a state document (`GET /_emulator/state`) loaded at start.
    public var importFile: String?
    /// `--export-on-exit` / `FRESHCHAT_EMULATOR_EXPORT_ON_EXIT`: where the state document is written at shutdown.
    public var exportOnExit: String?
    /// `--journal-size` / `FRESHCHAT_EMULATOR_JOURNAL_SIZE`: requests kept in the request journal of each workspace,
    /// oldest dropped first; 0 keeps none. Default 1000.
    public var journalSize = 1000
    /// Bytes of each request and response body the journal keeps. Default 65536 (64 KiB).
    public var journalBodyLimit = 64 * 1024
    /// Bytes of bodies the journal keeps in all: past it the oldest entries go first, so a run of large answers
    /// (50-item pages, report CSVs) cannot hold the emulator's memory up. Default 8 MiB.
    public var journalMemoryLimit = 8 * 1024 * 1024
    /// `--webhook-url` (repeatable) / `FRESHCHAT_EMULATOR_WEBHOOK_URLS` (comma-separated): `http://` URLs that
    /// receive all four webhook events; given, they replace the stored subscriptions at start. Default none.
    public var webhookURLs: [String] = []
    /// `--webhook-max-attempts` / `FRESHCHAT_EMULATOR_WEBHOOK_MAX_ATTEMPTS`: attempts before a webhook delivery is
    /// dead. Default 5.
    public var webhookMaxAttempts = 5
    /// `--webhook-private-key` / `FRESHCHAT_EMULATOR_WEBHOOK_PRIVATE_KEY`: a PEM file with the RSA private key
    /// (2048 bits or more) that signs webhooks, in place of the one generated for the store.
    public var webhookPrivateKeyFile: String?
    /// Seconds a webhook delivery waits for the TCP connection. Default 2.
    public var webhookConnectTimeout = 2.0
    /// Seconds a webhook delivery waits for the whole response once it starts sending. Default 5.
    public var webhookResponseTimeout = 5.0
    /// Seconds of Clock time before the first retry of a failed webhook delivery; each further retry waits twice
    /// as long (at most an hour). Default 1.
    public var webhookRetryBase = 1.0
    /// Seconds a client may take to send a request head (slowloris). Default 10.
    public var headerTimeout = 10.0
    /// Seconds an idle keep-alive connection stays open. Default 60.
    public var idleTimeout = 60.0

    /// `asyncDelay` in milliseconds.
    public var asyncDelayMillis: Int64 { Int64((asyncDelay * 1000).rounded()) }

    /// The limits handed to the HTTP floor.
    public var httpLimits: HTTPLimits {
        HTTPLimits(maxBody: maxBody, headerTimeout: headerTimeout, idleTimeout: idleTimeout)
    }

    /// Creates the default configuration.
    public init() {}

    /// Command-line values; nil means "not given".
    public struct Options: Sendable {
        public var host: String?
        public var port: Int?
        public var db: String?
        public var seed: String?
        public var noSeed: Bool?
        public var tokens: [String] = []
        public var rateLimit: Int?
        public var maxBody: Int?
        public var portFile: String?
        public var logLevel: String?
        public var logFormat: String?
        public var asyncDelay: Double?
        public var deterministic: Bool?
        public var idSeed: UInt64?
        public var adminToken: String?
        public var workspaces: Bool?
        public var importFile: String?
        public var exportOnExit: String?
        public var journalSize: Int?
        public var webhookURLs: [String] = []
        public var webhookMaxAttempts: Int?
        public var webhookPrivateKey: String?

        public init() {}
    }

    /// The valid log levels.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Applies flag > environment > default.
    /// - Throws: `ConfigError` naming the flag or variable whose value is invalid.
    public static func resolve(options: Options, environment: [String: String]) throws(ConfigError) -> Config {
        var config = Config()
        func env(_ name: String) -> String? {
            guard let v = environment["FRESHCHAT_EMULATOR_" + name], !v.isEmpty else { return nil }
            return v
        }
        func int(_ flag: Int?, _ name: String, _ option: String, min: Int) throws(ConfigError) -> Int? {
            if let flag {
                guard flag >= min else { throw ConfigError("--\(option) must be at least \(min)") }
                return flag
            }
            guard let raw = env(name) else { return nil }
            guard let v = Int(raw), v >= min else {
                throw ConfigError("FRESHCHAT_EMULATOR_\(name) must be an integer of at least \(min), not '\(raw)'")
            }
            return v
        }
        config.host = options.host ?? env("HOST") ?? config.host
        if let port = try int(options.port, "PORT", "port", min: 0) {
            guard port <= 65535 else { throw ConfigError("--port must be between 0 and 65535") }
            config.port = port
        }
        config.databasePath = options.db ?? env("DB") ?? config.databasePath
        config.seedDirectory = options.seed ?? env("SEED")
        if let noSeed = options.noSeed, noSeed {
            config.noSeed = true
        } else if let raw = env("NO_SEED") {
            guard let v = parseBool(raw) else { throw ConfigError("FRESHCHAT_EMULATOR_NO_SEED must be true or false") }
            config.noSeed = v
        }
        if !options.tokens.isEmpty {
            config.tokens = options.tokens
        } else if let raw = env("TOKENS") {
            config.tokens = raw.split(separator: ",").map { String($0.trimmingASCIIWhitespace()) }.filter {
                !$0.isEmpty
            }
        }
        if config.tokens.contains(where: { $0.isEmpty || $0.contains(" ") }) {
            throw ConfigError("--token values must be non-empty and contain no spaces")
        }
        config.rateLimit = try int(options.rateLimit, "RATE_LIMIT", "rate-limit", min: 1) ?? config.rateLimit
        config.maxBody = try int(options.maxBody, "MAX_BODY", "max-body", min: 0) ?? config.maxBody
        config.portFile = options.portFile ?? env("PORT_FILE")
        let level = (options.logLevel ?? env("LOG_LEVEL") ?? config.logLevel).lowercased()
        guard logLevels.contains(level) else {
            throw ConfigError("--log-level must be one of \(logLevels.joined(separator: ", ")), not '\(level)'")
        }
        config.logLevel = level
        let format = (options.logFormat ?? env("LOG_FORMAT") ?? config.logFormat.rawValue).lowercased()
        guard let parsed = LogFormat(rawValue: format) else {
            throw ConfigError("--log-format must be text or json, not '\(format)'")
        }
        config.logFormat = parsed
        if let delay = options.asyncDelay {
            guard delay >= 0, delay.isFinite else {
                throw ConfigError("--async-delay must be a number of seconds >= 0")
            }
            config.asyncDelay = delay
        } else if let raw = env("ASYNC_DELAY") {
            guard let delay = Double(raw), delay >= 0, delay.isFinite else {
                throw ConfigError("FRESHCHAT_EMULATOR_ASYNC_DELAY must be a number of seconds >= 0, not '\(raw)'")
            }
            config.asyncDelay = delay
        }
        if let flag = options.deterministic, flag {
            config.deterministic = true
        } else if let raw = env("DETERMINISTIC") {
            guard let v = parseBool(raw) else {
                throw ConfigError("FRESHCHAT_EMULATOR_DETERMINISTIC must be true or false")
            }
            config.deterministic = v
        }
        if let seed = options.idSeed {
            config.idSeed = seed
            config.deterministic = true
        } else if let raw = env("ID_SEED") {
            guard let v = UInt64(raw) else {
                throw ConfigError("FRESHCHAT_EMULATOR_ID_SEED must be a non-negative integer, not '\(raw)'")
            }
            config.idSeed = v
            config.deterministic = true
        }
        config.adminToken = options.adminToken ?? env("ADMIN_TOKEN")
        if let flag = options.workspaces, flag {
            config.workspaces = true
        } else if let raw = env("WORKSPACES") {
            guard let v = parseBool(raw) else {
                throw ConfigError("FRESHCHAT_EMULATOR_WORKSPACES must be true or false")
            }
            config.workspaces = v
        }
        config.importFile = options.importFile ?? env("IMPORT")
        config.exportOnExit = options.exportOnExit ?? env("EXPORT_ON_EXIT")
        config.journalSize = try int(options.journalSize, "JOURNAL_SIZE", "journal-size", min: 0) ?? config.journalSize
        config.webhookURLs =
            !options.webhookURLs.isEmpty
            ? options.webhookURLs
            : (env("WEBHOOK_URLS") ?? "").split(separator: ",").map { String($0.trimmingASCIIWhitespace()) }.filter {
                !$0.isEmpty
            }
        for url in config.webhookURLs where Client.Endpoint(url: url) == nil {
            throw ConfigError("--webhook-url must be an http://host[:port]/path URL, not '\(url)'")
        }
        config.webhookMaxAttempts =
            try int(options.webhookMaxAttempts, "WEBHOOK_MAX_ATTEMPTS", "webhook-max-attempts", min: 1)
            ?? config.webhookMaxAttempts
        config.webhookPrivateKeyFile = options.webhookPrivateKey ?? env("WEBHOOK_PRIVATE_KEY")
        return config
    }

    private static func parseBool(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: return nil
        }
    }
}

/// An invalid setting, naming the flag or environment variable.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
