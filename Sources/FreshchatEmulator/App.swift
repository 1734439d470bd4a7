import HTTP
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every route of the emulator and the middleware in front of them, in a fixed order:
/// access log → journal → faults → auth → rate limit → the resource handler (ARCHITECTURE.md, "How a request
/// travels").
public struct App: Responder {
    /// The emulator whose state the routes serve.
    public let emulator: Emulator
    /// The journal, coverage, fault rules and tokens of this app's `/v2` traffic.
    public let controls: Controls
    private let router = Router()

    /// Builds the router with every route.
    public init(emulator: Emulator) {
        self.emulator = emulator
        controls = Controls(emulator: emulator, router: router)
        AccountsAPI(emulator: emulator).register(on: router)
        UsersAPI(emulator: emulator).register(on: router)
        ConversationsAPI(emulator: emulator).register(on: router)
        AgentsAPI(emulator: emulator).register(on: router)
        GroupsAPI(emulator: emulator).register(on: router)
        ChannelsAPI(emulator: emulator).register(on: router)
        CSATAPI(emulator: emulator).register(on: router)
        ReportsAPI(emulator: emulator).register(on: router)
        ImagesAPI(emulator: emulator).register(on: router)
        RolesAPI(emulator: emulator).register(on: router)
        OutboundMessagesAPI(emulator: emulator).register(on: router)
        BusinessHoursAPI(emulator: emulator).register(on: router)
        MetricsAPI(emulator: emulator).register(on: router)
        PresenceAPI(emulator: emulator).register(on: router)
        HealthAPI(emulator: emulator).register(on: router)
        DemoPageAPI(emulator: emulator).register(on: router)
    }

    /// Every route of the app, as registered: `(method, pattern)`.
    public var routes: [(method: HTTPMethod, pattern: String)] { router.routes }

    /// Answers a request: `/v2` routes need a bearer token and count against the rate limit.
    public func respond(to request: Request) -> Response {
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var response: Response
        if Self.isAPIPath(request.path) {
            response = respondToAPI(request)
        } else {
            response = router.respond(to: request)
        }
        logAccess(request, response, since: start)
        return response
    }

    /// journal → faults (`Controls`) → auth → rate limit → handler.
    private func respondToAPI(_ request: Request) -> Response {
        controls.handle(request) { request in authorizeAndRoute(request) }
    }

    private func authorizeAndRoute(_ request: Request) -> Response {
        let token: String
        do {
            token = try authenticate(request)
        } catch {
            return error.response
        }
        let decision = emulator.rateLimiter.take(token)
        var response: Response
        if decision.allowed {
            response = router.respond(to: request)
        } else {
            let window = emulator.rateLimiter.windowMillis
            let per = window == RateLimiter.window ? "hour" : "\((window + 999) / 1000) s"
            var error = APIError.tooManyRequests(
                "rate limit of \(decision.limit) API calls per \(per) exceeded; retry in \(decision.resetSeconds) s")
            error.headers.add("Retry-After", String(decision.resetSeconds))
            response = error.response
        }
        // docs L136–141: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimitReset ("time remaining to reset");
        // X-RateLimit-Reset carries the Unix time of the reset, as Freshchat's own API description has it.
        response.headers.add("X-RateLimit-Limit", String(decision.limit))
        response.headers.add("X-RateLimit-Remaining", String(decision.remaining))
        response.headers.add("X-RateLimitReset", String(decision.resetSeconds))
        response.headers.add("X-RateLimit-Reset", String(decision.resetEpoch))
        return response
    }

    /// Whether the raw path is under `/v2` (repeated leading slashes allowed).
    static func isAPIPath(_ path: Substring) -> Bool {
        hasFirstSegment("v2", path)
    }

    /// Whether `path`'s first segment, after any leading slashes, is `segment` (compared as bytes).
    static func hasFirstSegment(_ segment: StaticString, _ path: Substring) -> Bool {
        let bytes = path.utf8
        guard let start = bytes.firstIndex(where: { $0 != UInt8(ascii: "/") }) else { return false }
        let rest = bytes[start...]
        let name = UnsafeBufferPointer(start: segment.utf8Start, count: segment.utf8CodeUnitCount)
        guard rest.starts(with: name) else { return false }
        let after = rest.index(start, offsetBy: name.count)
        return after == rest.endIndex || rest[after] == UInt8(ascii: "/")
    }

    /// Checks `Authorization: Bearer <token>` (docs L74: "Authorization: Bearer <access-token>"); the scheme is
    /// case-insensitive (RFC 9110 §11.1).
    /// - Returns: the token.
    /// - Throws: `APIError` 401 UNAUTHENTICATED naming the problem.
    func authenticate(_ request: Request) throws(APIError) -> String {
        let values = request.headers.values("Authorization")
        guard let value = values.first else {
            throw .unauthenticated("Authorization header is missing; send Authorization: Bearer <token>")
        }
        guard values.count == 1 else { throw .unauthenticated("Authorization header must be sent once") }
        guard let (scheme, credential) = EmulatorHost.credentials(value), scheme.equalsIgnoringASCIICase("Bearer")
        else {
            throw .unauthenticated("Authorization header must use the Bearer scheme: Authorization: Bearer <token>")
        }
        let token = String(credential)
        guard !token.isEmpty, !token.contains(" ") else {
            throw .unauthenticated("Authorization header carries no valid bearer token")
        }
        // docs L100: "If you send a request with an expired token, the request fails with the 401 Unauthenticated
        // Request error message." A token registered through /_emulator/tokens is accepted until it expires.
        switch controls.tokens.verdict(token, now: emulator.clock.now()) {
        case .active: return token
        case .expired: throw .unauthenticated("the bearer token has expired; obtain a new token and retry the request")
        case .revoked:
            throw .unauthenticated("the bearer token has expired (it was revoked); obtain a new token and retry")
        case .unknown: break
        }
        let accepted = emulator.config.tokens
        guard accepted.isEmpty || accepted.contains(token) else {
            throw .unauthenticated("the bearer token in the Authorization header is not valid")
        }
        return token
    }

    private func logAccess(_ request: Request, _ response: Response, since start: timespec) {
        guard emulator.logger.logLevel <= .info else { return }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let micros = (end.tv_sec - start.tv_sec) * 1_000_000 + (end.tv_nsec - start.tv_nsec) / 1000
        let duration = Double(micros) / 1000
        emulator.logger.info(
            "access",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(String(request.path)),
                "status": .stringConvertible(response.status.code),
                "bytes": .stringConvertible(response.body.count), "duration_ms": .stringConvertible(duration),
            ])
    }
}
