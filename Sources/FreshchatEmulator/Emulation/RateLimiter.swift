import Synchronization

/// Hourly request budget per bearer token (docs L134: "The number of API calls permitted (on an hourly
/// basis)"). The window starts with a token's first request and lasts an hour on the injected clock.
public final class RateLimiter: Sendable {
    /// The outcome of counting one request.
    public struct Decision: Sendable, Equatable {
        /// Whether the request may proceed.
        public let allowed: Bool
        /// The hourly limit.
        public let limit: Int
        /// Calls left in this window after this one.
        public let remaining: Int
        /// Seconds until the window resets (rounded up).
        public let resetSeconds: Int
        /// Unix time (seconds) of the reset.
        public let resetEpoch: Int64
    }

    /// The window length: one hour.
    public static let window: Int64 = 3_600_000

    /// Calls permitted per token per window.
    public let limit: Int
    private let clock: Clock
    private let windows = Mutex<[String: (start: Int64, count: Int)]>([:])

    /// Creates a limiter allowing `limit` calls per hour per token.
    public init(limit: Int, clock: Clock) {
        self.limit = limit
        self.clock = clock
    }

    /// Counts a request by `token` and says whether it is allowed.
    public func take(_ token: String) -> Decision {
        let now = clock.now()
        return windows.withLock { windows in
            var entry = windows[token] ?? (start: now, count: 0)
            if now - entry.start >= Self.window || now < entry.start { entry = (now, 0) }
            let allowed = entry.count < limit
            if allowed { entry.count += 1 }
            windows[token] = entry
            let resetAt = entry.start + Self.window
            return Decision(
                allowed: allowed, limit: limit, remaining: max(0, limit - entry.count),
                resetSeconds: Int((resetAt - now + 999) / 1000), resetEpoch: (resetAt + 999) / 1000)
        }
    }

    /// Forgets every window (control-plane reset).
    public func reset() { windows.withLock { $0.removeAll() } }
}
