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

/// A clock that stays where it is put: frozen at a time, moved forward on request.
public final class ManualClock: Sendable {
    private let millis: Mutex<Int64>

    /// Creates a clock frozen at `millis`.
    public init(_ millis: Int64) { self.millis = Mutex(millis) }

    /// The current frozen time.
    public var now: Int64 { millis.withLock { $0 } }

    /// Moves the clock forward by `delta` milliseconds.
    public func advance(by delta: Int64) { millis.withLock { $0 += delta } }

    /// Sets the clock to `value`.
    public func set(_ value: Int64) { millis.withLock { $0 = value } }

    /// A `Clock` reading this manual clock.
    public var clock: Clock { Clock { [self] in now } }
}
