import Testing

@testable import FreshchatEmulator

/// The aggregators (docs L3908–3913) and how values are written (docs L4100: `"value": "4.0"`).
@Suite struct MetricAggregatorTests {
    static let tenValues: [Double] = [7, 1, 10, 3, 5, 2, 9, 4, 8, 6]

    // docs L3909–3911: min, max and "the sum of all values in the data set and dividing the result by the total number
    // of values".
    @Test func minMaxAvg() {
        #expect(MetricAggregator.min.aggregate(Self.tenValues) == 1)
        #expect(MetricAggregator.max.aggregate(Self.tenValues) == 10)
        #expect(MetricAggregator.avg.aggregate(Self.tenValues) == 5.5)
    }

    // docs L3912: "sorting the values in the data set … and finding the middle value"; with an even count, the mean
    // of the two middle values.
    @Test func median_OddAndEvenCounts() {
        #expect(MetricAggregator.median.aggregate([5, 1, 3]) == 3)
        #expect(MetricAggregator.median.aggregate(Self.tenValues) == 5.5)
        #expect(MetricAggregator.median.aggregate([4]) == 4)
    }

    // docs L3913: "the lowest value that is greater than 90% of the values", as the nearest rank ⌈0.9·n⌉: the 9th of
    // ten values, the 10th of eleven, the only one of one.
    @Test func p90_NearestRank() {
        #expect(MetricAggregator.p90.aggregate(Self.tenValues) == 9)
        #expect(MetricAggregator.p90.aggregate(Self.tenValues + [11]) == 10)
        #expect(MetricAggregator.p90.aggregate([42]) == 42)
        #expect(MetricAggregator.p90.aggregate([1, 2]) == 2)
    }

    @Test(arguments: MetricAggregator.allCases)
    func aggregate_NoValues_IsNil(aggregator: MetricAggregator) {
        #expect(aggregator.aggregate([]) == nil)
    }

    // docs L4100: values are strings; aggregates with at least one decimal, rounded to two.
    @Test(arguments: [
        (4.0, "4.0"), (4.5, "4.5"), (11.0 / 3, "3.67"), (0.0, "0.0"), (1500.0, "1500.0"), (0.005, "0.01"),
        (2.999, "3.0"), (0.05, "0.05"), (1.1, "1.1"),
    ])
    func decimal_Format(value: Double, text: String) {
        #expect(MetricValue.decimal(value) == .string(text))
    }

    @Test func count_Format() {
        #expect(MetricValue.count(0) == "0")
        #expect(MetricValue.count(12) == "12")
    }
}
