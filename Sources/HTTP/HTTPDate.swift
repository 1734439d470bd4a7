import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header value in IMF-fixdate form (RFC 9110 §5.6.7), cached for the current second.
public enum HTTPDate {
    private static let cache = Mutex<(second: Int, value: String)>((-1, ""))

    /// The IMF-fixdate for now, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func now() -> String {
        let second = Int(time(nil))
        return cache.withLock { entry in
            if entry.second != second { entry = (second, format(epochSeconds: second)) }
            return entry.value
        }
    }

    /// Formats seconds since the Unix epoch as an IMF-fixdate.
    public static func format(epochSeconds: Int) -> String {
        var t = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
