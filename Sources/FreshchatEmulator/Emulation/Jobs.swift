import Dispatch
import SQLite
import Synchronization

/// The 202 flows: work accepted with 202 is stored as a job due at `now + asyncDelay` on the Clock and
/// finished later by this scheduler (ARCHITECTURE.md: "202 flows are real jobs"). Jobs live in the store, so
/// work accepted before a restart still completes after it. On a frozen clock nothing falls due until the
/// clock is advanced; `runDue()` then runs what is due. A finished job's payload is cleared: it may hold personal
/// data that a later GDPR deletion must not find.
///
/// `@unchecked Sendable`: `timer` is touched only on `queue`; everything else shared is in a `Mutex`.
public final class JobScheduler: @unchecked Sendable {
    /// Finishes one job inside its own transaction. `now` is the Clock's time when the job runs.
    public typealias Handler = @Sendable (_ db: Database, _ payload: JSONValue, _ now: Int64) throws -> Void

    private let store: Store
    private let clock: Clock
    private let handlers = Mutex<[String: Handler]>([:])
    /// The earliest due time of a pending job, if known (nil: nothing pending). Only an optimisation: the
    /// store is the truth.
    private let nextDue = Mutex<(due: Int64?, generation: Int)>((Int64.min, 0))
    private let queue = DispatchQueue(label: "jobs")
    private var timer: (any DispatchSourceTimer)?
    private let running = Mutex(false)

    /// Creates a scheduler for `store` on `clock`.
    public init(store: Store, clock: Clock) {
        self.store = store
        self.clock = clock
    }

    /// Registers the handler for jobs of `kind`. Call while building the app.
    public func register(_ kind: String, _ handler: @escaping Handler) {
        handlers.withLock { $0[kind] = handler }
    }

    /// Stores a job; call inside the request's transaction so it exists only if the request's work does.
    /// - Returns: the job id.
    @discardableResult
    public func enqueue(
        _ db: Database, kind: String, payload: JSONValue, id: String, now: Int64, delayMillis: Int64
    ) throws -> String {
        let due = now + max(0, delayMillis)
        try db.execute(
            "INSERT INTO job (id, kind, due_time, payload, created_time) VALUES (?, ?, ?, ?, ?)",
            [.text(id), .text(kind), .integer(due), .text(payload.serialized()), .integer(now)])
        nextDue.withLock { state in
            state.due = state.due.map { min($0, due) } ?? due
            state.generation += 1
        }
        return id
    }

    /// Starts the periodic tick (every `interval` seconds) that runs due jobs.
    public func start(interval: Double = 0.02) {
        queue.sync {
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
            source.setEventHandler { [self] in _ = try? runDue() }
            timer = source
            source.resume()
        }
    }

    /// Stops the tick; pending jobs stay in the store.
    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }

    /// Forgets the cached next due time so the next tick looks at the store (after a state swap or restore).
    public func invalidate() {
        nextDue.withLock {
            $0.due = Int64.min
            $0.generation += 1
        }
    }

    /// Runs every job due at the Clock's current time, oldest first, each in its own transaction.
    /// - Returns: how many jobs ran.
    @discardableResult
    public func runDue() throws -> Int {
        try run(dueBy: clock.now())
    }

    /// Runs every pending job now, whatever its due time, oldest due first (`POST /_emulator/jobs/run`).
    /// - Returns: how many jobs ran.
    @discardableResult
    public func runAll() throws -> Int {
        invalidate()
        return try run(dueBy: Int64.max)
    }

    private func run(dueBy limit: Int64) throws -> Int {
        let now = clock.now()
        let (due, generation) = nextDue.withLock { $0 }
        guard let due, due <= limit else { return 0 }
        let alreadyRunning = running.withLock { r -> Bool in
            defer { r = true }
            return r
        }
        if alreadyRunning { return 0 }
        defer { running.withLock { $0 = false } }
        var count = 0
        while true {
            let job = try store.read { db in
                try db.queryOne(
                    "SELECT id, kind, payload FROM job WHERE status = 'pending' AND due_time <= ? ORDER BY due_time, seq LIMIT 1",
                    [.integer(limit)])
            }
            guard let job else { break }
            let id = try job.string("id")
            let kind = try job.string("kind")
            let payload = (try? JSONParser.parse(try job.string("payload"))) ?? .null
            let handler = handlers.withLock { $0[kind] }
            do {
                try store.write { db in
                    guard let handler else { throw JobError(message: "no handler for job kind \(kind)") }
                    try handler(db, payload, now)
                    try db.execute(
                        "UPDATE job SET status = 'done', payload = 'null', finished_time = ? WHERE id = ?",
                        [.integer(now), .text(id)])
                }
            } catch {
                try store.write { db in
                    try db.execute(
                        "UPDATE job SET status = 'failed', payload = 'null', error = ?, finished_time = ? WHERE id = ?",
                        [.text("\(error)"), .integer(now), .text(id)])
                }
            }
            count += 1
        }
        let next = try store.read { db in
            try db.scalar("SELECT min(due_time) FROM job WHERE status = 'pending'")?.int64Value
        }
        nextDue.withLock { state in
            // A job enqueued while this run looked at the store must not be forgotten.
            state.due = state.generation == generation ? next : Int64.min
        }
        return count
    }
}

/// A job that could not be finished.
struct JobError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension Database {
    /// Pending jobs in due order, for `GET /_emulator/jobs`: id, kind, due time and the subject the payload names.
    func pendingJobs() throws -> [JSONValue] {
        try query("SELECT id, kind, due_time, payload FROM job WHERE status = 'pending' ORDER BY due_time, seq").map {
            row in
            let payload = (try? JSONParser.parse(try row.string("payload"))) ?? .null
            var subject: JSONValue = .null
            if case .string = payload {
                subject = payload
            } else {
                for key in ["id", "user_id", "conversation_id", "agent_id", "request_id", "report_id"] {
                    if let value = payload[key], case .string = value {
                        subject = value
                        break
                    }
                }
            }
            return [
                "id": .string(try row.string("id")), "kind": .string(try row.string("kind")),
                "due_time": .string(Timestamp.format(try row.int64("due_time"))), "subject": subject,
            ]
        }
    }
}
