extension ZoneInfo {
    /// A POSIX TZ string such as `GMT0BST,M3.5.0/1,M10.5.0` (POSIX.1-2017 §8.3, with the RFC 8536 §3.3.1 extensions:
    /// transition hours from -167 to 167): the standard offset and, when the zone observes daylight saving time, the
    /// daylight offset and the two yearly transitions.
    struct Rule: Sendable, Equatable {
        /// The standard UTC offset in seconds, east positive (POSIX writes it west positive).
        var standardOffset: Int32
        /// Daylight saving time, if observed.
        var daylight: Daylight?

        /// The daylight offset and when it starts and ends each year.
        struct Daylight: Sendable, Equatable {
            var offset: Int32
            /// In standard local time.
            var start: Transition
            /// In daylight local time.
            var end: Transition
        }

        /// A yearly transition: a day of the year and a local time of day in seconds.
        struct Transition: Sendable, Equatable {
            var day: Day
            var time: Int64
        }

        /// The day forms of POSIX: `Jn` (1–365, February 29 never counted), `n` (0–365, counted), `Mm.w.d` (day d,
        /// 0 = Sunday, of week w, 5 = last, of month m).
        enum Day: Sendable, Equatable {
            case julianNoLeap(Int)
            case zeroBased(Int)
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }

        /// The offset in force at `seconds` since the epoch.
        func offset(at seconds: Int64) -> Int32 {
            guard let daylight else { return standardOffset }
            let year = Self.year(ofDay: Self.floorDivide(seconds + Int64(standardOffset), 86_400))
            let start = daylight.start.instant(in: year) - Int64(standardOffset)
            let end = daylight.end.instant(in: year) - Int64(daylight.offset)
            let inDaylight = start < end ? (start <= seconds && seconds < end) : !(end <= seconds && seconds < start)
            return inDaylight ? daylight.offset : standardOffset
        }

        // MARK: - Parsing

        /// Parses a TZ string; nil when it is not one this reader understands.
        init?(posix text: String) {
            var scanner = Scanner(bytes: Array(text.utf8))
            guard scanner.name(), let standard = scanner.time() else { return nil }
            standardOffset = Int32(-standard)
            guard !scanner.atEnd else {
                daylight = nil
                return
            }
            guard scanner.name() else { return nil }
            var offset = standardOffset + 3600
            if !scanner.peek(44), let explicit = scanner.time() { offset = Int32(-explicit) }
            // A daylight name needs the rule: RFC 8536 §3.3 footers always carry it.
            guard scanner.take(44), let start = scanner.transition(), scanner.take(44), let end = scanner.transition(),
                scanner.atEnd
            else { return nil }
            daylight = Daylight(offset: offset, start: start, end: end)
        }

        /// Reads the pieces of a TZ string.
        private struct Scanner {
            let bytes: [UInt8]
            var position = 0

            var atEnd: Bool { position == bytes.count }

            func peek(_ byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

            mutating func take(_ byte: UInt8) -> Bool {
                guard peek(byte) else { return false }
                position += 1
                return true
            }

            /// A zone abbreviation: three or more letters, or `<…>` quoted (`<+0530>`).
            mutating func name() -> Bool {
                if take(60) {
                    guard let close = bytes[position...].firstIndex(of: 62), close - position >= 3 else { return false }
                    position = close + 1
                    return true
                }
                let start = position
                while position < bytes.count,
                    (65...90).contains(bytes[position]) || (97...122).contains(bytes[position])
                {
                    position += 1
                }
                return position - start >= 3
            }

            /// `[+|-]hh[:mm[:ss]]` in seconds, hours up to 167.
            mutating func time() -> Int64? {
                var sign: Int64 = 1
                if take(45) { sign = -1 } else { _ = take(43) }
                guard let hours = number(maxDigits: 3), hours <= 167 else { return nil }
                var total = hours * 3600
                if take(58) {
                    guard let minutes = number(maxDigits: 2), minutes < 60 else { return nil }
                    total += minutes * 60
                    if take(58) {
                        guard let secs = number(maxDigits: 2), secs < 60 else { return nil }
                        total += secs
                    }
                }
                return sign * total
            }

            /// `date[/time]`, time defaulting to 02:00:00.
            mutating func transition() -> Transition? {
                let day: Day
                if take(77) {
                    guard let month = number(maxDigits: 2), (1...12).contains(month), take(46),
                        let week = number(maxDigits: 1), (1...5).contains(week), take(46),
                        let weekday = number(maxDigits: 1), weekday <= 6
                    else { return nil }
                    day = .monthWeekDay(month: Int(month), week: Int(week), weekday: Int(weekday))
                } else if take(74) {
                    guard let n = number(maxDigits: 3), (1...365).contains(n) else { return nil }
                    day = .julianNoLeap(Int(n))
                } else {
                    guard let n = number(maxDigits: 3), n <= 365 else { return nil }
                    day = .zeroBased(Int(n))
                }
                var time: Int64 = 7200
                if take(47) {
                    guard let explicit = self.time() else { return nil }
                    time = explicit
                }
                return Transition(day: day, time: time)
            }

            mutating func number(maxDigits: Int) -> Int64? {
                var value: Int64 = 0
                var digits = 0
                while digits < maxDigits, position < bytes.count, (48...57).contains(bytes[position]) {
                    value = value * 10 + Int64(bytes[position] - 48)
                    position += 1
                    digits += 1
                }
                return digits == 0 ? nil : value
            }
        }

        // MARK: - Calendar

        /// `a / b` rounded toward negative infinity.
        static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
            a >= 0 ? a / b : -((-a + b - 1) / b)
        }

        static func isLeap(_ year: Int64) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

        static func daysIn(month: Int, year: Int64) -> Int64 {
            switch month {
            case 2: return isLeap(year) ? 29 : 28
            case 4, 6, 9, 11: return 30
            default: return 31
            }
        }

        /// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
        static func days(year: Int64, month: Int, day: Int64) -> Int64 {
            let y = month <= 2 ? year - 1 : year
            let era = floorDivide(y, 400)
            let yoe = y - era * 400
            let doy = (153 * Int64((month + 9) % 12) + 2) / 5 + day - 1
            return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
        }

        /// The civil year of a day since 1970-01-01 (Howard Hinnant's civil_from_days).
        static func year(ofDay days: Int64) -> Int64 {
            let z = days + 719_468
            let era = floorDivide(z, 146_097)
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            return yoe + era * 400 + (mp >= 10 ? 1 : 0)
        }
    }
}

extension ZoneInfo.Rule.Transition {
    /// Local seconds since the epoch of this transition in `year`.
    func instant(in year: Int64) -> Int64 {
        typealias Rule = ZoneInfo.Rule
        let newYear = Rule.days(year: year, month: 1, day: 1)
        let dayNumber: Int64
        switch day {
        case .julianNoLeap(let n):
            dayNumber = newYear + Int64(n) - 1 + (Rule.isLeap(year) && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            dayNumber = newYear + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = Rule.days(year: year, month: month, day: 1)
            // 1970-01-01 was a Thursday (4).
            let firstWeekday = ((first + 4) % 7 + 7) % 7
            var candidate = first + (Int64(weekday) - firstWeekday + 7) % 7 + Int64(week - 1) * 7
            while candidate >= first + Rule.daysIn(month: month, year: year) { candidate -= 7 }
            dayNumber = candidate
        }
        return dayNumber * 86_400 + time
    }
}
