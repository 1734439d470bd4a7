import HTTP
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running emulator: its configuration, store, clock, ids and rate limiter. Everything a handler needs
/// comes from here; nothing is global.
public final class Emulator: Sendable {
    /// The resolved configuration.
    public let config: Config
    /// The state.
    public let store: Store
    /// The source of timestamps.
    public let clock: Clock
    /// The source of ids.
    public let ids: IDGenerator
    /// The per-token hourly budget.
    public let rateLimiter: RateLimiter
    /// The 202 job queue.
    public let jobs: JobScheduler
    /// Where diagnostics and the access log go.
    public let logger: Logger
    /// The package version reported by `/_emulator/health`.
    public static let version = "0.1.0"
    let startedAt: timespec

    /// Creates an emulator on an open store.
    public init(config: Config, store: Store, clock: Clock = .system, ids: IDGenerator = .random, logger: Logger) {
        self.config = config
        self.store = store
        self.clock = clock
        self.ids = ids
        self.logger = logger
        self.rateLimiter = RateLimiter(limit: config.rateLimit, clock: clock)
        self.jobs = JobScheduler(store: store, clock: clock)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        startedAt = now
    }

    /// Opens the store named by `config` and seeds it when it is new.
    /// - Throws: `SQLiteError` or `SeedError`.
    public static func open(
        config: Config, clock: Clock = .system, ids: IDGenerator = .random, logger: Logger
    ) throws -> Emulator {
        let store = try Store(path: config.databasePath)
        if try store.isEmpty() {
            let seed: Seed
            if config.noSeed {
                seed = Seed(files: [:])
            } else if let directory = config.seedDirectory {
                seed = try Seed.load(directory: directory)
            } else {
                seed = .embedded
            }
            try store.load(seed)
        }
        return Emulator(config: config, store: store, clock: clock, ids: ids, logger: logger)
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
