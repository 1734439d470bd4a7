import HTTP
import Synchronization

/// Bearer tokens registered through `/_emulator/tokens`, each with an optional expiry on the workspace's Clock or
/// revoked. A registered token that is neither expired nor revoked is accepted even when `--token` does not list
/// it; an expired or revoked one gets 401 (docs L100: "If you send a request with an expired token, the request
/// fails with the 401 Unauthenticated Request error message."). Tokens the registry does not know follow `--token`.
public final class TokenRegistry: Sendable {
    /// What the registry says about a token.
    public enum Verdict: String, Sendable, Equatable {
        /// Not registered: `--token` decides.
        case unknown
        /// Registered and accepted.
        case active
        /// Its `expires_at` has passed.
        case expired
        /// Deleted through `DELETE /_emulator/tokens/{token}`.
        case revoked
    }

    private struct Entry {
        var expiresAt: Int64?
        var revoked: Bool
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Creates an empty registry.
    public init() {}

    /// Registers `token` (or replaces its entry, lifting a revocation), expiring at `expiresAt` (nil: never).
    /// - Returns: whether the token was new to the registry.
    @discardableResult
    public func add(_ token: String, expiresAt: Int64?) -> Bool {
        entries.withLock { $0.updateValue(Entry(expiresAt: expiresAt, revoked: false), forKey: token) == nil }
    }

    /// Revokes `token`, registered or not: from now on it gets 401.
    public func revoke(_ token: String) {
        entries.withLock { $0[token, default: Entry(expiresAt: nil, revoked: true)].revoked = true }
    }

    /// The verdict on `token` at Clock time `now`: expired once `now` reaches `expires_at`.
    public func verdict(_ token: String, now: Int64) -> Verdict {
        guard let entry = entries.withLock({ $0[token] }) else { return .unknown }
        if entry.revoked { return .revoked }
        if let expiresAt = entry.expiresAt, now >= expiresAt { return .expired }
        return .active
    }

    /// Every registered token by name: `{"token", "expires_at", "status"}`.
    public func json(now: Int64) -> [JSONValue] {
        let all = entries.withLock { $0 }
        return all.keys.sorted().map { token in json(token, now: now) }
    }

    /// One token as the control plane shows it.
    func json(_ token: String, now: Int64) -> JSONValue {
        let expiresAt = entries.withLock { $0[token]?.expiresAt }
        return [
            "token": .string(token), "expires_at": .optional(expiresAt.map(Timestamp.format)),
            "status": .string(verdict(token, now: now).rawValue),
        ]
    }
}

/// `/_emulator/tokens`: register, list and revoke bearer tokens. Tokens are server-wide in effect: without
/// `--workspaces` they live in the shared workspace; with it, each token's entry lives in the workspace that token
/// opens (created on first use), so `?workspace=` is not needed.
struct TokensAPI {
    let host: EmulatorHost

    func register(on router: Router) {
        router.add(.get, "/_emulator/tokens", list)
        router.add(.post, "/_emulator/tokens", add)
        router.add(.delete, "/_emulator/tokens/{token}", revoke)
    }

    /// The workspace whose requests carry `token`.
    private func workspace(for token: String, _ request: Request) throws -> Workspace {
        host.config.workspaces ? try host.workspace(named: token) : try host.workspace(for: request)
    }

    /// `POST /_emulator/tokens {"token", "expires_at"?}` → 201 (200 when it replaces an entry) with the token.
    func add(_ request: Request) throws -> Response {
        let body = Fields(try request.jsonObject())
        let token = try body.requiredString("token")
        guard !token.isEmpty, !token.contains(where: { $0 == " " || $0 == "\t" }) else {
            throw APIError.badRequest("token must be non-empty and contain no spaces")
        }
        let expiresAt = try body.string("expires_at").map { text throws(APIError) -> Int64 in
            guard let millis = Timestamp.parse(text) else {
                throw .badRequest("expires_at must be an ISO 8601 timestamp like 2024-01-15T11:00:00.000Z")
            }
            return millis
        }
        let workspace = try workspace(for: token, request)
        let isNew = workspace.app.controls.tokens.add(token, expiresAt: expiresAt)
        let json = workspace.app.controls.tokens.json(token, now: workspace.emulator.clock.now())
        return .json(json.bytes, status: isNew ? .created : .ok)
    }

    /// `GET /_emulator/tokens` → `{"tokens": [{token, expires_at, status, workspace}]}`, every workspace's.
    func list(_ request: Request) throws -> Response {
        var tokens: [JSONValue] = []
        for workspace in host.workspaces.sorted(by: { $0.name < $1.name }) {
            for case .object(var object) in workspace.app.controls.tokens.json(now: workspace.emulator.clock.now()) {
                object["workspace"] = .string(workspace.name)
                tokens.append(.object(object))
            }
        }
        return .json(JSONValue.object(["tokens": .array(tokens)]).bytes)
    }

    /// `DELETE /_emulator/tokens/{token}` → 204; the token, registered or not, gets 401 from now on.
    func revoke(_ request: Request) throws -> Response {
        let token = request.parameters["token"] ?? ""
        try workspace(for: token, request).app.controls.tokens.revoke(token)
        return Response(status: .noContent)
    }
}
