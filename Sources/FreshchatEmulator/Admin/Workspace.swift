import Synchronization

/// One isolated state: an emulator (store, clock, ids, jobs) and the app serving its routes, plus its named
/// snapshots and the templates a reset restores.
public final class Workspace: Sendable {
    /// A saved copy of the store.
    public struct Snapshot: Sendable {
        /// The store copy (in memory).
        public let store: Store
        /// When it was taken (Clock time, epoch ms).
        public let createdTime: Int64
        /// Its size in bytes.
        public let size: Int
    }

    /// The workspace's name: `default`, or the bearer token with `--workspaces`.
    public let name: String
    /// The emulator.
    public let emulator: Emulator
    /// Its routes.
    public let app: App
    let snapshots = Mutex<[String: Snapshot]>([:])
    private let templates = Mutex<(seeded: Store?, empty: Store?)>((nil, nil))

    /// Creates a workspace around an emulator.
    public init(name: String, emulator: Emulator) {
        self.name = name
        self.emulator = emulator
        self.app = App(emulator: emulator)
    }

    /// Back to the seeded state (or the empty one): the store is restored from a template built once from the
    /// seed, the rate-limit windows are forgotten and, in deterministic mode, the clock and ids rewind.
    public func reset(seeded: Bool) throws {
        let template = try self.template(seeded: seeded)
        try emulator.webhooks.keepingSettings { try emulator.store.restore(from: template) }
        emulator.rateLimiter.reset()
        if emulator.config.deterministic {
            emulator.time.rewind()
            emulator.idSource?.rewind()
        }
        emulator.jobs.invalidate()
    }

    private func template(seeded: Bool) throws -> Store {
        if let existing = templates.withLock({ seeded ? $0.seeded : $0.empty }) { return existing }
        let store = try Store(path: ":memory:")
        try store.load(seeded ? emulator.seed : Seed(files: [:]))
        templates.withLock { t in
            if seeded { t.seeded = store } else { t.empty = store }
        }
        return store
    }

    /// The whole state as one document: every table and the clock.
    public func exportState() throws -> JSONValue {
        guard case .object(var document) = try emulator.store.dump() else { return .null }
        document["clock"] = [
            "now": .string(Timestamp.format(emulator.time.now)), "frozen": .bool(emulator.time.isFrozen),
        ]
        return .object(document)
    }

    /// Loads a document made by `exportState()`, replacing everything; a bad document changes nothing.
    public func importState(_ document: JSONValue) throws {
        var clock: (Int64, Bool)?
        if let c = document["clock"] {
            guard let text = c["now"]?.stringValue, let now = Timestamp.parse(text) else {
                throw StateError("clock.now must be a timestamp")
            }
            guard let frozen = c["frozen"]?.boolValue else { throw StateError("clock.frozen must be a boolean") }
            clock = (now, frozen)
        }
        try emulator.store.replace(with: document)
        if let (now, frozen) = clock {
            emulator.time.setFrozen(frozen)
            emulator.time.set(now)
        }
        emulator.rateLimiter.reset()
        emulator.jobs.invalidate()
    }
}
