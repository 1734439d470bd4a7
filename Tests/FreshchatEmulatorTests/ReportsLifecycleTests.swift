import HTTP
import Testing

@testable import FreshchatEmulator

/// A raw report's life (docs L3776–3862): accepted with 202, PENDING until its job runs, then COMPLETED with one
/// link per UTC day, each serving a CSV for an hour. The clock stands at 2024-01-15T10:00:00.000Z.
@Suite struct ReportsLifecycleTests {
    /// Requests a Conversation-Created report and returns its id.
    func request(
        _ emulator: TestEmulator, start: String = "2024-01-15T00:00:00.000Z", end: String = "2024-01-16T00:00:00.000Z",
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let response = emulator.requestReport("Conversation-Created", start: start, end: end)
        #expect(response.code == 202, "\(response.text)", sourceLocation: sourceLocation)
        return response.json["id"]?.stringValue ?? ""
    }

    /// The href of the report's first link.
    static func href(_ report: JSONValue) -> String? {
        report["links"]?.arrayValue?.first?["link"]?["href"]?.stringValue
    }

    // docs L3776: "A successful request returns 202 along with the reports response object."; L3786: `{"id": …,
    // "link": {"rel": "extracts", "href": "/reports/raw/…"}}` (its misplaced quote put back).
    @Test(arguments: TestMode.allCases)
    func create_Returns202_WithTheIdAndTheLinkToTheReport(mode: TestMode) throws {
        let emulator = try TestEmulator()
        let body =
            #"{ "start": "2024-01-15T00:30:00.000Z", "end": "2024-01-15T18:59:59.000Z", "event": "Conversation-Group-Assigned", "format": "csv" }"#
        let response = try emulator.client(mode).send(.post, "/v2/reports/raw", body: body)
        #expect(response.code == 202, "\(response.text)")
        let id = response.json["id"]?.stringValue ?? ""
        #expect(!id.isEmpty)
        #expect(
            response.json == ["id": .string(id), "link": ["rel": "extracts", "href": .string("/reports/raw/\(id)")]])
    }

    // docs L3849: "PENDING - Report generation is in progress."; L3860 for each sub-report. A pending sub-report has
    // nothing to link to yet; the report turns COMPLETED when its job runs, after the async delay (1 s).
    @Test func report_IsPendingUntilTheAsyncDelayHasPassed_ThenCompleted() throws {
        let emulator = try TestEmulator()
        let id = request(emulator, start: "2024-01-15T00:30:00.000Z", end: "2024-01-15T18:59:59.000Z")
        let pending: JSONValue = [
            "id": .string(id), "status": "PENDING", "interval": "2024-01-15 00:30:00.0 2024-01-15 18:59:59.0",
            "links": [
                ["from_date": "2024-01-15T00:30:00.000Z", "to_date": "2024-01-15T18:59:59.000Z", "status": "PENDING"]
            ],
        ]
        #expect(emulator.retrieveReport(id) == pending)
        try emulator.advance(milliseconds: 999)
        #expect(emulator.retrieveReport(id) == pending)
        try emulator.advance(milliseconds: 1)
        let completed = emulator.retrieveReport(id)
        #expect(completed["status"] == "COMPLETED")
        #expect(completed.objectValue?.keys == ["id", "status", "interval", "links"])
        let link = completed["links"]?.arrayValue?.first
        #expect(link?.objectValue?.keys == ["link", "from_date", "to_date", "status"])
        #expect(link?["link"]?["rel"] == "extraction")
        let href = link?["link"]?["href"]?.stringValue ?? ""
        #expect(href.hasPrefix("http://localhost/_emulator/reports/"))
        #expect(href.hasSuffix("/Conversation-Created_2024-01-15.csv"))
        #expect(link?["from_date"] == "2024-01-15T00:30:00.000Z")
        #expect(link?["to_date"] == "2024-01-15T18:59:59.000Z")
        #expect(link?["status"] == "COMPLETED")
    }

    // docs L3852: interval, in the form of the example L3842 (`2020-01-23 00:30:00.0`): the fraction keeps its
    // significant digits.
    @Test func interval_WritesTheFractionOfASecond_AsTheExampleDoes() throws {
        let emulator = try TestEmulator()
        let id = request(emulator, start: "2024-01-15T08:00:00.250Z", end: "2024-01-15T09:00:00.123Z")
        #expect(emulator.retrieveReport(id)["interval"] == "2024-01-15 08:00:00.25 2024-01-15 09:00:00.123")
    }

    // docs L3853: "The requested report is split into sub-reports according to the interval attribute" — one per UTC
    // day, each `[from_date, to_date)`.
    @Test func report_IsSplitIntoOneSubReportPerUTCDay() throws {
        let emulator = try TestEmulator()
        let id = request(emulator, start: "2024-01-13T12:00:00.000Z", end: "2024-01-15T06:00:00.000Z")
        try emulator.advance()
        let links = emulator.retrieveReport(id)["links"]?.arrayValue ?? []
        #expect(
            links.map { $0["from_date"]?.stringValue ?? "" } == [
                "2024-01-13T12:00:00.000Z", "2024-01-14T00:00:00.000Z", "2024-01-15T00:00:00.000Z",
            ])
        #expect(
            links.map { $0["to_date"]?.stringValue ?? "" } == [
                "2024-01-14T00:00:00.000Z", "2024-01-15T00:00:00.000Z", "2024-01-15T06:00:00.000Z",
            ])
        let names = links.map { ($0["link"]?["href"]?.stringValue ?? "").split(separator: "/").last.map(String.init) }
        #expect(
            names == [
                "Conversation-Created_2024-01-13.csv", "Conversation-Created_2024-01-14.csv",
                "Conversation-Created_2024-01-15.csv",
            ])
    }

    // docs L3808–3809: status "Limits the response to … objects whose status value matches the parameter value.
    // Valid values: COMPLETED, PENDING, FAILED".
    @Test func statusFilter_KeepsTheLinksOfThatStatus() throws {
        let emulator = try TestEmulator()
        let id = request(emulator, start: "2024-01-14T00:00:00.000Z")
        #expect(emulator.retrieveReport(id, query: "?status=PENDING")["links"]?.arrayValue?.count == 2)
        #expect(emulator.retrieveReport(id, query: "?status=COMPLETED")["links"] == [])
        try emulator.advance()
        #expect(emulator.retrieveReport(id, query: "?status=COMPLETED")["links"]?.arrayValue?.count == 2)
        #expect(emulator.retrieveReport(id, query: "?status=PENDING")["links"] == [])
        #expect(emulator.retrieveReport(id, query: "?status=FAILED")["links"] == [])
        #expect(emulator.retrieveReport(id, query: "?status=FAILED")["status"] == "COMPLETED")
        expectError(
            emulator.send(.get, "/v2/reports/raw/\(id)?status=completed"), 400, "BAD_REQUEST",
            mentioning: "status must be one of COMPLETED, PENDING, FAILED")
    }

    // docs L3815: id "Unique identifier for the requested report." — no such report: 404 in the shape of L46.
    @Test func retrieve_Returns404_ForAnUnknownID() throws {
        let emulator = try TestEmulator()
        expectError(
            emulator.send(.get, "/v2/reports/raw/nope"), 404, "REPORT_NOT_FOUND", mentioning: "report not found")
    }

    // docs L3853: "The lifespan of the links is one hour." A link works until an hour after it was handed out, then
    // answers 410; retrieving the report again hands out a fresh one.
    @Test func link_ExpiresAfterOneHour_AndRetrievingTheReportGivesAFreshOne() throws {
        let emulator = try TestEmulator()
        let id = request(emulator)
        try emulator.advance()
        let href = Self.href(emulator.retrieveReport(id))
        let path = ReportTime.path(ofHref: href)
        try emulator.advance(milliseconds: 30 * 60_000)
        #expect(Self.href(emulator.retrieveReport(id)) == href, "the same link within its hour")
        try emulator.advance(milliseconds: 30 * 60_000 - 1)
        #expect(emulator.send(.get, path, token: nil).code == 200)
        try emulator.advance(milliseconds: 1)
        let expired = emulator.send(.get, path, token: nil)
        expectError(expired, 410, "LINK_EXPIRED", mentioning: "GET /v2/reports/raw/\(id)")
        let fresh = Self.href(emulator.retrieveReport(id))
        #expect(fresh != nil && fresh != href)
        #expect(emulator.send(.get, ReportTime.path(ofHref: fresh), token: nil).code == 200)
        #expect(emulator.send(.get, path, token: nil).code == 410)
    }

    // A URL that names no sub-report (unknown token, or a known token with another file name): 404.
    @Test func extract_Returns404_ForAnUnknownURL() throws {
        let emulator = try TestEmulator()
        let id = request(emulator)
        try emulator.advance()
        let path = ReportTime.path(ofHref: Self.href(emulator.retrieveReport(id)))
        let token = path.split(separator: "/").dropLast().last.map(String.init) ?? ""
        expectError(
            emulator.send(.get, "/_emulator/reports/0123/Conversation-Created_2024-01-15.csv", token: nil), 404,
            "REPORT_NOT_FOUND")
        expectError(
            emulator.send(.get, "/_emulator/reports/\(token)/Message-Sent_2024-01-15.csv", token: nil), 404,
            "REPORT_NOT_FOUND")
    }

    // RFC 4180 §3: text/csv; the file carries its name. The CSV is the log as it stood when the report was generated:
    // a conversation created afterwards, even inside the range, is not in it.
    @Test func extract_ServesTheCSV_OfTheLogAsItStoodWhenGenerated() throws {
        let emulator = try TestEmulator()
        try emulator.addUsers()
        let first = try emulator.startConversation()
        let id = request(emulator)
        try emulator.advance()
        _ = try emulator.startConversation()
        let href = Self.href(emulator.retrieveReport(id))
        let response = emulator.send(.get, ReportTime.path(ofHref: href), token: nil)
        #expect(response.code == 200)
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(
            response.headers["Content-Disposition"] == #"attachment; filename="Conversation-Created_2024-01-15.csv""#)
        let rows = CSVText.parse(response.text) ?? []
        #expect(rows.count == 2)
        #expect(rows.last.map { csvCells($0, ConversationCreatedReport.columns)["conversation_id"] } == first)
    }
}
