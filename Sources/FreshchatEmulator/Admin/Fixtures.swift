import HTTP
import SQLite

/// `POST /_emulator/fixtures`: adds to a workspace (`?workspace=`, default the shared one) what the public API
/// cannot create — roles, groups, channels (with locales), agents, agent statuses, conversation properties, WhatsApp
/// templates and business numbers, business hours — and preloads users and conversations with their messages.
///
/// The body is an object whose keys are seed file names without `.json`; each value is that file's document
/// exactly as in seed/ (`{"agents": {"agents": […]}}`) or, shorter, just its list (`{"agents": […]}`). `users` and
/// `conversations` hold the objects `POST /v2/users` and `POST /v2/conversations` take, plus what the system would
/// set (ids, times). Everything is added in one transaction: a bad item changes nothing and the 400 names the item
/// and field (`agents[1].email is mandatory`). Missing ids are generated; configured order continues after
/// the items already there.
struct FixturesAPI {
    let host: EmulatorHost

    /// A key of the body: the seed file it stands for and the list a bare array stands for.
    struct Kind {
        let key: String
        let list: String?
        /// Whether items get a generated `id` when they have none.
        let generatesIDs: Bool
        var file: String { key + ".json" }
    }

    /// The keys in load order (referenced resources first), as in `Seed.fileNames`.
    static let seedKinds = [
        Kind(key: "roles", list: "roles", generatesIDs: true),
        Kind(key: "groups", list: "groups", generatesIDs: true),
        Kind(key: "channels", list: "channels", generatesIDs: true),
        Kind(key: "agents", list: "agents", generatesIDs: true),
        Kind(key: "agent_statuses", list: "states", generatesIDs: true),
        Kind(key: "conversation_properties", list: nil, generatesIDs: true),
        Kind(key: "whatsapp_templates", list: "templates", generatesIDs: false),
        Kind(key: "business_hours", list: "business_hours", generatesIDs: false),
    ]

    /// Every key the body may hold.
    static let keys = seedKinds.map(\.key) + ["users", "conversations"]

    func register(on router: Router) {
        router.add(.post, "/_emulator/fixtures", add)
    }

    /// `POST /_emulator/fixtures` → 201 `{"added": {"agents": [id, …], …, "users": […], "conversations": […]}}`.
    func add(_ request: Request) throws -> Response {
        let workspace = try host.workspace(for: request)
        let emulator = workspace.emulator
        let body = try request.jsonObject()
        for key in body.keys where !Self.keys.contains(key) {
            throw APIError.badRequest("\(key) is not a fixture kind; use \(Self.keys.joined(separator: ", "))")
        }
        guard !body.keys.isEmpty else {
            throw APIError.badRequest("the body must hold at least one of \(Self.keys.joined(separator: ", "))")
        }
        let now = emulator.clock.now()
        var files: [String: String] = [:]
        for kind in Self.seedKinds {
            guard let value = body[kind.key] else { continue }
            files[kind.file] = try Self.document(value, kind, ids: emulator.ids, now: now).serialized()
        }
        let users = try Self.list(body, "users")
        let conversations = try Self.list(body, "conversations")
        let added = try emulator.store.write { db -> JSONObject in
            var added = JSONObject()
            let lists: [(list: String, ids: [String])]
            do {
                lists = try db.insertSeedResources(Seed(files: files), labels: .fixtures)
            } catch let error as SeedError {
                throw APIError.badRequest(error.description)
            }
            for (list, ids) in lists {
                added[Self.outputKey(list)] = .array(ids.map { .string($0) })
            }
            let fixtures = FixtureLoader(emulator: emulator, db: db, now: now)
            if let users { added["users"] = .array(try fixtures.insertUsers(users).map { .string($0) }) }
            if let conversations {
                added["conversations"] = .array(try fixtures.insertConversations(conversations).map { .string($0) })
            }
            return added
        }
        return .json(JSONValue.object(["added": .object(added)]).bytes, status: .created)
    }

    /// The key under which `added` lists the ids of a seed list (`agents.json agents` → `agents`,
    /// `whatsapp_templates.json business_phone_numbers` → `whatsapp_templates.business_phone_numbers`).
    private static func outputKey(_ list: String) -> String {
        let parts = list.split(separator: " ", maxSplits: 1).map(String.init)
        guard let kind = seedKinds.first(where: { $0.file == parts[0] }) else { return list }
        guard parts.count == 2, parts[1] != kind.list else { return kind.key }
        return kind.key + "." + parts[1]
    }

    /// The list `key` of the body: `{"users": [...]}` or `{"users": {"users": [...]}}`; nil when absent.
    private static func list(_ body: JSONObject, _ key: String) throws(APIError) -> [JSONValue]? {
        switch body[key] {
        case nil: return nil
        case .array(let items)?: return items
        case .object(let object)?:
            guard object.keys == [key], let items = object[key]?.arrayValue else {
                throw .badRequest("\(key) must be an array or {\"\(key)\": [...]}")
            }
            return items
        case let other?: throw .badRequest("\(key) must be an array or an object, not \(other.typeName)")
        }
    }

    /// The seed document for `kind`: the value itself, or a bare list wrapped as seed/ spells the file. Items without
    /// an `id` get one; agents get `created_time` and channels `updated_time` now when they have none.
    private static func document(_ value: JSONValue, _ kind: Kind, ids: IDGenerator, now: Int64) throws(APIError)
        -> JSONValue
    {
        var document: JSONValue
        switch value {
        case .array: document = kind.list.map { list in JSONValue.object([list: value]) } ?? value
        case .object(let object) where kind.list != nil:
            let allowed: [String?] =
                kind.key == "whatsapp_templates" ? ["templates", "business_phone_numbers"] : [kind.list]
            for key in object.keys where !allowed.contains(key) {
                throw .badRequest("\(kind.key).\(key) is not part of \(kind.file); use \(kind.list ?? "")")
            }
            document = value
        default:
            throw .badRequest("\(kind.key) must be \(kind.list.map { "{\"\($0)\": [...]} or " } ?? "")an array")
        }
        let listKey = kind.list
        guard var items = (listKey.map { document[$0] ?? .array([]) } ?? document).arrayValue else {
            throw .badRequest("\(kind.key)\(listKey.map { ".\($0)" } ?? "") must be an array")
        }
        for index in items.indices {
            guard case .object(var object) = items[index] else { continue }
            if kind.generatesIDs && object["id"] == nil {
                object = JSONObject([("id", .string(ids.next()))] + object.pairs)
            }
            if kind.key == "agents" && object["created_time"] == nil {
                object["created_time"] = .string(Timestamp.format(now))
            }
            if kind.key == "channels" && object["updated_time"] == nil {
                object["updated_time"] = .string(Timestamp.format(now))
            }
            items[index] = .object(object)
        }
        guard let listKey, case .object(var object) = document else { return .array(items) }
        object[listKey] = .array(items)
        return .object(object)
    }
}
