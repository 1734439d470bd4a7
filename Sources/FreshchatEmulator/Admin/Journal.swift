import HTTP
import Synchronization

/// The request journal of one workspace: every `/v2` request with what it answered, newest last, in memory only.
/// It keeps the last `capacity` requests (`--journal-size`, oldest dropped first; 0 keeps none) and of each request
/// and response body the first `bodyLimit` bytes (`Config.journalBodyLimit`, 64 KiB), dropping the oldest entries while
/// the kept bodies take more than `memoryLimit` bytes in all (`Config.journalMemoryLimit`, 8 MiB). A reset, a snapshot
/// restore or a state import leave it alone; `DELETE /_emulator/requests` clears it.
public final class Journal: Sendable {
    /// One request and its answer.
    public struct Entry: Sendable {
        /// 1, 2, 3, … in arrival order; never reused, not even after a clear.
        public var id: Int64 = 0
        /// When it arrived, on the workspace's Clock (epoch ms).
        public var time: Int64
        public var method: HTTPMethod
        /// The request-target as received (path and query).
        public var target: String
        /// The route pattern that answers it (`/v2/users/{user_id}`), nil when none does.
        public var route: String?
        public var headers: HTTPHeaders
        /// The first `bodyLimit` bytes of the request body.
        public var body: [UInt8]
        public var bodySize: Int
        /// The status answered; nil when a fault dropped the connection.
        public var status: Int?
        public var responseHeaders: HTTPHeaders
        /// The first `bodyLimit` bytes of the response body.
        public var responseBody: [UInt8]
        public var responseBodySize: Int
        /// Wall-clock time from arrival to answer, fault latency included.
        public var durationMillis: Double
        /// The fault rule that answered or delayed the request, if any.
        public var fault: Int?
    }

    /// Which entries `GET /_emulator/requests` lists: every given criterion must hold.
    public struct Filter: Sendable {
        /// The method, compared ignoring ASCII case.
        public var method: String?
        /// Matched against the request path (`PathPattern`: exact, `{name}` or `*`).
        public var path: PathPattern?
        /// The statuses answered (`404`, or a class: `4xx`).
        public var status: ClosedRange<Int>?
        /// Entries that arrived at or after this Clock time (epoch ms).
        public var since: Int64?

        /// No criteria: every entry.
        public init() {}

        func accepts(_ entry: Entry) -> Bool {
            if let method, !entry.method.rawValue.equalsIgnoringASCIICase(method) { return false }
            if let path, !path.matches(Request(method: entry.method, target: entry.target).path) { return false }
            if let status, !(entry.status.map(status.contains) ?? false) { return false }
            if let since, entry.time < since { return false }
            return true
        }
    }

    /// The kept entries, oldest first from `head` (earlier slots are dropped entries, compacted now and then).
    private struct Ring {
        var slots: [Entry?] = []
        var head = 0
        var bytes = 0
        var nextID: Int64 = 1

        var count: Int { slots.count - head }

        mutating func dropOldest() {
            bytes -= slots[head]?.keptBytes ?? 0
            slots[head] = nil
            head += 1
            if head >= 64 && head * 2 >= slots.count {
                slots.removeFirst(head)
                head = 0
            }
        }
    }

    /// The most entries kept.
    public let capacity: Int
    /// The most bytes kept of each request and response body.
    public let bodyLimit: Int
    /// The most bytes of bodies kept in all (the newest entry is always kept).
    public let memoryLimit: Int
    private let ring = Mutex(Ring())

    /// Creates an empty journal.
    public init(capacity: Int, bodyLimit: Int, memoryLimit: Int = Int.max) {
        self.capacity = max(0, capacity)
        self.bodyLimit = max(0, bodyLimit)
        self.memoryLimit = max(0, memoryLimit)
    }

    /// Appends `entry` (bodies cut to `bodyLimit`, copied when they hold more memory than they need), dropping the
    /// oldest entries while there are more than `capacity` or their bodies take more than `memoryLimit` bytes.
    public func record(_ entry: Entry) {
        guard capacity > 0 else { return }
        var entry = entry
        entry.body = Self.kept(entry.body, limit: bodyLimit)
        entry.responseBody = Self.kept(entry.responseBody, limit: bodyLimit)
        ring.withLock { ring in
            entry.id = ring.nextID
            ring.nextID += 1
            ring.bytes += entry.keptBytes
            ring.slots.append(entry)
            while ring.count > capacity || (ring.bytes > memoryLimit && ring.count > 1) { ring.dropOldest() }
        }
    }

    /// How many entries are kept and how many body bytes they hold.
    public var usage: (entries: Int, bytes: Int) { ring.withLock { ($0.count, $0.bytes) } }

    /// The first `limit` bytes of `body`: the array itself when it is whole and holds little spare room, else a copy of
    /// exactly those bytes (not sharing, and so not keeping alive, a larger buffer such as a response's).
    private static func kept(_ body: [UInt8], limit: Int) -> [UInt8] {
        if body.count <= limit && body.capacity - body.count <= max(256, body.count / 4) { return body }
        let bytes = body.prefix(limit)
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
    }

    /// The entries `filter` accepts, oldest first.
    public func entries(matching filter: Filter = Filter()) -> [Entry] {
        let all = ring.withLock { ring in ring.slots[ring.head...].compactMap { $0 } }
        return all.filter(filter.accepts)
    }

    /// Forgets every entry (ids keep counting).
    public func clear() {
        ring.withLock { ring in
            ring.slots.removeAll()
            ring.head = 0
            ring.bytes = 0
        }
    }
}

extension Journal.Entry {
    /// The body bytes the entry holds.
    var keptBytes: Int { body.count + responseBody.count }
}

// MARK: - JSON

extension Journal.Entry {
    /// The entry as `GET /_emulator/requests` lists it; the Authorization value is masked.
    func json(workspace: String) -> JSONValue {
        let request = Request(method: method, target: target)
        var object: JSONObject = [
            "id": .integer(id), "time": .string(Timestamp.format(time)), "workspace": .string(workspace),
            "method": .string(method.rawValue), "path": .string(String(request.path)),
            "query": Self.json(request.query), "route": .optional(route), "headers": Self.json(headers),
        ]
        Self.add(body, size: bodySize, key: "body", to: &object)
        object["status"] = status.map { .integer(Int64($0)) } ?? .null
        object["connection_dropped"] = .bool(status == nil)
        object["response_headers"] = Self.json(responseHeaders)
        Self.add(responseBody, size: responseBodySize, key: "response_body", to: &object)
        object["duration_ms"] = .double((durationMillis * 1000).rounded() / 1000)
        object["fault_id"] = fault.map { .integer(Int64($0)) } ?? .null
        return .object(object)
    }

    /// Query parameters as an object; a repeated name becomes an array of its values.
    private static func json(_ query: QueryParameters) -> JSONValue {
        var object = JSONObject()
        for (name, value) in query {
            switch object[name] {
            case nil: object[name] = .string(value)
            case .array(let values)?: object[name] = .array(values + [.string(value)])
            case let first?: object[name] = .array([first, .string(value)])
            }
        }
        return .object(object)
    }

    /// Header fields as an object keyed by lower-case name; repeated fields are joined with ", " (RFC 9110 §5.3).
    /// The Authorization credentials become `***`, keeping the scheme: `Bearer ***`.
    private static func json(_ headers: HTTPHeaders) -> JSONValue {
        var object = JSONObject()
        for field in headers {
            let name = field.name.lowercased()
            var value = field.value
            if name == "authorization" {
                let scheme = value.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
                value = value.contains(" ") ? scheme + " ***" : "***"
            }
            object[name] = .string(object[name]?.stringValue.map { $0 + ", " + value } ?? value)
        }
        return .object(object)
    }

    /// `key` as UTF-8 text (or `key_base64` when it is not text), `key_size` and `key_truncated`.
    private static func add(_ bytes: [UInt8], size: Int, key: String, to object: inout JSONObject) {
        var text = String(validating: bytes, as: UTF8.self)
        // A cut may split the last character: drop its first bytes.
        var kept = bytes[...]
        while text == nil, size > bytes.count, bytes.count - kept.count < 3, !kept.isEmpty {
            kept = kept.dropLast()
            text = String(validating: kept, as: UTF8.self)
        }
        if let text {
            object[key] = .string(text)
        } else {
            object[key + "_base64"] = .string(Base64.encode(bytes))
        }
        object[key + "_size"] = .integer(Int64(size))
        object[key + "_truncated"] = .bool(size > bytes.count)
    }
}

// MARK: - Control plane

extension Journal.Filter {
    /// Reads `method`, `path`, `status` and `since` from the query of `GET /_emulator/requests`.
    /// - Throws: `APIError` 400 naming the parameter whose value is invalid.
    init(_ query: QueryParameters) throws(APIError) {
        self.init()
        method = query["method"].flatMap { $0.isEmpty ? nil : $0 }
        path = try query["path"].map { text throws(APIError) in try PathPattern(text, field: "path") }
        if let text = query["status"] {
            let lower = text.lowercased()
            if lower.count == 3, lower.hasSuffix("xx"), let digit = Int(lower.prefix(1)), (1...5).contains(digit) {
                status = digit * 100...digit * 100 + 99
            } else if let code = Int(text), (100...599).contains(code) {
                status = code...code
            } else {
                throw .badRequest("status must be a status code such as 404 or a class such as 4xx, not '\(text)'")
            }
        }
        since = try query["since"].map { text throws(APIError) in
            guard let millis = Timestamp.parse(text) else {
                throw .badRequest("since must be an ISO 8601 timestamp like 2024-01-15T10:00:00.000Z, not '\(text)'")
            }
            return millis
        }
    }
}

/// `/_emulator/requests`: the request journal of a workspace (`?workspace=`, default the shared one).
struct JournalAPI {
    let host: EmulatorHost

    func register(on router: Router) {
        router.add(.get, "/_emulator/requests", list)
        router.add(.delete, "/_emulator/requests", clear)
    }

    /// `GET /_emulator/requests?method=&path=&status=&since=` → `{"requests": [entry, …]}`, oldest first.
    func list(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let filter = try Journal.Filter(request.query)
        let entries = workspace.app.controls.journal.entries(matching: filter)
        let body: JSONValue = ["requests": .array(entries.map { $0.json(workspace: workspace.name) })]
        return .json(body.bytes)
    }

    /// `DELETE /_emulator/requests` → 204; the journal is empty.
    func clear(_ request: Request) throws -> Response {
        try host.workspace(for: request).app.controls.journal.clear()
        return Response(status: .noContent)
    }
}
