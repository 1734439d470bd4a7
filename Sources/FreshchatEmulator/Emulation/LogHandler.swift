import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler writing one line per entry to stderr, as text or JSON, each with a single `write`
/// so concurrent lines never interleave.
public struct EmulatorLogHandler: LogHandler {
    /// The line format.
    public let format: Config.LogFormat
    /// The logger's label.
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler.
    public init(label: String, format: Config.LogFormat, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = event.metadata ?? [:]
        if !metadata.isEmpty { all.merge(metadata) { entry, _ in entry } }
        var line: String
        let time = Timestamp.format(Clock.system.now())
        switch format {
        case .text:
            // Every request writes one of these (the access line): built by appending, without interpolation.
            line = time
            line.reserveCapacity(160)
            line += " "
            line += event.level.rawValue
            line += " "
            line += event.message.description
            for (key, value) in all.sorted(by: { $0.key < $1.key }) {
                line += " "
                line += key
                line += "="
                line += value.description
            }
        case .json:
            var object = JSONObject()
            object["time"] = .string(time)
            object["level"] = .string(event.level.rawValue)
            object["message"] = .string(event.message.description)
            for key in all.keys.sorted() {
                let value = all[key]!
                if case .stringConvertible(let c) = value, let n = c as? Int {
                    object[key] = .integer(Int64(n))
                } else if case .stringConvertible(let c) = value, let d = c as? Double {
                    object[key] = .double(d)
                } else {
                    object[key] = .string(value.description)
                }
            }
            line = JSONValue.object(object).serialized()
        }
        line += "\n"
        _ = line.withUTF8 { write(2, $0.baseAddress, $0.count) }
    }
}
