import HTTP
import Logging
import Synchronization

/// The top of the house: routes `/_emulator/*` to the control plane and everything else to a workspace's app —
/// the single shared one, or with `--workspaces` the one belonging to the request's bearer token.
public final class EmulatorHost: Responder, Sendable {
    /// The resolved configuration.
    public let config: Config
    /// The default workspace (the only one without `--workspaces`).
    public let primary: Workspace
    private let logger: Logger
    private let others = Mutex<[String: Workspace]>([:])
    private let admin = Router()

    /// Creates a host around the primary workspace's emulator.
    public init(emulator: Emulator) {
        config = emulator.config
        logger = emulator.logger
        primary = Workspace(name: "default", emulator: emulator)
        ControlPlaneAPI(host: self).register(on: admin)
        WebhooksControlAPI(host: self).register(on: admin)
        // The heartbeat keeps an event stream inside the idle timeout, however short it is configured.
        EventsAPI(host: self, heartbeatSeconds: max(0.5, min(15, config.idleTimeout / 2))).register(on: admin)
        OpenAPIRoute().register(on: admin)
    }

    /// Every route the host serves: the control plane's, then the app's (`/v2` and its own `/_emulator` files).
    public var routes: [(method: HTTPMethod, pattern: String)] { admin.routes + primary.app.routes }

    /// Answers a request.
    public func respond(to request: Request) -> Response {
        // Control-plane routes; other /_emulator paths (health, served files) belong to the app.
        if Self.isControlPlanePath(request.path) && admin.hasRoute(forPath: request.path) {
            if let adminToken = config.adminToken, !Self.carries(adminToken, request),
                !EventsAPI.carriesInQuery(adminToken, request)
            {
                return APIError.unauthenticated("the control plane needs Authorization: Bearer <admin-token>").response
            }
            return admin.respond(to: request)
        }
        guard config.workspaces, let token = Self.bearerToken(request) else {
            if config.workspaces && Self.isServedFilePath(request.path) { return servedFile(request) }
            return primary.app.respond(to: request)
        }
        do {
            return try workspace(named: token).app.respond(to: request)
        } catch {
            return APIError(.internalServerError, message: "cannot open workspace: \(error)").response
        }
    }

    /// The control plane (a webhook flush waits on receivers, a clock advance runs jobs) and, while a fault rule adds
    /// latency, every request may take long: those are answered off the server's event loops.
    public func mayBlock(_ request: Request) -> Bool {
        if Self.isControlPlanePath(request.path) { return true }
        if primary.app.controls.faults.delaysRequests { return true }
        return config.workspaces && others.withLock { $0.values.contains { $0.app.controls.faults.delaysRequests } }
    }

    /// An uploaded image or a report CSV fetched without a bearer token (as its URL is meant to be, like a
    /// pre-signed URL) with `--workspaces`: its random link token is unique, so the workspace that issued it answers.
    private func servedFile(_ request: Request) -> Response {
        var notFound: Response?
        for workspace in workspaces {
            let response = workspace.app.respond(to: request)
            guard response.status.code == 404 else { return response }
            notFound = notFound ?? response
        }
        return notFound ?? primary.app.respond(to: request)
    }

    /// `/_emulator/files/…` (uploaded images) and `/_emulator/reports/…` (report CSVs).
    static func isServedFilePath(_ path: Substring) -> Bool {
        let trimmed = path.drop { $0 == "/" }
        return trimmed.hasPrefix("_emulator/files/") || trimmed.hasPrefix("_emulator/reports/")
    }

    /// Every workspace that exists now.
    public var workspaces: [Workspace] { [primary] + others.withLock { Array($0.values) } }

    /// The workspace named `name` (`default` or a token), created and seeded on first use with `--workspaces`.
    /// - Throws: `APIError` 404 when workspaces are off and `name` is not `default`.
    public func workspace(named name: String) throws -> Workspace {
        if name == primary.name { return primary }
        guard config.workspaces else {
            throw APIError.notFound("WORKSPACE_NOT_FOUND", "workspace \(name) does not exist; start with --workspaces")
        }
        if let existing = others.withLock({ $0[name] }) { return existing }
        let emulator = try Emulator.open(config: config, path: ":memory:", logger: logger)
        let created = others.withLock { map -> (Workspace, Bool) in
            if let raced = map[name] { return (raced, false) }
            let workspace = Workspace(name: name, emulator: emulator)
            map[name] = workspace
            return (workspace, true)
        }
        if created.1 {
            emulator.jobs.start()
            emulator.webhooks.start()
        }
        return created.0
    }

    /// The workspace a control-plane request addresses with `?workspace=` (default: the primary one).
    func workspace(for request: Request) throws -> Workspace {
        try workspace(named: request.query["workspace"] ?? primary.name)
    }

    /// Starts every workspace's job scheduler and webhook delivery worker.
    public func startJobs() {
        for workspace in workspaces {
            workspace.emulator.jobs.start()
            workspace.emulator.webhooks.start()
        }
    }

    /// Stops every workspace's job scheduler and webhook delivery worker.
    public func stopJobs() {
        for workspace in workspaces {
            workspace.emulator.jobs.stop()
            workspace.emulator.webhooks.stop()
        }
    }

    static func isControlPlanePath(_ path: Substring) -> Bool {
        App.hasFirstSegment("_emulator", path)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers["Authorization"], let (scheme, token) = credentials(value),
            scheme.equalsIgnoringASCIICase("Bearer"), !token.isEmpty
        else { return nil }
        return String(token)
    }

    /// An `Authorization` value split into its scheme and what follows the first space after it, without the spaces
    /// and tabs around (RFC 9110 §11.4: `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`); nil when no
    /// space follows the scheme. Scanned as bytes: every API request reads it twice.
    static func credentials(_ value: String) -> (scheme: Substring, token: Substring)? {
        let text = Substring(value)
        let bytes = text.utf8
        guard let start = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }),
            let space = bytes[start...].firstIndex(of: UInt8(ascii: " "))
        else { return nil }
        return (text[start..<space], text[bytes.index(after: space)...].trimmingASCIIWhitespace())
    }

    static func carries(_ token: String, _ request: Request) -> Bool { bearerToken(request) == token }
}
