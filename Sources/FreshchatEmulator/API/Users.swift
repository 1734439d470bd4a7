import HTTP
import SQLite

/// The Users section of the docs (L205–699).
struct UsersAPI {
    let emulator: Emulator

    /// Job kinds finishing the 202 flows of this section.
    enum JobKind {
        /// Applies a `PUT /v2/users/{user_id}`.
        static let update = "user.update"
        /// Carries out a `DELETE /v2/users/{user_id}`.
        static let delete = "user.delete"
    }

    /// The list rules of `GET /v2/users`. The docs give no default page size; 10 is what their other list
    /// examples ask for (groups L2428, roles L2863). The maximum is 100, the page size of the docs' users example
    /// (L339, L410) and the most `POST /v2/users/fetch` returns (L417). `sort_by` takes the user attributes that
    /// have an order (L339 sorts by `email`); without it users come oldest first.
    static let listRules = Pagination.Rules(
        defaultItemsPerPage: 10, maxItemsPerPage: 100,
        sortFields: ["email", "first_name", "last_name", "created_time", "updated_time"],
        defaultSortBy: "created_time", sortByFirstInLinks: false)

    /// docs L417: "A maximum of 100 user’s details can be retrieved using this API."
    static let maxFetchIDs = 100

    /// Routes, spelled as in the docs (L211–217, L623), and the jobs that finish the 202 flows.
    func register(on router: Router) {
        router.add(.get, "/v2/users", list)
        router.add(.post, "/v2/users/fetch", fetch)
        router.add(.get, "/v2/users/{user_id}", retrieve)
        router.add(.post, "/v2/users", create)
        router.add(.put, "/v2/users/{user_id}", update)
        router.add(.get, "/v2/users/{user_id}/conversations", conversations)
        router.add(.delete, "/v2/users/{user_id}", delete)
        emulator.jobs.register(JobKind.update, Self.applyUpdate)
        emulator.jobs.register(JobKind.delete, Self.applyDelete)
    }

    // MARK: - List users by specified criteria

    /// The query of `GET /v2/users`: the criteria (docs L283–332) and the pagination parameters.
    struct ListQuery {
        /// docs L283: "At least one of the following query parameters is mandatory for a successful response."
        static let criteria = [
            "first_name", "last_name", "email", "reference_id", "phone_no", "created_from", "created_to",
            "updated_from", "updated_to",
        ]

        var filter = User.Filter()
        var pagination: Pagination

        /// Reads the query; other parameters are ignored.
        /// - Throws: `APIError` 400 when no criterion is given, or naming the parameter whose value is invalid.
        init(_ query: QueryParameters) throws(APIError) {
            guard Self.criteria.contains(where: { query[$0] != nil }) else {
                throw .badRequest("at least one of \(Self.criteria.joined(separator: ", ")) is mandatory")
            }
            filter.firstName = query["first_name"]
            filter.lastName = query["last_name"]
            filter.email = query["email"]
            filter.referenceID = query["reference_id"]
            // docs L302: "phone_no Limits the response to user objects whose phone_no value matches" — the
            // attribute itself is `phone` (L264).
            filter.phone = query["phone_no"]
            // docs L308: "Should be a date-time value specified in the UTC format."
            // docs L309: created_from matches created_time "after the parameter value or matches the parameter
            // value" (inclusive); L316: created_to "before the parameter value" (exclusive). The updated_*
            // bounds (L323, L330) are read the same way.
            filter.createdFrom = try Self.timestamp(query, "created_from")
            filter.createdTo = try Self.timestamp(query, "created_to")
            filter.updatedFrom = try Self.timestamp(query, "updated_from")
            filter.updatedTo = try Self.timestamp(query, "updated_to")
            pagination = try Pagination(query, rules: UsersAPI.listRules)
        }

        private static func timestamp(_ query: QueryParameters, _ name: String) throws(APIError) -> Int64? {
            guard let text = query[name] else { return nil }
            guard let millis = Timestamp.parse(text) else {
                throw .badRequest(
                    "\(name) must be a UTC date-time such as 2022-10-13T09:03:34.709Z, not '\(text)'")
            }
            return millis
        }
    }

    /// List users by specified criteria: docs L273, `GET /v2/users`.
    /// docs L343: "A successful request returns 200 OK along with all users’ details, as an array … The
    /// response also contains response parameters pertaining to pagination."
    func list(_ request: Request) throws -> Response {
        let query = try ListQuery(request.query)
        let pagination = query.pagination
        let (users, total) = try emulator.store.read { db in
            try db.users(
                matching: query.filter, sortBy: pagination.sortBy ?? "created_time",
                descending: pagination.sortOrder == .desc, limit: pagination.itemsPerPage,
                offset: Int64(pagination.offset))
        }
        // docs L410: the list's links carry "rel": "user".
        let body = pagination.response(
            key: "users", items: users.map(\.json), total: total, path: "/v2/users", rel: "user")
        return .json(body.bytes)
    }

    // MARK: - List a subset of users

    /// docs L443–448: `{"ids": [ … ]}`, "ids array of strings Identifiers of the user objects that must be
    /// retrieved."
    struct FetchRequest {
        var ids: [String]

        /// - Throws: `APIError` 400 naming `ids` when it is absent, not an array of strings, or too long.
        init(_ body: JSONObject) throws(APIError) {
            let fields = Fields(body)
            guard let items = try fields.array("ids") else { throw .badRequest("ids is mandatory") }
            // docs L417: "A maximum of 100 user’s details can be retrieved using this API."
            guard items.count <= UsersAPI.maxFetchIDs else {
                throw .badRequest("ids must hold at most \(UsersAPI.maxFetchIDs) ids, not \(items.count)")
            }
            ids = []
            for (index, item) in items.enumerated() {
                guard case .string(let id) = item else {
                    throw .badRequest("ids[\(index)] must be a string, not \(item.typeName)")
                }
                ids.append(id)
            }
        }
    }

    /// List a subset of users: docs L413, `POST /v2/users/fetch`.
    /// docs L451: "A successful request returns 200 OK along with the retrieved users’ details, as an array."
    /// Ids that match no user are left out; the users come in the order asked for, each once.
    func fetch(_ request: Request) throws -> Response {
        let body = try FetchRequest(request.jsonObject())
        let users = try emulator.store.read { db in try db.users(ids: body.ids) }
        return .json(JSONValue.object(["users": .array(users.map(\.json))]).bytes)
    }

    // MARK: - Retrieve user information

    /// Retrieve user information: docs L488, `GET /v2/users/{user_id}`.
    /// docs L506: "A successful request returns 200 OK along with the retrieved user object."
    func retrieve(_ request: Request) throws -> Response {
        let id = request.parameters["user_id"] ?? ""
        let user = try emulator.store.read { db in try db.user(id: id) }
        guard let user else { throw Self.userNotFound }
        return .json(user.json.bytes)
    }

    // MARK: - Create a user

    /// docs L558–571: the attributes of the create request; any other member is ignored. The id, times,
    /// `login_status` and `restore_id` belong to the system.
    struct CreateRequest {
        var avatarURL: String?
        var email: String?
        var firstName: String?
        var lastName: String?
        var orgContactID: String?
        var phone: String?
        var properties: [User.Property] = []
        var referenceID: String?

        /// - Throws: `APIError` 400 naming the first member of the wrong type.
        init(_ body: JSONObject) throws(APIError) {
            let fields = Fields(body)
            // docs L560–562: "avatar object … url (string)".
            avatarURL = try fields.object("avatar")?.string("url")
            email = try fields.string("email")
            firstName = try fields.string("first_name")
            lastName = try fields.string("last_name")
            // docs L263: org_contact_id is a string attribute of the user object; the create table does not list
            // it, but a client that sends it gets it back.
            orgContactID = try fields.string("org_contact_id")
            phone = try fields.string("phone")
            // docs L567–570: "properties array of objects … name (string) … value (string)".
            for (index, item) in (try fields.array("properties") ?? []).enumerated() {
                let path = "properties[\(index)]"
                guard case .object(let object) = item else {
                    throw .badRequest("\(path) must be an object, not \(item.typeName)")
                }
                let property = Fields(object, path: path)
                // docs L567: "name (custom property name)-value (custom property’s value) pairs" — a pair needs a
                // name; a value, when sent, is a string.
                let name = try property.requiredString("name")
                guard !name.isEmpty else { throw .badRequest("\(path).name must not be empty") }
                properties.append(User.Property(name: name, value: try property.string("value")))
            }
            referenceID = try fields.string("reference_id")
        }
    }

    /// Create a user: docs L508, `POST /v2/users`.
    /// docs L574: "A successful request returns 201 Created along with the created user object. The object
    /// contains the id, created_at, updated_at, and restore_id attributes."
    func create(_ request: Request) throws -> Response {
        let body = try CreateRequest(request.jsonObject())
        let user = try emulator.store.write { db in
            let now = emulator.clock.now()
            let user = User(
                id: emulator.ids.next(), createdTime: now, updatedTime: now, avatar: User.Avatar(url: body.avatarURL),
                email: body.email, firstName: body.firstName, lastName: body.lastName, loginStatus: false,
                orgContactID: body.orgContactID, phone: body.phone, properties: body.properties,
                referenceID: body.referenceID, restoreID: emulator.ids.next())
            try db.insert(user)
            let rowID = db.lastInsertRowID
            try db.append(Event(.userCreated, time: now, userID: user.id))
            // The change feed's user.created, from what was just written.
            let bytes = user.json.bytes
            emulator.store.prepareEvent(table: "user", rowID: rowID, data: String(decoding: bytes, as: UTF8.self))
            return bytes
        }
        return .json(user, status: .created)
    }

    // MARK: - Update user information

    /// docs L579: "Only the values of the attributes email, first_name, last_name, and phone can be updated
    /// using this API." Every other member (avatar, properties, reference_id, restore_id, org_contact_id,
    /// social_profiles, as in the docs' sample L612) is ignored.
    struct UpdateRequest {
        var changes = User.Changes()

        /// - Throws: `APIError` 400 naming the first of the four attributes that is not a string or null.
        init(_ body: JSONObject) throws(APIError) {
            let fields = Fields(body)
            // docs L578: "If an attribute value is null or not passed as part of the request payload, the
            // attribute’s existing value is retained."
            changes.email = try fields.string("email")
            changes.firstName = try fields.string("first_name")
            changes.lastName = try fields.string("last_name")
            changes.phone = try fields.string("phone")
        }
    }

    /// Update user information: docs L576, `PUT /v2/users/{user_id}`.
    /// docs L616: "A successful request returns 202 Accepted. You can use the Retrieve user information API to
    /// retrieve and view the updated values." The change is applied by a `user.update` job after the async
    /// delay; the body is the docs' 202 response message (L38).
    func update(_ request: Request) throws -> Response {
        let id = request.parameters["user_id"] ?? ""
        let body = try UpdateRequest(request.jsonObject())
        try emulator.store.write { db in
            guard try db.user(id: id) != nil else { throw Self.userNotFound }
            try emulator.jobs.enqueue(
                db, kind: JobKind.update, payload: body.changes.json(userID: id),
                id: emulator.ids.next(), now: emulator.clock.now(), delayMillis: emulator.config.asyncDelayMillis)
        }
        let accepted: JSONValue = ["code": 202, "status": "ACCEPTED", "message": "User update request accepted"]
        return .json(accepted.bytes, status: .accepted)
    }

    /// The `user.update` job: applies the changes and sets `updated_time` to the job's time. A user deleted in
    /// the meantime is left alone.
    @Sendable static func applyUpdate(_ db: Database, _ payload: JSONValue, _ now: Int64) throws {
        guard let id = payload["user_id"]?.stringValue else { throw JobError(message: "user.update without user_id") }
        let changes = User.Changes(json: payload)
        guard try db.update(userID: id, with: changes, at: now) else { return }
        try db.append(Event(.userUpdated, time: now, userID: id))
    }

    // MARK: - Retrieve all conversations for a user

    /// Retrieve all conversations for a user: docs L618, `GET /v2/users/{user_id}/conversations`.
    /// docs L636: "A successful request returns 200 OK along with the retrieved conversation ids." — as
    /// `{"conversations": [{"id": …}, …]}` (L655), oldest conversation first.
    func conversations(_ request: Request) throws -> Response {
        let id = request.parameters["user_id"] ?? ""
        let ids = try emulator.store.read { db in
            guard try db.user(id: id) != nil else { throw Self.userNotFound }
            return try db.conversationIDs(ofUser: id)
        }
        let body: JSONValue = ["conversations": .array(ids.map { ["id": .string($0)] })]
        return .json(body.bytes)
    }

    // MARK: - Delete a user

    /// Delete a user: docs L661, `DELETE /v2/users/{user_id}`.
    /// docs L679: "A successful request returns 202 Accepted along with the following response." (L690). The
    /// deletion is a `user.delete` job after the async delay; until it runs the user is still there, so the
    /// link can "verify the deletion status" (L695) and a repeated DELETE is accepted again.
    func delete(_ request: Request) throws -> Response {
        let id = request.parameters["user_id"] ?? ""
        try emulator.store.write { db in
            guard try db.user(id: id) != nil else { throw Self.userNotFound }
            try emulator.jobs.enqueue(
                db, kind: JobKind.delete, payload: ["user_id": .string(id)], id: emulator.ids.next(),
                now: emulator.clock.now(), delayMillis: emulator.config.asyncDelayMillis)
        }
        // docs L690: { "id": …, "link": { "rel": "self", "href": "/users/…", "type": "GET" } }
        let body: JSONValue = [
            "id": .string(id), "link": ["rel": "self", "href": .string("/users/\(id)"), "type": "GET"],
        ]
        return .json(body.bytes, status: .accepted)
    }

    /// The `user.delete` job: docs L663, "permanently deletes the user’s record from the Freshchat system. The
    /// user details cannot be retrieved from the Freshchat system after this delete which primarily serves to
    /// meet General Data Protection Regulation (GDPR) requirements." A user already gone is left alone.
    @Sendable static func applyDelete(_ db: Database, _ payload: JSONValue, _ now: Int64) throws {
        guard let id = payload["user_id"]?.stringValue else { throw JobError(message: "user.delete without user_id") }
        guard try db.eraseUser(id: id, updateJobKind: JobKind.update) else { return }
        try db.append(Event(.userDeleted, time: now, userID: id))
    }

    // MARK: - Errors

    /// 404 in the shape of docs L46 (`{"code":404,"status":"AGENT_NOT_FOUND","message":"agent not found"}`).
    static let userNotFound = APIError.notFound("USER_NOT_FOUND", "user not found")
}
