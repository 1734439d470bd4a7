import HTTP

/// `/_emulator/rate-limit`: the request budget of a workspace (`?workspace=`, default the shared one), read and
/// changed at run time. The window runs on the workspace's Clock, so a frozen clock holds it and
/// `POST /_emulator/clock/advance` moves it; exhausting it gives the documented 429 (docs L134–141).
struct RateLimitAPI {
    let host: EmulatorHost

    func register(on router: Router) {
        router.add(.get, "/_emulator/rate-limit", read)
        router.add(.put, "/_emulator/rate-limit", change)
    }

    private func json(_ limiter: RateLimiter) -> JSONValue {
        let window = limiter.windowMillis
        return [
            "limit": .integer(Int64(limiter.limit)),
            "window_seconds": window % 1000 == 0 ? .integer(window / 1000) : .double(Double(window) / 1000),
        ]
    }

    /// `GET /_emulator/rate-limit` → `{"limit", "window_seconds"}`.
    func read(_ request: Request) throws -> Response {
        .json(json(try host.workspace(for: request).emulator.rateLimiter).bytes)
    }

    /// `PUT /_emulator/rate-limit {"limit"?: N, "window_seconds"?: S}` → the new setting. Either member may be left
    /// out (it keeps its value); every token's window starts over.
    func change(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let body = Fields(try request.jsonObject())
        let limit = try body.int("limit")
        if let limit, limit < 1 || limit > Int64(Int32.max) {
            throw APIError.badRequest("limit must be an integer from 1 to \(Int32.max)")
        }
        var window: Int64?
        if let value = body.object["window_seconds"], !value.isNull {
            guard let seconds = value.doubleValue, seconds.isFinite, seconds * 1000 >= 1, seconds <= 31_536_000 else {
                throw APIError.badRequest("window_seconds must be a number of seconds from 0.001 to 31536000")
            }
            window = Int64((seconds * 1000).rounded())
        }
        guard limit != nil || window != nil else {
            throw APIError.badRequest("limit or window_seconds is mandatory")
        }
        let limiter = workspace.emulator.rateLimiter
        limiter.configure(limit: limit.map { Int($0) }, windowMillis: window)
        return .json(json(limiter).bytes)
    }
}
