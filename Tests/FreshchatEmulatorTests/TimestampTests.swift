import Testing

@testable import FreshchatEmulator

/// Timestamps are UTC ISO 8601 with milliseconds, as the docs' examples write them (`2022-10-13T09:03:34.709Z`,
/// L410); filters accept 0, 3 or 6 fractional digits.
@Suite struct TimestampTests {
    @Test func format_WritesMilliseconds() {
        #expect(Timestamp.format(1_665_651_814_709) == "2022-10-13T09:03:34.709Z")
        #expect(Timestamp.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(951_782_400_001) == "2000-02-29T00:00:00.001Z")
        #expect(Timestamp.format(-1) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.format(253_402_300_799_999) == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.format(253_402_300_800_000) == "10000-01-01T00:00:00.000Z", "past four digits: unpadded")
    }

    @Test(arguments: [
        ("2022-10-13T09:03:34.709Z", Int64(1_665_651_814_709)), ("2022-10-13T09:03:34Z", 1_665_651_814_000),
        ("2022-10-13T09:03:34.709123Z", 1_665_651_814_709), ("2022-10-13T09:03:34.7Z", 1_665_651_814_700),
        ("2022-10-13T11:03:34.709+02:00", 1_665_651_814_709), ("2022-10-13t09:03:34.709z", 1_665_651_814_709),
    ])
    func parse_AcceptsUTCForms(text: String, millis: Int64) {
        #expect(Timestamp.parse(text) == millis)
    }

    @Test(arguments: [
        "", "2022-10-13", "2022-13-01T00:00:00Z", "2022-02-30T00:00:00Z", "2022-10-13T25:00:00Z",
        "2022-10-13T09:03:34", "2022-10-13T09:03:34.Z", "2022-10-13 09:03:34Z", "yesterday",
        "2022-10-13T09:03:34.709Zjunk",
    ])
    func parse_RejectsMalformed(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func roundTrip_IsExact() {
        for millis: Int64 in [0, 1, 999, 1_000, 1_705_312_800_123, 4_102_444_799_999] {
            #expect(Timestamp.parse(Timestamp.format(millis)) == millis)
        }
    }
}

@Suite struct IDGeneratorTests {
    @Test func random_IsLowercaseUUIDv4() {
        let id = IDGenerator.random.next()
        #expect(id.count == 36)
        #expect(id == id.lowercased())
        let parts = id.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(Array(id)[14] == "4")
        #expect("89ab".contains(Array(id)[19]))
        #expect(IDGenerator.random.next() != id)
    }

    // Every bit lands in its hex digit, the version nibble is 4 and the variant bits 10 (RFC 9562 §4.1, §5.4).
    @Test(arguments: [
        (UInt64(0x0123_4567_89AB_CDEF), UInt64(0xFEDC_BA98_7654_3210), "01234567-89ab-4def-bedc-ba9876543210"),
        (UInt64.max, UInt64.max, "ffffffff-ffff-4fff-bfff-ffffffffffff"),
        (0, 0, "00000000-0000-4000-8000-000000000000"),
    ])
    func uuidString_FormatsTheBits(hi: UInt64, lo: UInt64, expected: String) {
        #expect(IDGenerator.uuidString(hi: hi, lo: lo) == expected)
    }

    @Test func incrementing_IsDeterministic() {
        let ids = IDGenerator.incrementing()
        #expect(ids.next() == "00000000-0000-4000-8000-000000000001")
        #expect(ids.next() == "00000000-0000-4000-8000-000000000002")
        #expect(IDGenerator.incrementing().next() == "00000000-0000-4000-8000-000000000001")
    }
}
