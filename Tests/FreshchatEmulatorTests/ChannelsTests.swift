import HTTP
import Testing

@testable import FreshchatEmulator

/// List all channels (topics) (docs L2516–2665), `GET /v2/channels`.
@Suite struct ChannelsTests {
    /// The seeded English topics in configured order (seed/channels.json); the fifth topic, Kundensupport, is `de`.
    static let englishTopics = ["Support", "Services and promotions", "Billing Queries", "Premium Support"]

    /// docs L2664: the first topic of the list example, verbatim.
    static let docsBillingQueries = """
        { "id": "9c34831f-00b9-4fd0-8184-33105fd6d514", "icon": {}, "updated_time": "2022-11-23T08:47:10.178Z", \
        "enabled": false, "public": true, "name": "Billing Queries", "tags": [], "welcome_message": { "message_parts": \
        [ { "text": { "content": "Hello!! Need help?" } } ], "message_type": "normal" }, "locale": "en" }
        """

    // docs L2602: "The attribute locale is part of the response only when the locale query parameter is included in
    // the request." L2603: "When locale is not passed in the request, the response includes only the topics created in
    // the primary language set for the Freshchat account."
    @Test(arguments: TestMode.allCases)
    func list_AnswersPrimaryLanguageTopics_WithoutLocale_WhenNoLocaleIsGiven(mode: TestMode) throws {
        let emulator = try TestEmulator().client(mode)
        let response = emulator.send(.get, "/v2/channels")
        #expect(response.code == 200, "\(response.text)")
        let body = response.json
        #expect(body.objectValue?.keys == ["channels", "pagination", "links"])
        #expect(body.names("channels") == Self.englishTopics)
        for channel in body["channels"]?.arrayValue ?? [] {
            #expect(
                channel.objectValue?.keys
                    == ["id", "icon", "updated_time", "enabled", "public", "name", "tags", "welcome_message"])
        }
        #expect(body["pagination"]?["total_items"] == 4)
    }

    // docs L2597: locale "Limits the response to topics whose locale value matches the parameter value."; L2602: the
    // locale attribute is then part of the response.
    @Test(arguments: [("de", ["Kundensupport"]), ("en", englishTopics)])
    func list_AnswersTheTopicsOfTheLocale_WithLocale(locale: String, names: [String]) throws {
        let emulator = try TestEmulator()
        let body = emulator.send(.get, "/v2/channels?locale=\(locale)").json
        #expect(body.names("channels") == names)
        #expect(body["channels"]?.arrayValue?.allSatisfy { $0["locale"] == .string(locale) } == true)
        #expect(body["channels"]?.arrayValue?.allSatisfy { $0.objectValue?.keys.last == "locale" } == true)
    }

    // docs L2664: the list example's Billing Queries topic, attribute for attribute and in order, for the docs' own
    // request (L2609: "…/v2/channels?page=1&items_per_page=2&sort_order=asc&sort_by=name&locale=en").
    @Test func list_AnswersTheDocsExampleTopic() throws {
        let emulator = try TestEmulator()
        let body = emulator.send(.get, "/v2/channels?page=1&items_per_page=2&sort_order=asc&sort_by=name&locale=en")
            .json
        #expect(body["channels"]?.arrayValue?.first == (try JSONParser.parse(Self.docsBillingQueries)))
    }

    // docs L2609 with L2613: "The response data is limited by the pagination parameters passed in the request." Links
    // keep locale and put sort_by first (rel "channel").
    @Test func list_FollowsNextPageLinks_ToTheLastPage() throws {
        let emulator = try TestEmulator()
        let pages = emulator.walkPages(
            "/v2/channels?page=1&items_per_page=2&sort_order=asc&sort_by=name&locale=en", key: "channels",
            rel: "channel")
        #expect(
            pages.map(\.names) == [["Billing Queries", "Premium Support"], ["Services and promotions", "Support"]])
        #expect(
            pages.map(\.nextHref) == [
                "/v2/channels?locale=en&sort_by=name&items_per_page=2&sort_order=asc&page=2", nil,
            ])
        #expect(pages.allSatisfy { $0.body["channels"]?.arrayValue?.allSatisfy { $0["locale"] == "en" } == true })
    }

    // docs L2603 with L2602: without locale the pages still hold only primary-language topics, without locale.
    @Test func list_SortsByNameDescending_WithoutLocale() throws {
        let emulator = try TestEmulator()
        let pages = emulator.walkPages(
            "/v2/channels?items_per_page=3&sort_by=name&sort_order=desc", key: "channels", rel: "channel")
        #expect(
            pages.map(\.names) == [["Support", "Services and promotions", "Premium Support"], ["Billing Queries"]])
        #expect(pages.allSatisfy { $0.body["channels"]?.arrayValue?.allSatisfy { $0["locale"] == nil } == true })
        #expect(pages.first?.nextHref == "/v2/channels?sort_by=name&items_per_page=3&sort_order=desc&page=2")
    }

    // docs L2599: "GET /channels?locale=ge" — a locale without topics answers an empty list.
    @Test func list_AnswersNoTopics_ForALocaleWithoutTopics() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/channels?locale=ge")
        #expect(response.code == 200)
        #expect(response.json["channels"] == [])
        #expect(response.json["pagination"]?["total_items"] == 0)
    }

    // docs L2596: locale "Must be specified in the ISO-639 format." ISO-639 codes are letters; case does not matter.
    @Test func list_MatchesTheLocale_IgnoringCase() throws {
        let emulator = try TestEmulator()
        let body = emulator.send(.get, "/v2/channels?locale=DE").json
        #expect(body.names("channels") == ["Kundensupport"])
        #expect(body["channels"]?.arrayValue?.first?["locale"] == "de")
    }

    // docs L2596: "Must be specified in the ISO-639 format."
    @Test(arguments: ["", "e", "en-US", "en_us", "engl", "e1"])
    func list_IsRejected_WhenLocaleIsNotAnISO639Code(locale: String) throws {
        let emulator = try TestEmulator()
        expectError(emulator.send(.get, "/v2/channels?locale=\(locale)"), 400, "BAD_REQUEST", mentioning: "locale")
    }

    // docs L2603: "the primary language set for the Freshchat account" — the emulator's account has no language
    // setting; its primary language is the locale most of its topics have (`en` for the default seed).
    @Test func list_AnswersTheTopicsOfTheLocaleMostTopicsHave_WhenNoLocaleIsGiven() throws {
        let emulator = try TestEmulator(seed: Self.seed(locales: ["de", "en", "de", nil]))
        let body = emulator.send(.get, "/v2/channels").json
        // The topic without a locale was created in the primary language.
        #expect(body.names("channels") == ["Topic 0", "Topic 2", "Topic 3"])
        let english = emulator.send(.get, "/v2/channels?locale=en").json
        #expect(english.names("channels") == ["Topic 1"])
        let german = emulator.send(.get, "/v2/channels?locale=de").json
        #expect(german["channels"]?.arrayValue?.map { $0["locale"] } == ["de", "de", "de"])
    }

    // With no topic carrying a locale, the primary language is `en` (seed/README.md).
    @Test func list_TreatsTopicsWithoutLocaleAsEnglish_WhenNoTopicHasALocale() throws {
        let emulator = try TestEmulator(seed: Self.seed(locales: [nil, nil]))
        #expect(emulator.send(.get, "/v2/channels").json.names("channels") == ["Topic 0", "Topic 1"])
        #expect(emulator.send(.get, "/v2/channels?locale=en").json.names("channels") == ["Topic 0", "Topic 1"])
        #expect(emulator.send(.get, "/v2/channels?locale=de").json.names("channels") == [])
    }

    // docs L2583: "Retrieves a list of all the topics" — disabled (L2561) and private (L2563) topics are listed too.
    @Test func list_IncludesDisabledAndPrivateTopics() throws {
        let emulator = try TestEmulator()
        let channels = emulator.send(.get, "/v2/channels").json["channels"]?.arrayValue ?? []
        #expect(channels.first { $0["name"] == "Billing Queries" }?["enabled"] == false)
        let premium = channels.first { $0["name"] == "Premium Support" }
        #expect(premium?["public"] == false)
        #expect(premium?["tags"] == ["premium", "enterprise"])
    }

    /// A seed whose only topics are `Topic 0`, `Topic 1`, … with these locales (nil: none).
    static func seed(locales: [String?]) -> Seed {
        let channels = locales.enumerated().map { (index, locale) -> JSONValue in
            var object: JSONObject = [
                "id": .string("00000000-0000-4000-8000-00000000c00\(index)"), "name": .string("Topic \(index)"),
                "enabled": true,
            ]
            if let locale { object["locale"] = .string(locale) }
            return .object(object)
        }
        var files = Seed.embedded.files
        files["channels.json"] = JSONValue.object(["channels": .array(channels)]).serialized()
        return Seed(files: files)
    }
}
