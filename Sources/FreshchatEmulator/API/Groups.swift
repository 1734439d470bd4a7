import HTTP

/// The Groups section of the docs (L2368–2514).
struct GroupsAPI {
    let emulator: Emulator

    /// The list rules of `GET /v2/groups`: docs L2428 asks for `page=1&items_per_page=10&sort_order=asc&sort_by=name`;
    /// 10 a page by default, at most 100 as the other lists. Without `sort_by` groups come in configured order, as the
    /// examples list them (L2459: Sales, Support, Automation). Links put `sort_by` first, as the roles (L2920) and
    /// agents (L2042) examples do.
    static let listRules = Pagination.Rules(
        defaultItemsPerPage: 10, maxItemsPerPage: 100, sortFields: ["name"], sortByFirstInLinks: true)

    /// Routes, spelled as in the docs (L2374, L2417).
    func register(on router: Router) {
        router.add(.get, "/v2/groups", list)
    }

    // MARK: - List all groups

    /// List all groups: docs L2412, `GET /v2/groups`.
    /// docs L2432: "A successful request returns a 200 OK along with the groups array. Each array element is a group
    /// object. The response is curated based on the pagination parameters passed in the request. The response also
    /// contains response parameters pertaining to pagination."
    func list(_ request: Request) throws -> Response {
        let pagination = try Pagination(request.query, rules: Self.listRules)
        let (groups, total) = try emulator.store.read { db in
            try db.groups(
                byName: pagination.sortBy == "name", descending: pagination.sortOrder == .desc,
                limit: pagination.itemsPerPage, offset: pagination.offset)
        }
        let body = pagination.response(
            key: "groups", items: groups.map(\.json), total: total, path: "/v2/groups", rel: "group")
        return .json(body.bytes)
    }
}

extension APIError {
    /// 404 GROUP_NOT_FOUND (the form of the docs' 404 example, L46: "AGENT_NOT_FOUND").
    static var groupNotFound: APIError { .notFound("GROUP_NOT_FOUND", "group not found") }
}
