import HTTP

/// The Roles section of the docs (L2825–2921).
struct RolesAPI {
    let emulator: Emulator

    /// The list rules of `GET /v2/roles`: docs L2863 asks for `page=1&items_per_page=10&sort_order=asc&sort_by=name`
    /// and L2920 answers 10 a page; at most 100 as the other lists. Without `sort_by` roles come in configured order
    /// (the default roles first, as L2920 lists them). docs L2920: links put `sort_by` first
    /// (`/v2/roles?sort_by=name&items_per_page=10&sort_order=asc&page=2`).
    static let listRules = Pagination.Rules(
        defaultItemsPerPage: 10, maxItemsPerPage: 100, sortFields: ["name"], sortByFirstInLinks: true)

    /// Routes, spelled as in the docs (L2831, L2857).
    func register(on router: Router) {
        router.add(.get, "/v2/roles", list)
    }

    // MARK: - List all roles

    /// List all roles: docs L2852, `GET /v2/roles`.
    /// docs L2867: "A successful request returns 200 OK along with all roles’ details, as an array. … The response
    /// also contains response parameters pertaining to pagination."
    func list(_ request: Request) throws -> Response {
        let pagination = try Pagination(request.query, rules: Self.listRules)
        let (roles, total) = try emulator.store.read { db in
            try db.roles(
                byName: pagination.sortBy == "name", descending: pagination.sortOrder == .desc,
                limit: pagination.itemsPerPage, offset: pagination.offset)
        }
        // docs L2920: "rel": "role".
        let body = pagination.response(
            key: "roles", items: roles.map(\.json), total: total, path: "/v2/roles", rel: "role")
        return .json(body.bytes)
    }
}
