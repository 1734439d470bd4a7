import HTTP
import Testing

@testable import FreshchatEmulator

/// Times on the scripted day, 2024-01-15 (UTC), and the paths of the links the reports hand out.
enum ReportTime {
    /// 2024-01-15 at `time` (`"10:05:00"` or `"10:05:00.250"`), in epoch ms.
    static func at(_ time: String) -> Int64 { Timestamp.parse(iso(time)) ?? 0 }

    /// 2024-01-15 at `time`, as the API and the CSVs write it: `2024-01-15T10:05:00.000Z`.
    static func iso(_ time: String) -> String {
        "2024-01-15T" + time + (time.contains(".") ? "" : ".000") + "Z"
    }

    /// The path of a link's href (`http://localhost/_emulator/reports/…` → `/_emulator/reports/…`).
    static func path(ofHref href: String?) -> String {
        let href = href ?? ""
        let prefix = "http://localhost"
        return href.hasPrefix(prefix) ? String(href.dropFirst(prefix.count)) : href
    }
}

/// Helpers that read like the Reports API: request a report, let its job run, fetch a sub-report's CSV.
extension TestEmulator {
    /// Moves the frozen clock forward to `millis` and runs the jobs that fall due.
    func moveClock(to millis: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let now = clock.now
        #expect(millis >= now, "the clock only moves forward", sourceLocation: sourceLocation)
        try advance(milliseconds: millis - now)
    }

    /// `POST /v2/reports/raw` with `start`, `end`, `event` (and `format: csv`).
    func requestReport(_ event: String, start: String, end: String) -> TestResponse {
        send(
            .post, "/v2/reports/raw",
            json: ["start": .string(start), "end": .string(end), "event": .string(event), "format": "csv"])
    }

    /// `GET /v2/reports/raw/{id}` (with `query`); records an issue unless 200.
    func retrieveReport(_ id: String, query: String = "", sourceLocation: SourceLocation = #_sourceLocation)
        -> JSONValue
    {
        let response = send(.get, "/v2/reports/raw/\(id)" + query)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// Requests a report, runs its job and fetches each sub-report: the CSV texts, in link order.
    func reportTexts(
        _ event: String, start: String, end: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String] {
        let created = requestReport(event, start: start, end: end)
        #expect(created.code == 202, "\(created.text)", sourceLocation: sourceLocation)
        try advance()
        let id = created.json["id"]?.stringValue ?? ""
        let links = retrieveReport(id, sourceLocation: sourceLocation)["links"]?.arrayValue ?? []
        return links.map { link in
            // The CSV URL needs no bearer token (a pre-signed URL).
            let response = send(.get, ReportTime.path(ofHref: link["link"]?["href"]?.stringValue), token: nil)
            #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
            #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8", sourceLocation: sourceLocation)
            return response.text
        }
    }

    /// The rows (header first) of the one sub-report of `event` for 2024-01-15 `[start, end)`.
    func reportRows(
        _ event: String, start: String = "00:00:00", end: String = "24:00:00",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [[String]] {
        let endISO = end == "24:00:00" ? "2024-01-16T00:00:00.000Z" : ReportTime.iso(end)
        let texts = try reportTexts(event, start: ReportTime.iso(start), end: endISO, sourceLocation: sourceLocation)
        #expect(texts.count == 1, "one sub-report", sourceLocation: sourceLocation)
        let rows = CSVText.parse(texts.first ?? "")
        #expect(rows != nil, "RFC 4180 CSV: \(texts.first ?? "")", sourceLocation: sourceLocation)
        return rows ?? []
    }
}

/// A strict RFC 4180 reader for the tests: CRLF line breaks, quoted fields with doubled quotes; nil when the text
/// breaks the grammar (a bare quote, LF without CR outside quotes, no final CRLF).
enum CSVText {
    static func parse(_ text: String) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quoted = false
        var wasQuoted = false
        while let c = scalars.popFirst() {
            if quoted {
                if c == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !wasQuoted else { return nil }
                quoted = true
                wasQuoted = true
            case ",":
                row.append(field)
                field = ""
                wasQuoted = false
            case "\r":
                guard scalars.popFirst() == "\n" else { return nil }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                wasQuoted = false
            case "\n":
                return nil
            default:
                guard !wasQuoted else { return nil }
                field.unicodeScalars.append(c)
            }
        }
        guard !quoted, row.isEmpty, field.isEmpty else { return nil }
        return rows
    }
}

/// Compares a CSV's rows with the expected ones cell by cell, naming the row and column of each difference.
func expectCSVRows(
    _ rows: [[String]], header: [String], _ expected: [[String: String]],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(rows.first == header, sourceLocation: sourceLocation)
    let body = Array(rows.dropFirst())
    #expect(body.count == expected.count, "rows: \(body)", sourceLocation: sourceLocation)
    for (index, (row, cells)) in zip(body, expected).enumerated() {
        #expect(row.count == header.count, "row \(index + 1) width", sourceLocation: sourceLocation)
        for (position, column) in header.enumerated() where position < row.count {
            let want = cells[column] ?? ""
            #expect(
                row[position] == want, "row \(index + 1) \(column): '\(row[position])' ≠ '\(want)'",
                sourceLocation: sourceLocation)
        }
        for column in cells.keys where !header.contains(column) {
            Issue.record("no column \(column)", sourceLocation: sourceLocation)
        }
    }
}

/// The cells of `row` by column name.
func csvCells(_ row: [String], _ header: [String]) -> [String: String] {
    var out: [String: String] = [:]
    for (column, value) in zip(header, row) { out[column] = value }
    return out
}
