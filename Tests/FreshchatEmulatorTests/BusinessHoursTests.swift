import HTTP
import SQLite
import Testing

@testable import FreshchatEmulator

/// Verify whether a group is within business hours (docs L4252–4292), `GET /v2/business-hours/within-bh`, against the
/// seeded schedules (seed/business_hours.json) and the emulator's frozen clock.
@Suite struct BusinessHoursTests {
    /// Sales: Monday–Friday 09:00–18:00, Asia/Kolkata (UTC+05:30, no DST).
    static let sales = "d56d224e-1a7c-4520-8134-074143f8d958"
    /// Support: 24×7, UTC.
    static let support = "1cb699d5-12c1-4cac-acbd-d95c8f75e497"
    /// Billing: Europe/London; Monday 08:00–12:30 and 13:30–17:00, Tuesday–Friday 08:00–17:00, Saturday 10:00–14:00.
    static let billing = "e769cd13-0cd3-4d64-81ac-32657642a24d"
    /// Automation: no business hours configured.
    static let automation = "b23cd57a-0c28-47a5-8fbf-3807cdcf80c0"

    /// `GET /v2/business-hours/within-bh?group_id=…` at `time` (UTC); the `with_in_business_hours` value, nil unless
    /// 200.
    static func within(_ group: String?, at time: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> Bool?
    {
        let emulator = try TestEmulator()
        let millis = try #require(Timestamp.parse(time), sourceLocation: sourceLocation)
        emulator.clock.set(millis)
        let target = "/v2/business-hours/within-bh" + (group.map { "?group_id=\($0)" } ?? "")
        let response = emulator.send(.get, target)
        #expect(response.code == 200, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json.objectValue?.keys == ["with_in_business_hours"], sourceLocation: sourceLocation)
        return response.json["with_in_business_hours"]?.boolValue
    }

    // docs L4285: { "with_in_business_hours": false } — the answer's shape, in-process and over a socket; the frozen
    // clock starts on Monday 2024-01-15 10:00 UTC, 15:30 in Kolkata.
    @Test(arguments: TestMode.allCases)
    func withinBH_AnswersTheDocumentedShape(mode: TestMode) throws {
        let emulator = try TestEmulator().client(mode)
        let response = emulator.send(.get, "/v2/business-hours/within-bh?group_id=\(Self.sales)")
        #expect(response.code == 200, "\(response.text)")
        #expect(response.text == #"{"with_in_business_hours":true}"#)
    }

    // docs L4289: "whether the group is within the business hours at the instant when the group’s business hours is
    // verified" — Sales opens at 09:00 in Asia/Kolkata (03:30 UTC) and closes at 18:00 (12:30 UTC).
    @Test(arguments: [
        ("2024-01-15T03:29:00.000Z", false), ("2024-01-15T03:29:59.999Z", false), ("2024-01-15T03:30:00.000Z", true),
        ("2024-01-15T03:31:00.000Z", true), ("2024-01-15T12:29:00.000Z", true), ("2024-01-15T12:30:00.000Z", false),
    ])
    func withinBH_FollowsTheOpeningAndClosingMinute(time: String, expected: Bool) throws {
        #expect(try Self.within(Self.sales, at: time) == expected)
    }

    // docs L4254: "Business hours convey the working hours of a group." — the days are the group's local days: Friday
    // 18:30 UTC is already Saturday 00:00 in Kolkata (closed), Sunday 22:00 UTC is Monday 03:30 there (closed), and
    // Monday 03:30 UTC is 09:00 (open).
    @Test(arguments: [
        ("2024-01-19T12:29:00.000Z", true), ("2024-01-19T18:30:00.000Z", false), ("2024-01-20T06:00:00.000Z", false),
        ("2024-01-21T22:00:00.000Z", false), ("2024-01-22T03:30:00.000Z", true),
    ])
    func withinBH_ReadsTheWeekdayInTheGroupsTimeZone(time: String, expected: Bool) throws {
        #expect(try Self.within(Self.sales, at: time) == expected)
    }

    // Billing's Monday has a lunch gap, 12:30–13:30 London time (GMT in January).
    @Test(arguments: [
        ("2024-01-15T12:29:00.000Z", true), ("2024-01-15T12:30:00.000Z", false), ("2024-01-15T13:29:00.000Z", false),
        ("2024-01-15T13:30:00.000Z", true), ("2024-01-15T16:59:00.000Z", true), ("2024-01-15T17:00:00.000Z", false),
    ])
    func withinBH_IsFalse_DuringAGapBetweenTwoSlotsOfADay(time: String, expected: Bool) throws {
        #expect(try Self.within(Self.billing, at: time) == expected)
    }

    // Europe/London moves from GMT to BST on the last Sunday of March (2024-03-31 01:00 UTC): Billing opens at 08:00
    // local, which is 08:00 UTC on Monday 2024-03-25 and 07:00 UTC on Monday 2024-04-01.
    @Test(arguments: [
        ("2024-03-25T07:59:00.000Z", false), ("2024-03-25T08:00:00.000Z", true), ("2024-03-30T09:59:00.000Z", false),
        ("2024-03-30T10:00:00.000Z", true), ("2024-03-31T12:00:00.000Z", false), ("2024-04-01T06:59:00.000Z", false),
        ("2024-04-01T07:00:00.000Z", true), ("2024-04-01T15:59:00.000Z", true), ("2024-04-01T16:00:00.000Z", false),
    ])
    func withinBH_FollowsEuropeLondon_AcrossTheMarchDSTChange(time: String, expected: Bool) throws {
        #expect(try Self.within(Self.billing, at: time) == expected)
    }

    // …and back to GMT on the last Sunday of October (2024-10-27 01:00 UTC).
    @Test(arguments: [
        ("2024-10-25T06:59:00.000Z", false), ("2024-10-25T07:00:00.000Z", true), ("2024-10-28T07:59:00.000Z", false),
        ("2024-10-28T08:00:00.000Z", true),
    ])
    func withinBH_FollowsEuropeLondon_AcrossTheOctoberDSTChange(time: String, expected: Bool) throws {
        #expect(try Self.within(Self.billing, at: time) == expected)
    }

    // America/New_York moves from EST to EDT on 2024-03-10 (07:00 UTC); a group opening at 09:00 there opens at 14:00
    // UTC before and 13:00 UTC after, and closes at 17:00 EDT, 21:00 UTC. The public API cannot configure business hours, so the schedule goes straight
    // into the store.
    @Test(arguments: [
        ("2024-03-08T13:59:00.000Z", false), ("2024-03-08T14:00:00.000Z", true), ("2024-03-11T12:59:00.000Z", false),
        ("2024-03-11T13:00:00.000Z", true), ("2024-03-11T20:59:00.000Z", true), ("2024-03-11T21:00:00.000Z", false),
    ])
    func withinBH_FollowsAmericaNewYork_AcrossTheMarchDSTChange(time: String, expected: Bool) throws {
        let emulator = try TestEmulator()
        try emulator.configureBusinessHours(Self.automation, timezone: "America/New_York", days: ["MONDAY", "FRIDAY"])
        emulator.clock.set(try #require(Timestamp.parse(time)))
        let response = emulator.send(.get, "/v2/business-hours/within-bh?group_id=\(Self.automation)")
        #expect(response.json["with_in_business_hours"] == .bool(expected), "\(response.text)")
    }

    // Support is configured 00:00–24:00 every day: open at every minute, including the last of the week.
    @Test(arguments: ["2024-01-14T23:59:59.999Z", "2024-01-15T00:00:00.000Z", "2024-03-31T01:30:00.000Z"])
    func withinBH_IsTrue_AllWeek_ForA24x7Group(time: String) throws {
        #expect(try Self.within(Self.support, at: time) == true)
    }

    // docs L4292: "If business hours are not configured for the group or if the group.id isn’t added to the request,
    // the API call returns the default value." L4291: "Default value: true". At Sunday 03:00 UTC every configured
    // group is closed but for Support.
    @Test(arguments: [nil, "", automation])
    func withinBH_AnswersTheDefaultTrue_WithoutAGroupOrBusinessHours(group: String?) throws {
        #expect(try Self.within(group, at: "2024-01-14T03:00:00.000Z") == true)
        #expect(try Self.within(Self.sales, at: "2024-01-14T03:00:00.000Z") == false)
    }

    // docs L4268: group_id "Identifier of the group". An id that is no group is not found (the docs' "<RESOURCE>_NOT_FOUND"
    // form, L46); the docs' own example id (L4275) is not a seeded group.
    @Test(arguments: ["e71aa24a-3ec8-4ddb-93db-bc32d8afded1", "1ad50c45-050b-4702-9300-478ddcf23c65"])
    func withinBH_IsNotFound_WhenTheIdIsNoGroup(id: String) throws {
        let emulator = try TestEmulator()
        let response = emulator.send(.get, "/v2/business-hours/within-bh?group_id=\(id)")
        expectError(response, 404, "GROUP_NOT_FOUND", mentioning: "group not found")
    }

    // A schedule whose time zone is not in the tz database cannot be evaluated: a 500 naming the zone, never a guess.
    @Test func withinBH_Fails_WhenTheTimeZoneIsUnknown() throws {
        let emulator = try TestEmulator()
        try emulator.configureBusinessHours(Self.automation, timezone: "Mars/Olympus_Mons", days: ["MONDAY"])
        let response = emulator.send(.get, "/v2/business-hours/within-bh?group_id=\(Self.automation)")
        expectError(response, 500, "INTERNAL_SERVER_ERROR", mentioning: "Mars/Olympus_Mons")
    }

    // A configured schedule without a slot is always closed (a day without a slot is closed).
    @Test func withinBH_IsFalse_WhenTheScheduleHasNoSlots() throws {
        let emulator = try TestEmulator()
        try emulator.configureBusinessHours(Self.automation, timezone: "UTC", days: [])
        let response = emulator.send(.get, "/v2/business-hours/within-bh?group_id=\(Self.automation)")
        #expect(response.json["with_in_business_hours"] == false)
    }
}

extension TestEmulator {
    /// Stores business hours 09:00–17:00 on `days` for `group` in `timezone`.
    func configureBusinessHours(_ group: String, timezone: String, days: [String]) throws {
        let doc: JSONValue = [
            "group_id": .string(group), "timezone": .string(timezone),
            "working_hours": .array(days.map { ["day": .string($0), "start_time": "09:00", "end_time": "17:00"] }),
        ]
        try emulator.store.write { db in
            try db.execute(
                "INSERT OR REPLACE INTO business_hours (group_id, doc) VALUES (?, ?)",
                [.text(group), .text(doc.serialized())])
        }
    }
}

/// The tz database reader behind business hours (RFC 8536 TZif files in /usr/share/zoneinfo).
@Suite struct BusinessHoursTimeZoneTests {
    static func offset(_ zone: String, at time: String) throws -> Int32 {
        let seconds = try #require(Timestamp.parse(time)) / 1000
        return try ZoneInfo.load(zone).offset(at: seconds)
    }

    // Europe/London: GMT until 2024-03-31 01:00 UTC, BST until 2024-10-27 01:00 UTC.
    @Test(arguments: [
        ("2024-03-31T00:59:59.000Z", 0), ("2024-03-31T01:00:00.000Z", 3600), ("2024-10-27T00:59:59.000Z", 3600),
        ("2024-10-27T01:00:00.000Z", 0), ("1970-01-01T00:00:00.000Z", 3600), ("2040-07-01T12:00:00.000Z", 3600),
        ("2040-12-01T12:00:00.000Z", 0),
    ])
    func zone_EuropeLondon_HasItsDSTOffsets(time: String, offset: Int32) throws {
        // 1970 is inside the British Standard Time experiment (GMT+1 all year, 1968–1971); 2040 lies beyond the file's
        // transitions and follows its footer rule.
        #expect(try Self.offset("Europe/London", at: time) == offset)
    }

    // America/New_York: EST (−5) until 2024-03-10 07:00 UTC, EDT (−4) until 2024-11-03 06:00 UTC.
    @Test(arguments: [
        ("2024-03-10T06:59:59.000Z", -18000), ("2024-03-10T07:00:00.000Z", -14400),
        ("2024-11-03T05:59:59.000Z", -14400), ("2024-11-03T06:00:00.000Z", -18000),
        ("2050-07-01T00:00:00.000Z", -14400),
    ])
    func zone_AmericaNewYork_HasItsDSTOffsets(time: String, offset: Int32) throws {
        #expect(try Self.offset("America/New_York", at: time) == offset)
    }

    // Asia/Kolkata keeps +05:30; UTC needs no file.
    @Test func zone_FixedOffsets() throws {
        #expect(try Self.offset("Asia/Kolkata", at: "2024-03-31T01:00:00.000Z") == 19800)
        #expect(try ZoneInfo.load("UTC", directory: "/nonexistent").offset(at: 0) == 0)
    }

    // RFC 8536 §3.3: the footer's POSIX TZ string, northern and southern hemisphere.
    @Test func rule_FollowsPosixTZStrings() throws {
        let london = try #require(ZoneInfo.Rule(posix: "GMT0BST,M3.5.0/1,M10.5.0"))
        #expect(london.offset(at: 1_711_846_799) == 0)  // 2024-03-31T00:59:59Z
        #expect(london.offset(at: 1_711_846_800) == 3600)
        let sydney = try #require(ZoneInfo.Rule(posix: "AEST-10AEDT,M10.1.0,M4.1.0/3"))
        #expect(sydney.offset(at: 1_704_067_200) == 39600)  // 2024-01-01: summer, AEDT
        #expect(sydney.offset(at: 1_719_792_000) == 36000)  // 2024-07-01: winter, AEST
        let kolkata = try #require(ZoneInfo.Rule(posix: "IST-5:30"))
        #expect(kolkata.offset(at: 0) == 19800)
        #expect(ZoneInfo.Rule(posix: "<+0330>-3:30") != nil)
        #expect(ZoneInfo.Rule(posix: "XX0") == nil)
        #expect(ZoneInfo.Rule(posix: "EST5EDT") == nil)
    }

    // Zone names never leave the tz database.
    @Test(arguments: ["../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "", "Europe//London"])
    func zone_IsRefused_WhenTheNameIsNotAZoneName(name: String) throws {
        #expect(throws: ZoneInfoError.self) { try ZoneInfo.load(name) }
    }
}
