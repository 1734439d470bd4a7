import Testing

@testable import FreshchatEmulator

/// The subsets an `interval` cuts a period into (docs L3895–3901), aligned on the UTC calendar.
@Suite struct MetricIntervalTests {
    private func millis(_ text: String) throws -> Int64 { try #require(Timestamp.parse(text)) }

    private func subsets(_ interval: MetricInterval, _ start: String, _ end: String, limit: Int = 100) throws
        -> [String]?
    {
        try interval.subsets(from: millis(start), to: millis(end), limit: limit)?.map {
            Timestamp.format($0.start) + "/" + Timestamp.format($0.end)
        }
    }

    // docs L3901: "1m, 5m, 15m, 1h, 1d" — fixed lengths, aligned on the epoch (so on the clock face).
    @Test(arguments: [
        (MetricInterval.minute, "2024-01-15T10:00:30.000Z", "2024-01-15T10:01:00.000Z"),
        (.fiveMinutes, "2024-01-15T10:07:00.000Z", "2024-01-15T10:10:00.000Z"),
        (.fifteenMinutes, "2024-01-15T10:59:59.999Z", "2024-01-15T11:00:00.000Z"),
        (.hour, "2024-01-15T10:00:00.000Z", "2024-01-15T11:00:00.000Z"),
        (.day, "2024-02-28T23:00:00.000Z", "2024-02-29T00:00:00.000Z"),
    ])
    func boundary_FixedLengths(interval: MetricInterval, from: String, next: String) throws {
        #expect(Timestamp.format(interval.boundary(after: try millis(from))) == next)
    }

    // 1w: ISO weeks, Monday 00:00 UTC. 2024-01-15 is a Monday; 2024-01-14 a Sunday; 1969-12-31 a Wednesday.
    @Test(arguments: [
        ("2024-01-15T00:00:00.000Z", "2024-01-22T00:00:00.000Z"),
        ("2024-01-14T23:59:59.999Z", "2024-01-15T00:00:00.000Z"),
        ("2024-01-17T12:00:00.000Z", "2024-01-22T00:00:00.000Z"),
        ("1969-12-31T00:00:00.000Z", "1970-01-05T00:00:00.000Z"),
    ])
    func boundary_Week_IsNextMonday(from: String, next: String) throws {
        #expect(Timestamp.format(MetricInterval.week.boundary(after: try millis(from))) == next)
    }

    // 1mo: the 1st of the next month, across a year and a leap February.
    @Test(arguments: [
        ("2023-12-31T23:59:59.999Z", "2024-01-01T00:00:00.000Z"),
        ("2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z"),
        ("2024-02-29T12:00:00.000Z", "2024-03-01T00:00:00.000Z"),
        ("2023-02-15T00:00:00.000Z", "2023-03-01T00:00:00.000Z"),
    ])
    func boundary_Month_IsTheNextFirst(from: String, next: String) throws {
        #expect(Timestamp.format(MetricInterval.month.boundary(after: try millis(from))) == next)
    }

    // docs L3899: "for a time period of one month, if the interval is 1w (1 week), the retrieved metrics contains four
    // values - one for each week" — for February 2021, which starts on a Monday, exactly four.
    @Test func subsets_FebruaryWeeks() throws {
        #expect(
            try subsets(.week, "2021-02-01T00:00:00.000Z", "2021-03-01T00:00:00.000Z") == [
                "2021-02-01T00:00:00.000Z/2021-02-08T00:00:00.000Z",
                "2021-02-08T00:00:00.000Z/2021-02-15T00:00:00.000Z",
                "2021-02-15T00:00:00.000Z/2021-02-22T00:00:00.000Z",
                "2021-02-22T00:00:00.000Z/2021-03-01T00:00:00.000Z",
            ])
    }

    // The first and last subsets are cut at start and end.
    @Test func subsets_CutAtBothEnds() throws {
        #expect(
            try subsets(.hour, "2024-01-15T10:30:00.000Z", "2024-01-15T12:15:00.000Z") == [
                "2024-01-15T10:30:00.000Z/2024-01-15T11:00:00.000Z",
                "2024-01-15T11:00:00.000Z/2024-01-15T12:00:00.000Z",
                "2024-01-15T12:00:00.000Z/2024-01-15T12:15:00.000Z",
            ])
    }

    // The limit: exactly `limit` subsets are given, one more is refused (nil).
    @Test func subsets_Limit_AtItsEdge() throws {
        #expect(try subsets(.minute, "2024-01-15T10:00:00.000Z", "2024-01-15T10:03:00.000Z", limit: 3)?.count == 3)
        #expect(try subsets(.minute, "2024-01-15T10:00:00.000Z", "2024-01-15T10:03:00.001Z", limit: 3) == nil)
    }

    // The calendar arithmetic round-trips across eras and leap years.
    @Test(arguments: [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (1900, 3, 1), (1969, 12, 31), (2100, 2, 28)])
    func civil_RoundTrips(year: Int64, month: Int64, day: Int64) {
        let days = MetricInterval.days(year: year, month: month, day: day)
        #expect(MetricInterval.civil(fromDays: days) == (year, month, day))
    }
}
