import HTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the control plane watches and steers in one workspace's `/v2` traffic: the request journal, route coverage,
/// fault rules and registered tokens. `App` owns one and runs every `/v2` request through `handle`, which is the
/// front of the middleware chain: journal → faults → (auth → rate limit → handler). In memory only: a reset, a
/// snapshot restore or a state import leave all of it as it is.
public final class Controls: Sendable {
    /// Every `/v2` request and its answer.
    public let journal: Journal
    /// Requests and statuses per documented route.
    public let coverage: Coverage
    /// Fault rules.
    public let faults: Faults
    /// Tokens registered through the control plane.
    public let tokens: TokenRegistry
    private let emulator: Emulator
    private let router: Router

    /// Creates empty controls for `emulator`'s app, whose routes are `router`.
    public init(emulator: Emulator, router: Router) {
        self.emulator = emulator
        self.router = router
        journal = Journal(
            capacity: emulator.config.journalSize, bodyLimit: emulator.config.journalBodyLimit,
            memoryLimit: emulator.config.journalMemoryLimit)
        coverage = Coverage(router: router)
        let faults = Faults()
        self.faults = faults
        tokens = TokenRegistry()
        emulator.webhooks.setFaultRule { delivery in faults.evaluate(delivery) }
    }

    /// Answers a `/v2` request: runs the fault rules (a fault answers, drops or delays it), otherwise `next`
    /// (auth → rate limit → handler); then counts it for coverage and records it in the journal.
    public func handle(_ request: Request, next: (Request) -> Response) -> Response {
        let time = emulator.clock.now()
        let start = Self.monotonicMillis()
        let rateLimiter = emulator.rateLimiter
        let outcome = faults.evaluate(
            request, token: EmulatorHost.bearerToken(request), now: time,
            rateLimit: (rateLimiter.limit, rateLimiter.windowMillis))
        if outcome.latencyMillis > 0 { Self.sleep(milliseconds: outcome.latencyMillis) }
        let response = outcome.response ?? next(request)
        let duration = Self.monotonicMillis() - start
        let route = response.route ?? router.route(for: request.method, path: request.path)
        let status = response.dropsConnection ? nil : response.status.code
        coverage.record(route: route, status: status)
        journal.record(
            Journal.Entry(
                time: time, method: request.method, target: request.target, route: route?.pattern,
                headers: request.headers, body: request.body, bodySize: request.body.count, status: status,
                responseHeaders: response.headers, responseBody: response.body,
                responseBodySize: response.body.count, durationMillis: duration, fault: outcome.ruleID))
        return response
    }

    private static func monotonicMillis() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
    }

    /// Blocks the calling thread: the connection's own offload queue, since the host says such requests may block
    /// (`EmulatorHost.mayBlock`), so only that connection waits.
    private static func sleep(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
