/// The `interval` of a historical metric (docs L3895–3901: "If there is an interval specified, the time period is
/// broken down into subsets based on the interval value and the metric is retrieved for each subset. … Valid values:
/// 1m, 5m, 15m, 1h, 1d, 1w, 1mo").
///
/// Emulator decision: subsets are aligned on the UTC calendar — minutes, hours and days at their start, weeks on
/// Monday 00:00 (ISO 8601), months on the 1st at 00:00, as the example's hourly subset runs 14:00–15:00 (L4100) —
/// and the first and last are cut at `start` and `end`, so that every subset lies inside the time period.
enum MetricInterval: String, CaseIterable, Sendable {
    case minute = "1m"
    case fiveMinutes = "5m"
    case fifteenMinutes = "15m"
    case hour = "1h"
    case day = "1d"
    case week = "1w"
    case month = "1mo"

    private static let minuteMillis: Int64 = 60_000
    private static let dayMillis: Int64 = 86_400_000

    /// The length of a fixed-length interval in milliseconds; nil for a month.
    private var fixedMillis: Int64? {
        switch self {
        case .minute: return Self.minuteMillis
        case .fiveMinutes: return 5 * Self.minuteMillis
        case .fifteenMinutes: return 15 * Self.minuteMillis
        case .hour: return 60 * Self.minuteMillis
        case .day: return Self.dayMillis
        case .week: return 7 * Self.dayMillis
        case .month: return nil
        }
    }

    /// The first boundary strictly after `millis`.
    func boundary(after millis: Int64) -> Int64 {
        switch self {
        case .week:
            // 1970-01-01 was a Thursday: Monday-based weekday of epoch day d is (d + 3) mod 7.
            let day = Self.floorDiv(millis, Self.dayMillis)
            let monday = day - Self.floorMod(day + 3, 7)
            return (monday + 7) * Self.dayMillis
        case .month:
            let (year, month, _) = Self.civil(fromDays: Self.floorDiv(millis, Self.dayMillis))
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return Self.days(year: next.0, month: next.1, day: 1) * Self.dayMillis
        default:
            let length = fixedMillis ?? Self.dayMillis
            return (Self.floorDiv(millis, length) + 1) * length
        }
    }

    /// The subsets of `[start, end)`: aligned boundaries in between, cut at both ends.
    /// - Parameter limit: the most subsets allowed.
    /// - Returns: the subsets, or nil when there would be more than `limit`.
    func subsets(from start: Int64, to end: Int64, limit: Int) -> [(start: Int64, end: Int64)]? {
        var subsets: [(start: Int64, end: Int64)] = []
        var from = start
        while from < end {
            guard subsets.count < limit else { return nil }
            let to = min(boundary(after: from), end)
            subsets.append((from, to))
            from = to
        }
        return subsets
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, UTC)

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civil(fromDays count: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = count + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
