/// The working hours of a group (docs L4254: "Business hours convey the working hours of a group."). The docs
/// document no business-hours object, only the check `GET /v2/business-hours/within-bh` (L4258); this is the
/// emulator's own shape, as `seed/business_hours.json` stores it:
/// `{"group_id", "timezone" (IANA), "working_hours": [{"day": "MONDAY"…"SUNDAY", "start_time": "HH:MM",
/// "end_time": "HH:MM" or "24:00"}]}`. A day may have several slots; a day without one is closed.
public struct BusinessHoursSchedule: Sendable, Equatable {
    /// A day of the week, spelled as the seed spells it.
    public enum Day: String, Sendable, CaseIterable {
        case sunday = "SUNDAY"
        case monday = "MONDAY"
        case tuesday = "TUESDAY"
        case wednesday = "WEDNESDAY"
        case thursday = "THURSDAY"
        case friday = "FRIDAY"
        case saturday = "SATURDAY"
    }

    /// One open stretch of a day, in local minutes since midnight: `start` inclusive, `end` exclusive (1440 is
    /// midnight at the end of the day).
    public struct Slot: Sendable, Equatable {
        public var day: Day
        public var start: Int
        public var end: Int

        /// Creates a slot.
        public init(day: Day, start: Int, end: Int) {
            self.day = day
            self.start = start
            self.end = end
        }
    }

    /// The group these hours belong to.
    public var groupID: String
    /// The IANA zone the slots are read in (`Asia/Kolkata`, `Europe/London`, `UTC`).
    public var timezone: String
    /// The open slots.
    public var workingHours: [Slot]

    /// Creates business hours.
    public init(groupID: String, timezone: String, workingHours: [Slot]) {
        self.groupID = groupID
        self.timezone = timezone
        self.workingHours = workingHours
    }

    /// Whether the group is open at local `minute` (0–1439) of `day`.
    public func isOpen(on day: Day, atMinute minute: Int) -> Bool {
        workingHours.contains { $0.day == day && $0.start <= minute && minute < $0.end }
    }

    /// Whether the group is open at `millis` since the epoch, read as local time in `zone` (docs L4289: "whether
    /// the group is within the business hours at the instant when the group’s business hours is verified").
    public func isOpen(atMillis millis: Int64, in zone: ZoneInfo) -> Bool {
        let seconds = ZoneInfo.Rule.floorDivide(millis, 1000)
        let local = seconds + Int64(zone.offset(at: seconds))
        let day = ZoneInfo.Rule.floorDivide(local, 86_400)
        // 1970-01-01 was a Thursday; `Day.allCases` starts on Sunday.
        let weekday = Int(((day + 4) % 7 + 7) % 7)
        let minute = Int((local - day * 86_400) / 60)
        return isOpen(on: Day.allCases[weekday], atMinute: minute)
    }

    // MARK: - The stored document

    /// Reads the stored document.
    /// - Throws: `APIError` 500 naming the member that does not have the shape above.
    public init(document: JSONValue) throws(APIError) {
        guard case .object(let object) = document else { throw Self.broken("the document must be an object") }
        let fields = Fields(object, path: "business_hours")
        do throws(APIError) {
            groupID = try fields.requiredString("group_id")
            timezone = try fields.requiredString("timezone")
            workingHours = []
            for (index, item) in (try fields.array("working_hours") ?? []).enumerated() {
                let path = fields.name("working_hours[\(index)]")
                guard case .object(let slotObject) = item else { throw Self.broken("\(path) must be an object") }
                let slot = Fields(slotObject, path: path)
                let dayName = try slot.requiredString("day")
                guard let day = Day(rawValue: dayName) else {
                    throw Self.broken("\(slot.name("day")) must be MONDAY … SUNDAY, not '\(dayName)'")
                }
                let start = try Self.minutes(slot, "start_time", allowingEndOfDay: false)
                let end = try Self.minutes(slot, "end_time", allowingEndOfDay: true)
                guard start < end else { throw Self.broken("\(path): start_time must be before end_time") }
                workingHours.append(Slot(day: day, start: start, end: end))
            }
        } catch {
            // Fields names the member in a 400; here the fault is the store's.
            throw error.httpStatus == .badRequest ? Self.broken(error.message) : error
        }
    }

    /// `HH:MM` as minutes since midnight; `24:00` only as an end.
    private static func minutes(_ fields: Fields, _ key: String, allowingEndOfDay: Bool) throws(APIError) -> Int {
        let text = try fields.requiredString(key)
        let bytes = Array(text.utf8)
        let digits = [0, 1, 3, 4].map { bytes.count == 5 ? Int(bytes[$0]) - 48 : -1 }
        guard bytes.count == 5, bytes[2] == 58, digits.allSatisfy({ (0...9).contains($0) }) else {
            throw broken("\(fields.name(key)) must be HH:MM, not '\(text)'")
        }
        let hours = digits[0] * 10 + digits[1]
        let minutes = digits[2] * 10 + digits[3]
        let total = hours * 60 + minutes
        guard minutes < 60, hours < 24 || (allowingEndOfDay && total == 1440) else {
            throw broken("\(fields.name(key)) must be a time of day between 00:00 and 24:00, not '\(text)'")
        }
        return total
    }

    /// A 500: the stored business hours (seed data) are broken, which no request can fix.
    static func broken(_ message: String) -> APIError {
        APIError(.internalServerError, message: "business hours in the store are malformed: \(message)")
    }
}
