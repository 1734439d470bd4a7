/// How metric values are written: the docs' example gives them as strings (L4100: `"value": "4.0"`).
enum MetricValue {
    /// A count, as a decimal integer string (`"3"`).
    static func count(_ count: Int) -> JSONValue { .string(String(count)) }

    /// An aggregate, rounded to two decimals and written with at least one (`"4.0"`, `"4.5"`, `"3.33"`), as the
    /// example's `"4.0"` (L4100).
    static func decimal(_ value: Double) -> JSONValue {
        let hundredths = Int64((abs(value) * 100).rounded())
        let sign = value < 0 && hundredths != 0 ? "-" : ""
        let whole = hundredths / 100
        let fraction = hundredths % 100
        let digits: String
        if fraction == 0 {
            digits = "0"
        } else if fraction % 10 == 0 {
            digits = String(fraction / 10)
        } else {
            digits = (fraction < 10 ? "0" : "") + String(fraction)
        }
        return .string(sign + String(whole) + "." + digits)
    }
}
