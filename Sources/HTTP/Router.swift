/// Maps method + path pattern to a handler. Patterns are spelled like the API docs
/// (`/v2/users/{user_id}`); literal segments win over parameters (`/v2/agents/status` before
/// `/v2/agents/{agent_id}`). A known path with another method → 405 with `Allow`; an unknown path → 404.
public struct Router: Responder {
    /// A route handler. Throwing a `ResponseError` answers with its response; any other error is a 500.
    public typealias Handler = @Sendable (Request) throws -> Response

    private final class Node: @unchecked Sendable {
        // Mutated only while the router is being built (before it is shared); read-only afterwards.
        var literals: [String: Node] = [:]
        var parameter: (name: String, node: Node)?
        var handlers: [HTTPMethod: (pattern: String, handler: Handler)] = [:]
        /// Every route in registration order (kept on the root only).
        var routes: [(method: HTTPMethod, pattern: String)] = []
    }

    private let root = Node()

    /// Creates an empty router.
    public init() {}

    /// Adds a route. Call only while building, before the router serves requests.
    public func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping Handler) {
        var node = root
        for segment in pattern.split(separator: "/") {
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                if node.parameter == nil { node.parameter = (name, Node()) }
                precondition(node.parameter!.name == name, "conflicting parameter names at \(pattern)")
                node = node.parameter!.node
            } else {
                let key = String(segment)
                if let next = node.literals[key] {
                    node = next
                } else {
                    let next = Node()
                    node.literals[key] = next
                    node = next
                }
            }
        }
        if node.handlers[method] == nil { root.routes.append((method, pattern)) }
        node.handlers[method] = (pattern, handler)
    }

    /// Every route, as (method, pattern) in the order added.
    public var routes: [(method: HTTPMethod, pattern: String)] { root.routes }

    /// The route that answers `method` on `path` (HEAD falls back to GET, as in `respond(to:)`), or nil when no route
    /// handles it (a 404 or 405).
    public func route(for method: HTTPMethod, path: Substring) -> (method: HTTPMethod, pattern: String)? {
        guard let segments = Self.segments(ofPath: path) else { return nil }
        var params: [(String, String)] = []
        var found: [(node: Node, params: [(String, String)])] = []
        matches(segments, 0, root, &params, &found)
        for match in found {
            if let entry = match.node.handlers[method] { return (method, entry.pattern) }
            if method == .head, let entry = match.node.handlers[.get] { return (.get, entry.pattern) }
        }
        return nil
    }

    /// Splits a raw path into percent-decoded segments. Empty segments (repeated slashes) collapse,
    /// `.` segments vanish and `..` removes the previous segment but never climbs above the root
    /// (RFC 3986 §5.2.4). Returns nil for a malformed percent-escape.
    public static func segments(ofPath path: Substring) -> [String]? {
        var out: [String] = []
        // Split on the byte `/` (a Character split would look for grapheme boundaries in every byte).
        for raw in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            guard let segment = PercentDecoding.decode(Substring(raw)) else { return nil }
            if segment == "." { continue }
            if segment == ".." {
                if !out.isEmpty { out.removeLast() }
                continue
            }
            out.append(segment)
        }
        return out
    }

    /// Every node with handlers that `segments` reaches, in preference order: at each depth a literal segment
    /// is tried before the parameter, so a later entry is only a fallback (backtracking).
    private func matches(
        _ segments: [String], _ i: Int, _ node: Node, _ params: inout [(String, String)],
        _ found: inout [(node: Node, params: [(String, String)])]
    ) {
        if i == segments.count {
            if !node.handlers.isEmpty { found.append((node, params)) }
            return
        }
        if let literal = node.literals[segments[i]] {
            matches(segments, i + 1, literal, &params, &found)
        }
        if let (name, child) = node.parameter, !segments[i].isEmpty {
            params.append((name, segments[i]))
            matches(segments, i + 1, child, &params, &found)
            params.removeLast()
        }
    }

    private static func handler(
        in node: Node, for method: HTTPMethod
    ) -> (pattern: String, handler: Handler)? {
        node.handlers[method] ?? (method == .head ? node.handlers[.get] : nil)
    }

    /// Whether some route (for any method) matches `path`.
    public func hasRoute(forPath path: Substring) -> Bool {
        guard let segments = Self.segments(ofPath: path) else { return false }
        var params: [(String, String)] = []
        var found: [(node: Node, params: [(String, String)])] = []
        matches(segments, 0, root, &params, &found)
        return !found.isEmpty
    }

    /// Finds the handler for `request`, fills its parameters and runs it.
    ///
    /// The first matching route (literal before parameter) that handles the method wins, so
    /// `PUT /v2/agents/status` still reaches `PUT /v2/agents/{agent_id}` when only `GET /v2/agents/status`
    /// exists. When no matching route handles the method the answer is 405 listing every method of the
    /// matching routes (GET implies HEAD).
    public func respond(to request: Request) -> Response {
        guard let segments = Self.segments(ofPath: request.path) else {
            return .error(.badRequest, message: "malformed percent-encoding in path")
        }
        var params: [(String, String)] = []
        var found: [(node: Node, params: [(String, String)])] = []
        matches(segments, 0, root, &params, &found)
        if found.isEmpty {
            return .error(.notFound, message: "no route for \(request.method) \(request.path)")
        }
        guard
            let (entry, captured, node) = found.lazy.compactMap({ match in
                Self.handler(in: match.node, for: request.method).map { ($0, match.params, match.node) }
            }).first
        else {
            var allowed = Set<String>()
            for match in found {
                allowed.formUnion(match.node.handlers.keys.map(\.rawValue))
                if match.node.handlers[.get] != nil { allowed.insert("HEAD") }
            }
            var response = Response.error(
                .methodNotAllowed, message: "\(request.method) is not allowed on \(request.path)")
            response.headers.add("Allow", allowed.sorted().joined(separator: ", "))
            return response
        }
        let (pattern, handler) = entry
        var routed = request
        routed.routePattern = pattern
        for (name, value) in captured { routed.parameters.set(name, value) }
        var response: Response
        do {
            response = try handler(routed)
        } catch let error as any ResponseError {
            response = error.response
        } catch {
            response = .error(.internalServerError, message: "internal error: \(error)")
        }
        // HEAD answered by a GET route is recorded as that GET route, as `route(for:path:)` does.
        let answered = node.handlers[request.method] != nil ? request.method : .get
        response.route = (answered, pattern)
        return response
    }
}
