import Synchronization

/// Request budget per bearer token (docs L134: "The number of API calls permitted (on an hourly basis)"). A
/// token's window starts with its first request and lasts `windowMillis` (an hour unless the control plane's
/// `PUT /_emulator/rate-limit` changed it) on the injected clock.
public final class RateLimiter: Sendable {
    /// The outcome of counting one request.
    public struct Decision: Sendable, Equatable {
        /// Whether the request may proceed.
        public let allowed: Bool
        /// The limit per window.
        public let limit: Int
        /// Calls left in this window after this one.
        public let remaining: Int
        /// Seconds until the window resets (rounded up).
        public let resetSeconds: Int
        /// Unix time (seconds) of the reset.
        public let resetEpoch: Int64
    }

    /// The default window length: one hour, in milliseconds.
    public static let window: Int64 = 3_600_000

    private struct State {
        var limit: Int
        var window: Int64
        var windows: [String: (start: Int64, count: Int)] = [:]
    }

    private let clock: Clock
    private let state: Mutex<State>

    /// Creates a limiter allowing `limit` calls per hour per token.
    public init(limit: Int, clock: Clock) {
        self.clock = clock
        state = Mutex(State(limit: limit, window: Self.window))
    }

    /// Calls permitted per token per window.
    public var limit: Int { state.withLock { $0.limit } }

    /// The window length in milliseconds.
    public var windowMillis: Int64 { state.withLock { $0.window } }

    /// Sets the limit and the window length (nil keeps the current value) and forgets every token's window, so
    /// counting starts over under the new rule.
    /// - Parameters:
    ///   - limit: calls per window, at least 1.
    ///   - windowMillis: the window length in milliseconds, at least 1.
    public func configure(limit: Int?, windowMillis: Int64?) {
        state.withLock { s in
            if let limit { s.limit = max(1, limit) }
            if let windowMillis { s.window = max(1, windowMillis) }
            s.windows.removeAll()
        }
    }

    /// Counts a request by `token` and says whether it is allowed.
    public func take(_ token: String) -> Decision {
        let now = clock.now()
        return state.withLock { s in
            var entry = s.windows[token] ?? (start: now, count: 0)
            if now - entry.start >= s.window || now < entry.start { entry = (now, 0) }
            let allowed = entry.count < s.limit
            if allowed { entry.count += 1 }
            s.windows[token] = entry
            let resetAt = entry.start + s.window
            return Decision(
                allowed: allowed, limit: s.limit, remaining: max(0, s.limit - entry.count),
                resetSeconds: Int((resetAt - now + 999) / 1000), resetEpoch: (resetAt + 999) / 1000)
        }
    }

    /// Forgets every window (control-plane reset); the limit and window length stay.
    public func reset() { state.withLock { $0.windows.removeAll() } }
}
