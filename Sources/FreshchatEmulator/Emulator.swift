import HTTP
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running emulator (a workspace): its configuration, store, clock, ids and rate limiter. Everything a
/// handler needs comes from here; nothing is global.
public final class Emulator: Sendable {
    /// The resolved configuration.
    public let config: Config
    /// The state.
    public let store: Store
    /// The clock the control plane freezes, sets and advances.
    public let time: EmulatorClock
    /// The source of timestamps (reads `time`).
    public let clock: Clock
    /// The source of ids.
    public let ids: IDGenerator
    /// The seeded id source in deterministic mode (rewound by a reset), else nil.
    public let idSource: IDSource?
    /// The seed set this store was created from; `POST /_emulator/reset` goes back to it.
    public let seed: Seed
    /// The per-token hourly budget.
    public let rateLimiter: RateLimiter
    /// The 202 job queue.
    public let jobs: JobScheduler
    /// The webhook outbox's delivery worker.
    public let webhooks: Webhooks
    /// Where diagnostics and the access log go.
    public let logger: Logger
    /// The package version reported by `/_emulator/health`.
    public static let version = "0.1.0"
    /// The instant a deterministic emulator's clock starts frozen at: 2024-01-01T00:00:00.000Z.
    public static let deterministicStart: Int64 = 1_704_067_200_000
    let startedAt: timespec

    /// Creates an emulator on an open store.
    public init(
        config: Config, store: Store, time: EmulatorClock = EmulatorClock(), ids: IDGenerator = .random,
        idSource: IDSource? = nil, seed: Seed = .embedded, logger: Logger
    ) {
        self.config = config
        self.store = store
        self.time = time
        self.clock = time.clock
        self.idSource = idSource
        self.ids = idSource?.generator ?? ids
        self.seed = seed
        self.logger = logger
        self.rateLimiter = RateLimiter(limit: config.rateLimit, clock: clock)
        self.jobs = JobScheduler(store: store, clock: clock)
        self.webhooks = Webhooks(store: store, clock: clock, config: config, logger: logger)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        startedAt = now
    }

    /// The seed set `config` names: none, a directory, or the embedded default.
    /// - Throws: `SeedError` when the directory cannot be read.
    public static func seed(for config: Config) throws -> Seed {
        if config.noSeed { return Seed(files: [:]) }
        if let directory = config.seedDirectory { return try Seed.load(directory: directory) }
        return .embedded
    }

    /// Opens the store at `path` (default: the one `config` names) and seeds it when it is new. In deterministic
    /// mode the clock starts frozen at `deterministicStart` and ids come from a seeded source. The webhook
    /// subscriptions and signing key the configuration names are installed.
    /// - Throws: `SQLiteError`, `SeedError` or `WebhookError`.
    public static func open(config: Config, path: String? = nil, logger: Logger) throws -> Emulator {
        let store = try Store(path: path ?? config.databasePath)
        let seed = try seed(for: config)
        if try store.isEmpty() { try store.load(seed) }
        let deterministic = config.deterministic
        let emulator = Emulator(
            config: config, store: store,
            time: deterministic ? EmulatorClock(deterministicStart) : EmulatorClock(),
            idSource: deterministic ? IDSource(seed: config.idSeed) : nil, seed: seed, logger: logger)
        try emulator.webhooks.prepare()
        return emulator
    }

    /// Seconds since this emulator was created.
    public var uptimeSeconds: Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec - startedAt.tv_sec) + Double(now.tv_nsec - startedAt.tv_nsec) / 1e9
    }

    /// The responder serving every route of the emulator.
    public func makeResponder() -> App { App(emulator: self) }
}
