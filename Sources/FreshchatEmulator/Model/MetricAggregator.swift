/// The `aggregator` of an aggregate metric (docs L3902–3914): "the method used to summarize … atomic metrics".
enum MetricAggregator: String, CaseIterable, Sendable {
    /// docs L3909: "The minimum of all values in the specified time period."
    case min
    /// docs L3910: "The maximum of all values in the specified time period."
    case max
    /// docs L3911: "finding the sum of all values in the data set and dividing the result by the total number of
    /// values in the data set."
    case avg
    /// docs L3912: "sorting the values in the data set … and finding the middle value." With an even number of values
    /// there are two middle values; their mean (the usual median).
    case median
    /// docs L3913: "sorting the values in the data set, in ascending order and finding the lowest value that is greater
    /// than 90% of the values." Read as the nearest-rank 90th percentile: the value at rank ⌈0.9·n⌉ of the ascending
    /// values, the lowest value that at least 90% of the values do not exceed (with fewer than ten values, "greater
    /// than 90%" taken literally would name no value at all).
    case p90

    /// The aggregate of `values`, or nil when there are none.
    func aggregate(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let count = sorted.count
        switch self {
        case .min: return sorted[0]
        case .max: return sorted[count - 1]
        case .avg: return sorted.reduce(0, +) / Double(count)
        case .median:
            return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
        case .p90:
            // ⌈9n/10⌉ in integers.
            return sorted[(9 * count + 9) / 10 - 1]
        }
    }
}
