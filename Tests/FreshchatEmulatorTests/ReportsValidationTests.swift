import Testing

@testable import FreshchatEmulator

/// The rules of `POST /v2/reports/raw` (docs L3397–3423), each at its edge. The clock stands at
/// 2024-01-15T10:00:00.000Z.
@Suite struct ReportsValidationTests {
    /// Posts a report request; `start`/`end`/`event`/`format` nil leave the member out.
    func post(
        _ emulator: TestEmulator, start: String? = "2024-01-15T00:00:00.000Z",
        end: String? = "2024-01-15T12:00:00.000Z",
        event: String? = "Conversation-Created", format: String? = "csv"
    ) -> TestResponse {
        var body = JSONObject()
        if let start { body["start"] = .string(start) }
        if let end { body["end"] = .string(end) }
        if let event { body["event"] = .string(event) }
        if let format { body["format"] = .string(format) }
        return emulator.send(.post, "/v2/reports/raw", json: .object(body))
    }

    func accepted(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.code == 202, "\(response.text)", sourceLocation: sourceLocation)
    }

    // docs L3401: start "Must not be a date earlier than 15 months from the current date." — 15 calendar months
    // before 2024-01-15T10:00:00.000Z is 2022-10-15T10:00:00.000Z.
    @Test func start_IsAccepted_ExactlyFifteenMonthsAgo_AndRejectedOneMillisecondEarlier() throws {
        let emulator = try TestEmulator()
        accepted(post(emulator, start: "2022-10-15T10:00:00.000Z", end: "2022-10-16T00:00:00.000Z"))
        expectError(
            post(emulator, start: "2022-10-15T09:59:59.999Z", end: "2022-10-16T00:00:00.000Z"), 400, "BAD_REQUEST",
            mentioning: "start must not be earlier than 15 months before now (2022-10-15T10:00:00.000Z)")
    }

    // docs L3402: end "Must not be a date later than a month from the starting date."
    @Test func end_IsAccepted_ExactlyAMonthAfterStart_AndRejectedOneMillisecondLater() throws {
        let emulator = try TestEmulator()
        accepted(post(emulator, start: "2024-01-15T10:00:00.000Z", end: "2024-02-15T10:00:00.000Z"))
        expectError(
            post(emulator, start: "2024-01-15T10:00:00.000Z", end: "2024-02-15T10:00:00.001Z"), 400, "BAD_REQUEST",
            mentioning: "end must not be later than a month from start (2024-02-15T10:00:00.000Z)")
    }

    // docs L3402: "a month from the starting date" — a calendar month; from 31 January it ends on 29 February (2024).
    @Test func end_MonthIsACalendarMonth_ClampedToTheShorterMonth() throws {
        let emulator = try TestEmulator()
        accepted(post(emulator, start: "2023-12-31T00:00:00.000Z", end: "2024-01-31T00:00:00.000Z"))
        accepted(post(emulator, start: "2024-01-31T00:00:00.000Z", end: "2024-02-29T00:00:00.000Z"))
        expectError(
            post(emulator, start: "2024-01-31T00:00:00.000Z", end: "2024-02-29T00:00:00.001Z"), 400, "BAD_REQUEST",
            mentioning: "a month from start (2024-02-29T00:00:00.000Z)")
    }

    // The range is [start, end): an end that is not after start leaves nothing to report.
    @Test func end_IsRejected_WhenItIsNotAfterStart() throws {
        let emulator = try TestEmulator()
        expectError(
            post(emulator, start: "2024-01-15T00:00:00.000Z", end: "2024-01-15T00:00:00.000Z"), 400, "BAD_REQUEST",
            mentioning: "end must be after start")
        expectError(
            post(emulator, start: "2024-01-15T00:00:00.000Z", end: "2024-01-14T23:59:59.999Z"), 400, "BAD_REQUEST",
            mentioning: "end must be after start")
        accepted(post(emulator, start: "2024-01-15T00:00:00.000Z", end: "2024-01-15T00:00:00.001Z"))
    }

    // docs L3405, L3420, L3421: Chat-Transcript, Classic and Agent-performance — "the end value should not be more
    // than 24 hours from the start value."
    @Test(arguments: ["Chat-Transcript", "Classic", "Agent-performance"])
    func end_IsAccepted_TwentyFourHoursAfterStart_AndRejectedOneMillisecondLater(event: String) throws {
        let emulator = try TestEmulator()
        accepted(post(emulator, start: "2024-01-14T10:00:00.000Z", end: "2024-01-15T10:00:00.000Z", event: event))
        expectError(
            post(emulator, start: "2024-01-14T10:00:00.000Z", end: "2024-01-15T10:00:00.001Z", event: event), 400,
            "BAD_REQUEST", mentioning: "end must not be more than 24 hours from start for \(event)")
    }

    // The 24-hour rule is those three events' own; the others take up to a month (docs L3402).
    @Test func end_MayBeMoreThanTwentyFourHoursAfterStart_ForOtherEvents() throws {
        let emulator = try TestEmulator()
        accepted(post(emulator, start: "2024-01-14T10:00:00.000Z", end: "2024-01-15T10:00:00.001Z"))
    }

    // docs L3403–3421: event, one of the 16 names as spelled.
    @Test(arguments: Report.Event.allCases.map(\.rawValue))
    func event_IsAccepted_ForEachDocumentedName(event: String) throws {
        let emulator = try TestEmulator()
        accepted(post(emulator, event: event))
    }

    // docs L3403–3421: the names are spelled exactly ("Agent-performance" with a small p).
    @Test(arguments: ["Agent-Performance", "conversation-created", "Conversation_Created", "Conversation-Created ", ""])
    func event_IsRejected_WhenNotSpelledAsDocumented(event: String) throws {
        let emulator = try TestEmulator()
        expectError(
            post(emulator, event: event), 400, "BAD_REQUEST",
            mentioning: "event must be one of Chat-Transcript, Conversation-Created")
    }

    // docs L3423: format "Possible value: csv".
    @Test(arguments: ["CSV", "json", "xlsx"])
    func format_IsRejected_WhenNotCSV(format: String) throws {
        let emulator = try TestEmulator()
        expectError(post(emulator, format: format), 400, "BAD_REQUEST", mentioning: "format must be csv")
    }

    // docs L3423: csv is the only value, so a request without format asks for it.
    @Test func format_DefaultsToCSV() throws {
        let emulator = try TestEmulator()
        accepted(post(emulator, format: nil))
    }

    // docs L3401–3402: "specified in the UTC format" (L3397: "2020-01-23T00:30:00.000Z").
    @Test(arguments: ["2024-01-15", "2024-01-15T00:00:00", "15/01/2024", "yesterday"])
    func start_IsRejected_WhenNotAUTCDateTime(start: String) throws {
        let emulator = try TestEmulator()
        expectError(
            post(emulator, start: start), 400, "BAD_REQUEST", mentioning: "start must be a UTC date-time")
        expectError(post(emulator, end: start), 400, "BAD_REQUEST", mentioning: "end must be a UTC date-time")
    }

    // docs L3397: the request carries start, end and event; each is needed to say what to extract.
    @Test func members_AreMandatory() throws {
        let emulator = try TestEmulator()
        expectError(post(emulator, start: nil), 400, "BAD_REQUEST", mentioning: "start is mandatory")
        expectError(post(emulator, end: nil), 400, "BAD_REQUEST", mentioning: "end is mandatory")
        expectError(post(emulator, event: nil), 400, "BAD_REQUEST", mentioning: "event is mandatory")
        expectError(
            emulator.send(.post, "/v2/reports/raw", body: nil), 400, "BAD_REQUEST", mentioning: "request body")
    }

    // docs L79: every /v2 call needs "Authorization: Bearer <access-token>".
    @Test func request_NeedsABearerToken() throws {
        let emulator = try TestEmulator()
        let response = emulator.send(
            .post, "/v2/reports/raw", body: #"{"start":"2024-01-15T00:00:00.000Z"}"#, token: nil)
        expectError(response, 401, "UNAUTHENTICATED")
    }
}
