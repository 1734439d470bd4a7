import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The source of every timestamp the emulator writes. Injected, so tests and the control plane can freeze
/// and move time and get the same bytes on every run.
public struct Clock: Sendable {
    /// Milliseconds since the Unix epoch, now.
    public let now: @Sendable () -> Int64

    /// Creates a clock from a closure.
    public init(now: @escaping @Sendable () -> Int64) {
        self.now = now
    }

    /// The system's wall clock.
    public static let system = Clock {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// A clock stopped at `millis`.
    public static func fixed(_ millis: Int64) -> Clock { Clock { millis } }
}

/// The emulator's clock as the control plane sees it: running (the system clock plus an offset) or frozen at an
/// instant, and in either state set or moved forward. Every timestamp the emulator writes comes from here.
public final class EmulatorClock: Sendable {
    private struct State {
        var frozen: Bool
        /// The frozen instant (meaningful while frozen).
        var frozenAt: Int64
        /// Added to the system clock while running.
        var offset: Int64
    }

    private let state: Mutex<State>
    private let initial: State

    /// A clock frozen at `millis` (epoch milliseconds).
    public init(_ millis: Int64) {
        initial = State(frozen: true, frozenAt: millis, offset: 0)
        state = Mutex(initial)
    }

    /// A clock that runs with the system clock.
    public init() {
        initial = State(frozen: false, frozenAt: 0, offset: 0)
        state = Mutex(initial)
    }

    /// The current time in epoch milliseconds.
    public var now: Int64 {
        state.withLock { s in s.frozen ? s.frozenAt : Clock.system.now() + s.offset }
    }

    /// Whether the clock is frozen.
    public var isFrozen: Bool { state.withLock { $0.frozen } }

    /// Moves the clock forward by `delta` milliseconds (frozen or running).
    public func advance(by delta: Int64) {
        state.withLock { s in
            if s.frozen { s.frozenAt += delta } else { s.offset += delta }
        }
    }

    /// Sets the current time to `millis`, keeping the clock frozen or running.
    public func set(_ millis: Int64) {
        state.withLock { s in
            if s.frozen { s.frozenAt = millis } else { s.offset = millis - Clock.system.now() }
        }
    }

    /// Freezes the clock at its current time, or lets it run on from there.
    public func setFrozen(_ frozen: Bool) {
        state.withLock { s in
            guard s.frozen != frozen else { return }
            if frozen {
                s.frozenAt = Clock.system.now() + s.offset
            } else {
                s.offset = s.frozenAt - Clock.system.now()
            }
            s.frozen = frozen
        }
    }

    /// Back to the state the clock was created in (deterministic mode's reset).
    public func rewind() { state.withLock { $0 = initial } }

    /// A `Clock` reading this clock.
    public var clock: Clock { Clock { [self] in now } }
}
