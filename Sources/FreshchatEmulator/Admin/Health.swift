import HTTP

/// `GET /_emulator/health` (no auth): readiness for docker and CI.
struct HealthAPI {
    let emulator: Emulator

    func register(on router: Router) {
        router.add(.get, "/_emulator/health", health)
    }

    /// → 200 `{"status":"ok","version":…,"uptime_seconds":…}` once the store answers.
    func health(_ request: Request) throws -> Response {
        _ = try emulator.store.read { db in try db.scalarInt("SELECT 1") }
        let body: JSONValue = [
            "status": "ok", "version": .string(Emulator.version),
            "uptime_seconds": .integer(Int64(emulator.uptimeSeconds)),
        ]
        return .json(body.bytes)
    }
}
