import HTTP

/// The control plane under `/_emulator/` (JSON in and out, no bearer token unless `--admin-token`): state,
/// reset, snapshots, clock and jobs here; request journal, coverage, faults, rate limit, tokens and fixtures in
/// their own files. Every endpoint takes `?workspace=<token>` (default: the shared workspace).
struct ControlPlaneAPI {
    let host: EmulatorHost

    func register(on router: Router) {
        router.add(.post, "/_emulator/reset", reset)
        router.add(.get, "/_emulator/state", exportState)
        router.add(.put, "/_emulator/state", importState)
        router.add(.post, "/_emulator/snapshots", saveSnapshot)
        router.add(.get, "/_emulator/snapshots", listSnapshots)
        router.add(.post, "/_emulator/snapshots/{name}/restore", restoreSnapshot)
        router.add(.delete, "/_emulator/snapshots/{name}", deleteSnapshot)
        router.add(.get, "/_emulator/clock", clock)
        router.add(.put, "/_emulator/clock", setClock)
        router.add(.post, "/_emulator/clock/advance", advanceClock)
        router.add(.get, "/_emulator/jobs", listJobs)
        router.add(.post, "/_emulator/jobs/run", runJobs)
        JournalAPI(host: host).register(on: router)
        CoverageAPI(host: host).register(on: router)
        FaultsAPI(host: host).register(on: router)
        RateLimitAPI(host: host).register(on: router)
        TokensAPI(host: host).register(on: router)
        FixturesAPI(host: host).register(on: router)
        ConversationListAPI(host: host).register(on: router)
    }

    /// An optional JSON object body: `{}` when empty.
    private func optionalBody(_ request: Request) throws(APIError) -> Fields {
        if request.body.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) { return Fields(JSONObject()) }
        return Fields(try request.jsonObject())
    }

    // MARK: - State

    /// `POST /_emulator/reset` `{"seed": true|false}` → back to the seeded (or empty) state.
    func reset(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let seeded = try optionalBody(request).bool("seed") ?? true
        try workspace.reset(seeded: seeded)
        return .json(JSONValue.object(["status": "ok", "seed": .bool(seeded)]).bytes)
    }

    /// `GET /_emulator/state` → every table, the EventLog, jobs and the clock as one document.
    func exportState(_ request: Request) throws -> Response {
        .json(try host.workspace(for: request).exportState().bytes)
    }

    /// `PUT /_emulator/state` → replaces everything with the document; a bad document changes nothing (400).
    func importState(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let document = JSONValue.object(try request.jsonObject())
        do {
            try workspace.importState(document)
        } catch let error as StateError {
            throw APIError.badRequest("invalid state document: \(error.description)")
        }
        return .json(JSONValue.object(["status": "ok"]).bytes)
    }

    // MARK: - Snapshots

    private func snapshotJSON(_ name: String, _ snapshot: Workspace.Snapshot) -> JSONValue {
        [
            "name": .string(name), "created_time": .string(Timestamp.format(snapshot.createdTime)),
            "size_bytes": .integer(Int64(snapshot.size)),
        ]
    }

    /// `POST /_emulator/snapshots {"name"}` → 201; saves the current state (SQLite online backup).
    func saveSnapshot(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let name = try Fields(try request.jsonObject()).requiredString("name")
        guard !name.isEmpty, !name.contains("/") else { throw APIError.badRequest("name must be non-empty, without /") }
        let copy = try workspace.emulator.store.copy()
        let snapshot = Workspace.Snapshot(
            store: copy, createdTime: workspace.emulator.clock.now(), size: try copy.byteSize())
        workspace.snapshots.withLock { $0[name] = snapshot }
        return .json(snapshotJSON(name, snapshot).bytes, status: .created)
    }

    /// `GET /_emulator/snapshots` → `{"snapshots": [{name, created_time, size_bytes}]}` by name.
    func listSnapshots(_ request: Request) throws -> Response {
        let snapshots = try host.workspace(for: request).snapshots.withLock { $0 }
        let list = snapshots.keys.sorted().map { snapshotJSON($0, snapshots[$0]!) }
        return .json(JSONValue.object(["snapshots": .array(list)]).bytes)
    }

    private func snapshot(_ request: Request, _ workspace: Workspace) throws -> (String, Workspace.Snapshot) {
        let name = request.parameters["name"] ?? ""
        guard let snapshot = workspace.snapshots.withLock({ $0[name] }) else {
            throw APIError.notFound("SNAPSHOT_NOT_FOUND", "snapshot \(name) does not exist")
        }
        return (name, snapshot)
    }

    /// `POST /_emulator/snapshots/{name}/restore` → the store is put back as it was when saved.
    func restoreSnapshot(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let (name, snapshot) = try snapshot(request, workspace)
        try workspace.emulator.store.restore(from: snapshot.store)
        workspace.emulator.rateLimiter.reset()
        workspace.emulator.jobs.invalidate()
        return .json(snapshotJSON(name, snapshot).bytes)
    }

    /// `DELETE /_emulator/snapshots/{name}` → 204.
    func deleteSnapshot(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let (name, _) = try snapshot(request, workspace)
        workspace.snapshots.withLock { $0[name] = nil }
        return Response(status: .noContent)
    }

    // MARK: - Clock and jobs

    private func clockJSON(_ workspace: Workspace) -> JSONValue {
        [
            "now": .string(Timestamp.format(workspace.emulator.time.now)),
            "frozen": .bool(workspace.emulator.time.isFrozen),
        ]
    }

    /// `GET /_emulator/clock` → `{"now", "frozen"}`.
    func clock(_ request: Request) throws -> Response {
        .json(clockJSON(try host.workspace(for: request)).bytes)
    }

    /// `PUT /_emulator/clock {"now"?, "frozen"?}` → sets or freezes the clock, then runs the jobs that fall due.
    func setClock(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let body = Fields(try request.jsonObject())
        let now = try body.string("now").map { text throws(APIError) -> Int64 in
            guard let millis = Timestamp.parse(text) else {
                throw APIError.badRequest("now must be an ISO 8601 timestamp like 2024-01-15T10:00:00.000Z")
            }
            return millis
        }
        let frozen = try body.bool("frozen")
        if let frozen { workspace.emulator.time.setFrozen(frozen) }
        if let now { workspace.emulator.time.set(now) }
        try workspace.emulator.jobs.runDue()
        return .json(clockJSON(workspace).bytes)
    }

    /// `POST /_emulator/clock/advance {"seconds": N}` → moves the clock and runs every job that falls due, in
    /// order, before answering.
    func advanceClock(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let body = Fields(try request.jsonObject())
        guard let seconds = body.object["seconds"], let value = seconds.doubleValue, value >= 0, value.isFinite else {
            throw APIError.badRequest("seconds is mandatory and must be a number >= 0")
        }
        workspace.emulator.time.advance(by: Int64((value * 1000).rounded()))
        let ran = try workspace.emulator.jobs.runDue()
        guard case .object(var object) = clockJSON(workspace) else { return .json([]) }
        object["jobs_run"] = .integer(Int64(ran))
        return .json(JSONValue.object(object).bytes)
    }

    /// `GET /_emulator/jobs` → pending 202 work: `{"jobs": [{id, kind, due_time, subject}]}` in due order.
    func listJobs(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let jobs = try workspace.emulator.store.read { db in try db.pendingJobs() }
        return .json(JSONValue.object(["jobs": .array(jobs)]).bytes)
    }

    /// `POST /_emulator/jobs/run` → finishes all pending work now, in due order, without moving the clock.
    func runJobs(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let ran = try workspace.emulator.jobs.runAll()
        return .json(JSONValue.object(["jobs_run": .integer(Int64(ran))]).bytes)
    }
}
