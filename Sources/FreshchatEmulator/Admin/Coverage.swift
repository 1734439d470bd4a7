import HTTP
import Synchronization

/// Which documented `/v2` routes one workspace's clients exercised: for each route of the app's router, how many
/// requests it received and the statuses they were answered with — whoever answered (the handler, auth, the rate
/// limit or a fault). Unlike the journal it is not bounded and not cut by `DELETE /_emulator/requests`;
/// `DELETE /_emulator/coverage` zeroes it. In memory only.
public final class Coverage: Sendable {
    /// The status key of a request whose connection a fault dropped.
    static let dropped = "dropped"

    private struct Counts {
        /// "METHOD pattern" → status (or `dropped`) → requests.
        var routes: [String: [String: Int]] = [:]
        /// Requests no route answers (404, 405).
        var unmatched = 0
    }

    private let router: Router
    private let counts = Mutex(Counts())

    /// Creates empty counters for the routes of `router` (read when asked, so routes added later count too).
    public init(router: Router) { self.router = router }

    /// The `/v2` routes in the order the app registers them (the docs' order, section by section).
    public var routes: [(method: HTTPMethod, pattern: String)] {
        router.routes.filter { App.isAPIPath(Substring($0.pattern)) }
    }

    /// Counts one request to `route` (nil: no route answers it) answered with `status` (nil: dropped).
    public func record(route: (method: HTTPMethod, pattern: String)?, status: Int?) {
        let statusKey = status.map(String.init) ?? Self.dropped
        counts.withLock { counts in
            guard let route else {
                counts.unmatched += 1
                return
            }
            counts.routes["\(route.method.rawValue) \(route.pattern)", default: [:]][statusKey, default: 0] += 1
        }
    }

    /// Zeroes every counter.
    public func clear() { counts.withLock { $0 = Counts() } }

    /// `{"routes": [{method, path, requests, statuses}], "never_exercised": [{method, path}], "exercised",
    /// "total", "unmatched_requests"}`: every route in registration order, statuses by code in ascending order.
    public var json: JSONValue {
        let snapshot = counts.withLock { $0 }
        var listed: [JSONValue] = []
        var never: [JSONValue] = []
        for route in routes {
            let statuses = snapshot.routes["\(route.method.rawValue) \(route.pattern)"] ?? [:]
            let requests = statuses.values.reduce(0, +)
            let ordered = statuses.keys.sorted { (Int($0) ?? 1000, $0) < (Int($1) ?? 1000, $1) }
            listed.append([
                "method": .string(route.method.rawValue), "path": .string(route.pattern),
                "requests": .integer(Int64(requests)),
                "statuses": .object(JSONObject(ordered.map { ($0, .integer(Int64(statuses[$0] ?? 0))) })),
            ])
            if requests == 0 {
                never.append(["method": .string(route.method.rawValue), "path": .string(route.pattern)])
            }
        }
        return [
            "routes": .array(listed), "never_exercised": .array(never),
            "exercised": .integer(Int64(listed.count - never.count)), "total": .integer(Int64(listed.count)),
            "unmatched_requests": .integer(Int64(snapshot.unmatched)),
        ]
    }
}

/// `/_emulator/coverage`: which `/v2` routes a workspace's clients exercised (`?workspace=`, default the shared one).
struct CoverageAPI {
    let host: EmulatorHost

    func register(on router: Router) {
        router.add(.get, "/_emulator/coverage", report)
        router.add(.delete, "/_emulator/coverage", clear)
    }

    /// `GET /_emulator/coverage` → every documented route with its requests and statuses, and the routes never
    /// exercised.
    func report(_ request: Request) throws -> Response {
        .json(try host.workspace(for: request).app.controls.coverage.json.bytes)
    }

    /// `DELETE /_emulator/coverage` → 204; every counter is zero.
    func clear(_ request: Request) throws -> Response {
        try host.workspace(for: request).app.controls.coverage.clear()
        return Response(status: .noContent)
    }
}
