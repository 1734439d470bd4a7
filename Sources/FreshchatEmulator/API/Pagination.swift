import HTTP

/// The one pagination mechanism of every list endpoint: `page`, `items_per_page`, `sort_order`, `sort_by`
/// in; `pagination` and `links` out, as the docs' users (L410), agents (L2042) and roles (L2920) examples
/// show.
public struct Pagination: Sendable {
    /// Per-endpoint rules.
    public struct Rules: Sendable {
        /// `items_per_page` when absent.
        public var defaultItemsPerPage: Int
        /// The largest `items_per_page`; larger values are clamped to it (clients send 9999 to mean "all").
        public var maxItemsPerPage: Int
        /// The fields `sort_by` accepts, by their API names.
        public var sortFields: [String]
        /// `sort_by` when absent.
        public var defaultSortBy: String?
        /// `sort_order` when absent.
        public var defaultSortOrder: SortOrder
        /// Where `sort_by` goes in link hrefs: first, as in the agents (L2042) and roles (L2920) examples
        /// (`sort_by=…&items_per_page=…&sort_order=…`), or last, as in the users example (L410,
        /// `items_per_page=…&sort_order=…&sort_by=…`).
        public var sortByFirstInLinks: Bool

        /// Creates rules.
        public init(
            defaultItemsPerPage: Int, maxItemsPerPage: Int, sortFields: [String], defaultSortBy: String? = nil,
            defaultSortOrder: SortOrder = .asc, sortByFirstInLinks: Bool = true
        ) {
            self.defaultItemsPerPage = defaultItemsPerPage
            self.maxItemsPerPage = maxItemsPerPage
            self.sortFields = sortFields
            self.defaultSortBy = defaultSortBy
            self.defaultSortOrder = defaultSortOrder
            self.sortByFirstInLinks = sortByFirstInLinks
        }
    }

    /// `sort_order`: asc or desc.
    public enum SortOrder: String, Sendable {
        case asc, desc
    }

    /// The page asked for, starting at 1.
    public let page: Int
    /// Items on a page.
    public let itemsPerPage: Int
    /// The sort direction.
    public let sortOrder: SortOrder
    /// The API name of the sort field, if any.
    public let sortBy: String?
    /// The query's other parameters in request order, reproduced in link hrefs.
    let otherParameters: [(name: String, value: String)]
    /// Whether `sort_by` leads the pagination parameters in link hrefs.
    let sortByFirstInLinks: Bool

    /// The largest page number accepted; beyond it every page is empty anyway, and offsets stay far from overflow.
    static let maxPage = 1_000_000_000

    /// Rows to skip.
    public var offset: Int { (page - 1) * itemsPerPage }

    static let parameterNames: Set<String> = ["page", "items_per_page", "sort_order", "sort_by"]

    /// Reads the pagination parameters of `query` under `rules`.
    /// - Throws: `APIError` 400 naming the parameter for a non-numeric or < 1 page or items_per_page, an
    ///   unknown sort_order, or a sort_by the endpoint does not sort by.
    public init(_ query: QueryParameters, rules: Rules) throws(APIError) {
        page = try Self.positiveInt(query["page"], name: "page") ?? 1
        let requested = try Self.positiveInt(query["items_per_page"], name: "items_per_page")
        itemsPerPage = min(requested ?? rules.defaultItemsPerPage, rules.maxItemsPerPage)
        if let order = query["sort_order"] {
            guard let parsed = SortOrder(rawValue: order.lowercased()) else {
                throw .badRequest("sort_order must be asc or desc, not '\(order)'")
            }
            sortOrder = parsed
        } else {
            sortOrder = rules.defaultSortOrder
        }
        if let field = query["sort_by"] {
            guard rules.sortFields.contains(field) else {
                throw .badRequest(
                    "sort_by must be one of \(rules.sortFields.joined(separator: ", ")), not '\(field)'")
            }
            sortBy = field
        } else {
            sortBy = rules.defaultSortBy
        }
        otherParameters = query.items.filter { !Self.parameterNames.contains($0.name) }
        sortByFirstInLinks = rules.sortByFirstInLinks
    }

    private static func positiveInt(_ value: String?, name: String) throws(APIError) -> Int? {
        guard let value else { return nil }
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .badRequest("\(name) must be a positive integer, not '\(value)'")
        }
        let digits = value.drop { $0 == "0" }
        guard !digits.isEmpty else { throw .badRequest("\(name) must be a positive integer, not '\(value)'") }
        // Huge values are clamped (items_per_page to the endpoint's maximum, page to `maxPage`).
        return digits.count > 10 ? maxPage : min(Int(digits) ?? maxPage, maxPage)
    }

    /// The list response: `{<key>: items, "pagination": {…}, "links": {…}}`.
    /// - Parameters:
    ///   - key: the list's name (`users`, `agents`).
    ///   - items: this page's items.
    ///   - total: how many items match in all.
    ///   - path: the endpoint path for link hrefs, with the `/v2` prefix (`/v2/users`).
    ///   - rel: the links' `rel` (`user`).
    public func response(key: String, items: [JSONValue], total: Int, path: String, rel: String) -> JSONValue {
        .object([key: .array(items), "pagination": summary(total: total), "links": links(total: total, path, rel)])
    }

    /// The list response as `response` writes it, around items already written as JSON: `itemsJSON` is the
    /// comma-separated objects of this page, without brackets.
    public func responseBytes(key: String, itemsJSON: [UInt8], total: Int, path: String, rel: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(itemsJSON.count + 512)
        out.append(UInt8(ascii: "{"))
        JSONValue.string(key).write(to: &out)
        out.append(contentsOf: ":[".utf8)
        out.append(contentsOf: itemsJSON)
        out.append(contentsOf: #"],"pagination":"#.utf8)
        summary(total: total).write(to: &out)
        out.append(contentsOf: #","links":"#.utf8)
        links(total: total, path, rel).write(to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    private func totalPages(_ total: Int) -> Int { max(1, (total + itemsPerPage - 1) / itemsPerPage) }

    private func summary(total: Int) -> JSONValue {
        [
            "total_items": .integer(Int64(total)), "total_pages": .integer(Int64(totalPages(total))),
            "current_page": .integer(Int64(page)), "items_per_page": .integer(Int64(itemsPerPage)),
        ]
    }

    private func links(total: Int, _ path: String, _ rel: String) -> JSONValue {
        let totalPages = totalPages(total)
        // Every link carries the same query but its page: written once, then `page=<n>` appended per link.
        let prefix = linkPrefix(path)
        func link(page: Int) -> JSONValue {
            ["href": .string(prefix + String(page)), "rel": .string(rel), "type": "GET"]
        }
        var links = JSONObject()
        if page < totalPages { links["next_page"] = link(page: page + 1) }
        if page > 1 { links["prev_page"] = link(page: min(page - 1, totalPages)) }
        links["first_page"] = link(page: 1)
        links["last_page"] = link(page: totalPages)
        return .object(links)
    }

    /// A link's href up to its page number: `<path>?<other parameters>&[sort_by=…&]items_per_page=…&sort_order=…
    /// [&sort_by=…]&page=`.
    private func linkPrefix(_ path: String) -> String {
        var href = path
        href.reserveCapacity(path.utf8.count + 96)
        href.append("?")
        for parameter in otherParameters {
            href.append(PercentDecoding.encodeQueryComponent(parameter.name))
            href.append("=")
            href.append(PercentDecoding.encodeQueryComponent(parameter.value))
            href.append("&")
        }
        if sortByFirstInLinks, let sortBy {
            href.append("sort_by=")
            href.append(PercentDecoding.encodeQueryComponent(sortBy))
            href.append("&")
        }
        href.append("items_per_page=")
        href.append(String(itemsPerPage))
        href.append("&sort_order=")
        href.append(sortOrder.rawValue)
        if !sortByFirstInLinks, let sortBy {
            href.append("&sort_by=")
            href.append(PercentDecoding.encodeQueryComponent(sortBy))
        }
        href.append("&page=")
        return href
    }
}
