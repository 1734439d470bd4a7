import HTTP
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler writing one line per entry to stderr, as text or JSON. A line is written whole by one `write`
/// (concurrent lines never interleave); an event loop's thread writes its round's lines together (`LoopOutput`).
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
        // The line is written as UTF-8 bytes into one buffer (every request writes one of these, the access line;
        // appending to a String cost ~340 instructions per piece, a tenth of a small GET in all).
        var line: [UInt8] = []
        line.reserveCapacity(192)
        let time = Timestamp.format(Clock.system.now())
        switch format {
        case .text:
            line.append(contentsOf: time.utf8)
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: event.level.rawValue.utf8)
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: event.message.description.utf8)
            for (key, value) in all.sorted(by: { $0.key < $1.key }) {
                line.append(UInt8(ascii: " "))
                line.append(contentsOf: key.utf8)
                line.append(UInt8(ascii: "="))
                line.append(contentsOf: value.description.utf8)
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
            JSONValue.object(object).write(to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        // On an event loop's thread the line waits for the end of the loop's round (LoopOutput).
        line.withUnsafeBytes { bytes in
            if !LoopOutput.enqueue(bytes, to: 2) { LoopOutput.writeAll(bytes, to: 2) }
        }
    }
}
