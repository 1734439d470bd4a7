import HTTP

/// The Channels (topics) section of the docs (L2516–2665).
struct ChannelsAPI {
    let emulator: Emulator

    /// The list rules of `GET /v2/channels`: docs L2609 asks for `page=1&items_per_page=2&sort_order=asc&sort_by=name`;
    /// 10 a page by default, at most 100 as the other lists. Without `sort_by` topics come in configured order. Links
    /// put `sort_by` first, as the roles (L2920) and agents (L2042) examples do.
    static let listRules = Pagination.Rules(
        defaultItemsPerPage: 10, maxItemsPerPage: 100, sortFields: ["name"], sortByFirstInLinks: true)

    /// The primary language when no topic has a locale (seed/README.md: "the primary locale is `en`").
    static let fallbackPrimaryLocale = "en"

    /// Routes, spelled as in the docs (L2524, L2588).
    func register(on router: Router) {
        router.add(.get, "/v2/channels", list)
    }

    // MARK: - List all channels

    /// The `locale` query parameter (docs L2594–2599).
    /// - Returns: the locale asked for, or nil when the request names none.
    /// - Throws: `APIError` 400 naming `locale` when it is not an ISO-639 code.
    static func locale(_ query: QueryParameters) throws(APIError) -> String? {
        guard let locale = query["locale"] else { return nil }
        // docs L2596: "Must be specified in the ISO-639 format." — a two- (ISO 639-1) or three-letter (639-2/3) code.
        let letters = locale.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
        guard letters, (2...3).contains(locale.utf8.count) else {
            throw .badRequest("locale must be an ISO-639 language code such as en or de, not '\(locale)' (docs L2596)")
        }
        return locale
    }

    /// List all channels: docs L2583, `GET /v2/channels`.
    /// docs L2613: "A successful request returns 200 OK along with all topics’ details, as an array. … The response
    /// data is limited by the pagination parameters passed in the request."
    func list(_ request: Request) throws -> Response {
        let query = request.query
        let requested = try Self.locale(query)
        let pagination = try Pagination(query, rules: Self.listRules)
        let (channels, total) = try emulator.store.read { db in
            let primary = try db.primaryLocale(fallback: Self.fallbackPrimaryLocale)
            // docs L2597: locale "Limits the response to topics whose locale value matches the parameter value."
            // docs L2603: "When locale is not passed in the request, the response includes only the topics created
            // in the primary language set for the Freshchat account."
            return try db.channels(
                locale: requested ?? primary, primaryLocale: primary, byName: pagination.sortBy == "name",
                descending: pagination.sortOrder == .desc, limit: pagination.itemsPerPage, offset: pagination.offset)
        }
        // docs L2602: "The attribute locale is part of the response only when the locale query parameter is included
        // in the request."
        let items = channels.map { $0.json(includingLocale: requested != nil) }
        let body = pagination.response(
            key: "channels", items: items, total: total, path: "/v2/channels", rel: "channel")
        return .json(body.bytes)
    }
}
