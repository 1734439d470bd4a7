/// The calendar arithmetic and the text forms of time the raw reports need, in UTC and without Foundation: months
/// added to an instant (the 15-month and one-month rules, docs L3401–3402), UTC days (one sub-report per day), and
/// the formats of the `interval` attribute, the CSV cells and the durations.
enum ReportCalendar {
    static let millisPerDay: Int64 = 86_400_000

    // MARK: - Civil dates

    /// The UTC date and time of `millis`, split into its parts.
    struct Civil: Equatable {
        var year: Int64
        var month: Int
        var day: Int
        /// Milliseconds since the start of the day.
        var millisOfDay: Int64
    }

    /// Splits epoch milliseconds into a UTC date and the time of day.
    static func civil(_ millis: Int64) -> Civil {
        let days = floorDiv(millis, millisPerDay)
        let (year, month, day) = civilFromDays(days)
        return Civil(year: year, month: month, day: day, millisOfDay: millis - days * millisPerDay)
    }

    /// Epoch milliseconds of a UTC date and time of day.
    static func millis(_ civil: Civil) -> Int64 {
        daysFromCivil(civil.year, civil.month, civil.day) * millisPerDay + civil.millisOfDay
    }

    /// `millis` moved by `months` calendar months, the time of day kept and the day of the month clamped to the
    /// length of the month reached (31 January + 1 month = 29 February 2024), as calendars count "a month from".
    static func adding(months: Int, to millis: Int64) -> Int64 {
        var civil = civil(millis)
        let index = civil.year * 12 + Int64(civil.month - 1) + Int64(months)
        civil.year = floorDiv(index, 12)
        civil.month = Int(index - civil.year * 12) + 1
        civil.day = min(civil.day, daysIn(month: civil.month, year: civil.year))
        return Self.millis(civil)
    }

    /// The first UTC midnight strictly after `millis`.
    static func nextMidnight(after millis: Int64) -> Int64 {
        (floorDiv(millis, millisPerDay) + 1) * millisPerDay
    }

    // MARK: - Text forms

    /// `yyyy-MM-dd`, the UTC day of `millis`.
    static func day(_ millis: Int64) -> String {
        let c = civil(millis)
        return pad(c.year, 4) + "-" + pad(Int64(c.month), 2) + "-" + pad(Int64(c.day), 2)
    }

    /// `yyyy-MM-dd HH:mm:ss.f` with the fraction's trailing zeros dropped but one digit kept, the form of the docs'
    /// `interval` example (L3842: `2020-01-23 00:30:00.0`): `…:00.0`, `…:00.5`, `…:00.123`.
    static func intervalTimestamp(_ millis: Int64) -> String {
        let c = civil(millis)
        let seconds = c.millisOfDay / 1000
        var fraction = pad(c.millisOfDay % 1000, 3)
        while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
        return day(millis) + " " + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":"
            + pad(seconds % 60, 2) + "." + fraction
    }

    /// A duration in seconds, exact to the millisecond: `300`, `2.5`, `0.001`; negative durations keep their sign.
    static func seconds(_ millis: Int64) -> String {
        decimal(millis, unit: 1000)
    }

    /// A duration in minutes with at most three decimals, rounded half up: `720`, `0.5`, `0.017` (one second).
    static func minutes(_ millis: Int64) -> String {
        ratio(millis, 60_000)
    }

    /// A duration as `hh:mm:ss`, whole seconds (rounded down); hours go past 24 (`27:03:10`).
    static func hms(_ millis: Int64) -> String {
        let sign = millis < 0 ? "-" : ""
        let total = abs(millis) / 1000
        return sign + pad(total / 3600, 2) + ":" + pad(total / 60 % 60, 2) + ":" + pad(total % 60, 2)
    }

    /// `numerator / denominator` with at most `decimals` decimals, rounded half away from zero, trailing zeros
    /// dropped: `ratio(9, 2) = "4.5"`, `ratio(2, 3) = "0.667"` (3 decimals).
    static func ratio(_ numerator: Int64, _ denominator: Int64, decimals: Int = 3) -> String {
        guard denominator != 0 else { return "" }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let negative = (numerator < 0) != (denominator < 0)
        let n = abs(numerator) * scale
        let d = abs(denominator)
        let scaled = (n + d / 2) / d
        return (negative && scaled != 0 ? "-" : "") + decimal(scaled, unit: scale)
    }

    /// `value / unit` written exactly (unit a power of ten), trailing zeros of the fraction dropped.
    private static func decimal(_ value: Int64, unit: Int64) -> String {
        let sign = value < 0 ? "-" : ""
        let magnitude = abs(value)
        var text = sign + String(magnitude / unit)
        var fraction = magnitude % unit
        guard fraction != 0 else { return text }
        var digits = String(unit).count - 1
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        text += "." + pad(fraction, digits)
        return text
    }

    // MARK: - Helpers

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func daysIn(month: Int, year: Int64) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(_ year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilFromDays(_ days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
