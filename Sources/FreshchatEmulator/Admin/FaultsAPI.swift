import HTTP

/// `/_emulator/faults`: the fault rules of a workspace (`?workspace=`, default the shared one).
struct FaultsAPI {
    let host: EmulatorHost

    func register(on router: Router) {
        router.add(.get, "/_emulator/faults", list)
        router.add(.post, "/_emulator/faults", add)
        router.add(.delete, "/_emulator/faults", removeAll)
        router.add(.delete, "/_emulator/faults/{id}", remove)
    }

    /// `GET /_emulator/faults` → `{"faults": [rule, …]}` in the order they apply, each with `matched` and `hits`.
    func list(_ request: Request) throws -> Response {
        let faults = try host.workspace(for: request).app.controls.faults
        return .json(JSONValue.object(["faults": .array(faults.json)]).bytes)
    }

    /// `POST /_emulator/faults {…}` → 201 with the rule (its `id`); it applies after the rules already there.
    func add(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let emulator = workspace.emulator
        var random = SystemRandomNumberGenerator()
        let defaultSeed = emulator.config.deterministic ? emulator.config.idSeed : random.next()
        let rule = try Faults.Rule(Fields(try request.jsonObject()), defaultSeed: defaultSeed)
        let json = workspace.app.controls.faults.add(rule, at: emulator.clock.now())
        return .json(json.bytes, status: .created)
    }

    /// `DELETE /_emulator/faults` → 204; no rule is left.
    func removeAll(_ request: Request) throws -> Response {
        try host.workspace(for: request).app.controls.faults.removeAll()
        return Response(status: .noContent)
    }

    /// `DELETE /_emulator/faults/{id}` → 204, or 404 FAULT_NOT_FOUND.
    func remove(_ request: Request) throws -> Response {
        let faults = try host.workspace(for: request).app.controls.faults
        let text = request.parameters["id"] ?? ""
        guard let id = Int(text), faults.remove(id: id) else {
            throw APIError.notFound("FAULT_NOT_FOUND", "fault \(text) does not exist")
        }
        return Response(status: .noContent)
    }
}

extension Faults.Rule {
    /// Reads a rule: `target` (`api`, the default, or `webhooks`), `method`, `path` (a `PathPattern`, default
    /// `*`), `token`, `event` (webhooks only), `times`, `probability`, `seed`, `status`, `error_status`, `message`,
    /// `retry_after`, `latency_ms`, `drop_connection`. A rule answers with a `status` or drops the connection (not
    /// both), and may add latency; a rule with neither must add latency. A webhook rule's `path` matches the path of
    /// the receiver's URL; `method`, `token`, `error_status`, `message` and `retry_after` are for `/v2` rules only.
    /// - Parameter defaultSeed: the seed when the body gives none (the id seed in deterministic mode).
    /// - Throws: `APIError` 400 naming the member.
    init(_ body: Fields, defaultSeed: UInt64) throws(APIError) {
        let targetName = try body.string("target") ?? Faults.Target.api.rawValue
        guard let target = Faults.Target(rawValue: targetName) else {
            throw .badRequest("target must be api or webhooks, not '\(targetName)'")
        }
        var event: WebhookEvent.Action?
        if let name = try body.string("event") {
            guard target == .webhooks else { throw .badRequest("event applies to target webhooks only") }
            guard let action = WebhookEvent.Action(rawValue: name) else {
                let names = WebhookEvent.Action.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badRequest("event must be one of \(names), not '\(name)'")
            }
            event = action
        }
        if target == .webhooks {
            for key in ["method", "token", "error_status", "message", "retry_after"]
            where body.object[key].map({ !$0.isNull }) ?? false {
                throw .badRequest("\(key) applies to target api only, not to webhooks")
            }
        }
        let method = try body.string("method")
        if let method, !HTTPMethod.known.contains(HTTPMethod(rawValue: method.uppercased())) {
            throw .badRequest("method must be an HTTP method such as GET or POST, not '\(method)'")
        }
        let status = try Self.int(body, "status", 400...599)
        let drop = try body.bool("drop_connection") ?? false
        let latency = try Self.int(body, "latency_ms", 0...600_000) ?? 0
        if drop && status != nil { throw .badRequest("status and drop_connection cannot both be set") }
        if !drop && status == nil && latency == 0 {
            throw .badRequest("a fault needs status (400-599), drop_connection: true or latency_ms > 0")
        }
        var probability: Double?
        if let value = body.object["probability"], !value.isNull {
            guard let p = value.doubleValue, p >= 0, p <= 1 else {
                throw .badRequest("probability must be a number from 0 to 1")
            }
            probability = p
        }
        var seed = defaultSeed
        if let value = body.object["seed"], !value.isNull {
            guard let i = value.intValue, i >= 0 else { throw .badRequest("seed must be a non-negative integer") }
            seed = UInt64(i)
        }
        let errorStatus = try body.string("error_status")
        if let errorStatus, errorStatus.isEmpty { throw .badRequest("error_status must not be empty") }
        self.init(
            target: target, event: event, method: method.map { HTTPMethod(rawValue: $0.uppercased()) },
            path: try PathPattern(try body.string("path") ?? "*", field: "path"), token: try body.string("token"),
            times: try Self.int(body, "times", 1...Int(Int32.max)), probability: probability, seed: seed,
            status: status, errorStatus: errorStatus, message: try body.string("message"),
            retryAfter: try Self.int(body, "retry_after", 0...86_400 * 365), latencyMillis: latency,
            dropConnection: drop)
    }

    private static func int(_ body: Fields, _ key: String, _ range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let value = try body.int(key) else { return nil }
        guard range.contains(Int(clamping: value)) else {
            throw .badRequest("\(key) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(value)
    }
}
