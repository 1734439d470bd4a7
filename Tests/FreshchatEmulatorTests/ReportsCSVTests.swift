import Testing

@testable import FreshchatEmulator

/// The RFC 4180 encoder and the calendar and number forms the raw reports write.
@Suite struct ReportsCSVTests {
    // RFC 4180 §2.6: "Fields containing line breaks (CRLF), double quotes, and commas should be enclosed in
    // double-quotes."; §2.7: "a double-quote appearing inside a field must be escaped by preceding it with another
    // double quote."; §2.4: other fields as they are (spaces are part of a field).
    @Test(arguments: [
        ("plain", "plain"), ("", ""), (" spaced ", " spaced "), ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("\"", "\"\"\"\""), ("line\nbreak", "\"line\nbreak\""), ("cr\rhere", "\"cr\rhere\""),
        ("crlf\r\nhere", "\"crlf\r\nhere\""), ("naïve, café", "\"naïve, café\""), ("semi;colon", "semi;colon"),
    ])
    func field_IsQuoted_OnlyWhenRFC4180RequiresIt(value: String, encoded: String) {
        #expect(CSV.field(value) == encoded)
    }

    // RFC 4180 §2.1–2.3: records end with CRLF; the header is the first record, with as many fields as the records.
    @Test func document_IsTheHeaderThenTheRecords_EachEndingWithCRLF() {
        let text = CSV.document(header: ["a", "b"], rows: [["1", "x,y"], ["", "z"]])
        #expect(text == "a,b\r\n1,\"x,y\"\r\n,z\r\n")
        #expect(CSVText.parse(text) == [["a", "b"], ["1", "x,y"], ["", "z"]])
        #expect(CSV.document(header: ["only"], rows: []) == "only\r\n")
    }

    // Every cell the encoder writes reads back unchanged.
    @Test func encodedFields_ReadBack() {
        let fields = ["", "a", "a,b", "\"", "x\r\ny", "\"quoted\", and, commas", " "]
        let text = CSV.document(header: fields.indices.map { "c\($0)" }, rows: [fields])
        #expect(CSVText.parse(text)?.last == fields)
    }

    // docs L3401–3402: calendar months, the day clamped to the month reached.
    @Test(arguments: [
        ("2024-01-15T10:00:00.000Z", -15, "2022-10-15T10:00:00.000Z"),
        ("2024-01-31T00:00:00.000Z", 1, "2024-02-29T00:00:00.000Z"),
        ("2023-01-31T23:59:59.999Z", 1, "2023-02-28T23:59:59.999Z"),
        ("2024-03-31T12:00:00.000Z", -1, "2024-02-29T12:00:00.000Z"),
        ("2024-12-15T00:00:00.000Z", 1, "2025-01-15T00:00:00.000Z"),
        ("2025-05-31T08:00:00.000Z", -15, "2024-02-29T08:00:00.000Z"),
        ("1969-12-31T23:00:00.000Z", 1, "1970-01-31T23:00:00.000Z"),
    ])
    func addingMonths_KeepsTheTimeOfDay_AndClampsTheDay(from: String, months: Int, to: String) {
        #expect(ReportCalendar.adding(months: months, to: Timestamp.parse(from) ?? 0) == Timestamp.parse(to))
    }

    // One sub-report per UTC day: the next midnight strictly after an instant.
    @Test func nextMidnight_IsStrictlyAfter() {
        let midnight = Timestamp.parse("2024-01-15T00:00:00.000Z") ?? 0
        #expect(ReportCalendar.nextMidnight(after: midnight) == midnight + 86_400_000)
        #expect(ReportCalendar.nextMidnight(after: midnight - 1) == midnight)
        #expect(ReportCalendar.nextMidnight(after: -1) == 0)
    }

    // docs L3842: interval "2020-01-23 00:30:00.0 2020-01-23 18:59:59.0".
    @Test func intervalTimestamp_IsTheExamplesForm() {
        #expect(
            ReportCalendar.intervalTimestamp(Timestamp.parse("2020-01-23T00:30:00.000Z") ?? 0)
                == "2020-01-23 00:30:00.0")
        #expect(
            ReportCalendar.intervalTimestamp(Timestamp.parse("2020-01-23T18:59:59.500Z") ?? 0)
                == "2020-01-23 18:59:59.5")
        #expect(
            ReportCalendar.intervalTimestamp(Timestamp.parse("2020-01-23T18:59:59.007Z") ?? 0)
                == "2020-01-23 18:59:59.007")
    }

    // Durations: seconds exact to the millisecond, hh:mm:ss (hours past 24), ratios to three decimals.
    @Test func durations_AreWrittenExactly() {
        #expect(ReportCalendar.seconds(300_000) == "300")
        #expect(ReportCalendar.seconds(123_250) == "123.25")
        #expect(ReportCalendar.seconds(1) == "0.001")
        #expect(ReportCalendar.seconds(-1_500) == "-1.5")
        #expect(ReportCalendar.hms(599_999) == "00:09:59")
        #expect(ReportCalendar.hms(97_390_000) == "27:03:10")
        #expect(ReportCalendar.ratio(9, 2) == "4.5")
        #expect(ReportCalendar.ratio(2, 3) == "0.667")
        #expect(ReportCalendar.ratio(1, 8) == "0.125")
        #expect(ReportCalendar.ratio(1, 16) == "0.063")
        #expect(ReportCalendar.ratio(5, 0) == "")
        #expect(ReportCalendar.minutes(43_201_000) == "720.017")
    }
}
