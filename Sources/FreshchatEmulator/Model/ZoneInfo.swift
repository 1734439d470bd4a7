#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The UTC offsets of one IANA time zone, read from its TZif file in the system's tz database (RFC 8536), so that
/// business hours (docs L4254) follow the group's local time through daylight-saving changes. Pure data: build it
/// with `ZoneInfo(tzif:)` or `ZoneInfo.load(_:directory:)`, then ask `offset(at:)`.
///
/// The file supplies the transitions; instants after the last one follow the POSIX TZ string of the footer
/// (RFC 8536 §3.3), as "slim" files rely on. Runtime images need the tz database (Debian: package `tzdata`).
public struct ZoneInfo: Sendable, Equatable {
    /// The zone's identifier, e.g. `Europe/London`.
    public let identifier: String
    /// Transition instants, seconds since the epoch, ascending.
    let transitions: [Int64]
    /// For each transition, the UTC offset in seconds that starts with it.
    let offsetsAfter: [Int32]
    /// The offset before the first transition (RFC 8536 §3.2: "time type 0").
    let initialOffset: Int32
    /// The rule for instants after the last transition, when the file has a footer.
    let rule: Rule?

    /// Where the tz database lives on Linux and macOS.
    public static let defaultDirectory = "/usr/share/zoneinfo"

    /// Zones that need no file: UTC under its common names.
    static let utcNames: Set<String> = ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu"]

    /// A zone with a fixed offset and no transitions.
    init(identifier: String, fixedOffset: Int32) {
        self.identifier = identifier
        transitions = []
        offsetsAfter = []
        initialOffset = fixedOffset
        rule = nil
    }

    /// The UTC offset in seconds (east positive) in force at `seconds` since the epoch.
    public func offset(at seconds: Int64) -> Int32 {
        guard let first = transitions.first, seconds >= first else {
            // Before the first transition, or a zone with none: the footer (when there are no transitions) or time
            // type 0.
            if transitions.isEmpty, let rule { return rule.offset(at: seconds) }
            return initialOffset
        }
        if seconds >= transitions[transitions.count - 1], let rule { return rule.offset(at: seconds) }
        // The last transition at or before `seconds`.
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        return offsetsAfter[low]
    }

    // MARK: - Loading

    /// Reads zone `identifier` from the tz database in `directory`.
    /// - Throws: `ZoneInfoError` when the identifier is not a zone name, the file is missing, or it is not TZif.
    public static func load(_ identifier: String, directory: String = defaultDirectory) throws(ZoneInfoError)
        -> ZoneInfo
    {
        if utcNames.contains(identifier) { return ZoneInfo(identifier: identifier, fixedOffset: 0) }
        // Zone names are path-like (`America/Argentina/Buenos_Aires`, `Etc/GMT+5`); nothing may climb out of the
        // database.
        let allowed = identifier.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
                || byte == 47 || byte == 95 || byte == 45 || byte == 43
        }
        let parts = identifier.split(separator: "/", omittingEmptySubsequences: false)
        guard !identifier.isEmpty, allowed, parts.allSatisfy({ !$0.isEmpty && $0 != ".." }) else {
            throw ZoneInfoError("'\(identifier)' is not an IANA time zone name")
        }
        let path = (directory.hasSuffix("/") ? directory : directory + "/") + identifier
        guard let file = fopen(path, "rb") else {
            throw ZoneInfoError(
                "time zone '\(identifier)' is not in the tz database at \(directory) (install the tzdata package)")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while bytes.count <= maxFileBytes {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard bytes.count <= maxFileBytes else { throw ZoneInfoError("\(path) is too large for a TZif file") }
        return try ZoneInfo(identifier: identifier, tzif: bytes)
    }

    /// The largest TZif file read; real ones are a few kilobytes.
    static let maxFileBytes = 1 << 20

    /// Parses a TZif file (RFC 8536 §3): the version 2+ 64-bit block when present, else the version 1 block.
    /// - Throws: `ZoneInfoError` when the bytes are not a well-formed TZif file.
    public init(identifier: String, tzif bytes: [UInt8]) throws(ZoneInfoError) {
        var reader = Reader(bytes: bytes)
        var header = try reader.header()
        var timeSize = 4
        if header.version >= 2 {
            // Skip the version 1 block (RFC 8536 §3.1: "TZif version 2+ … the v1 data block … should be ignored").
            try reader.skip(header.v1DataLength)
            header = try reader.header()
            timeSize = 8
        }
        var transitions: [Int64] = []
        for _ in 0..<header.timeCount { transitions.append(try reader.integer(timeSize)) }
        var typeIndices: [Int] = []
        for _ in 0..<header.timeCount { typeIndices.append(Int(try reader.byte())) }
        var offsets: [Int32] = []
        for _ in 0..<header.typeCount {
            offsets.append(Int32(truncatingIfNeeded: try reader.integer(4)))
            try reader.skip(2)  // isdst, desigidx
        }
        guard !offsets.isEmpty, typeIndices.allSatisfy({ $0 < offsets.count }),
            zip(transitions, transitions.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw ZoneInfoError("\(identifier): malformed TZif data") }
        try reader.skip(header.charCount + header.leapCount * (timeSize + 4) + header.stdCount + header.utcCount)
        var rule: Rule?
        if header.version >= 2 {
            let footer = try reader.footer()
            if !footer.isEmpty {
                guard let parsed = Rule(posix: footer) else {
                    throw ZoneInfoError("\(identifier): unsupported TZ string '\(footer)'")
                }
                rule = parsed
            }
        }
        self.identifier = identifier
        self.transitions = transitions
        offsetsAfter = typeIndices.map { offsets[$0] }
        initialOffset = offsets[0]
        self.rule = rule
    }

    /// Reads TZif bytes in order, big-endian.
    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        struct Header {
            var version: Int
            var utcCount: Int
            var stdCount: Int
            var leapCount: Int
            var timeCount: Int
            var typeCount: Int
            var charCount: Int

            /// The length of a version 1 data block with these counts (RFC 8536 §3.2).
            var v1DataLength: Int {
                timeCount * 5 + typeCount * 6 + charCount + leapCount * 8 + stdCount + utcCount
            }
        }

        mutating func header() throws(ZoneInfoError) -> Header {
            guard position + 44 <= bytes.count, Array(bytes[position..<position + 4]) == Array("TZif".utf8) else {
                throw ZoneInfoError("not a TZif file")
            }
            let versionByte = bytes[position + 4]
            let version = versionByte == 0 ? 1 : Int(versionByte) - 48
            guard (1...9).contains(version) else { throw ZoneInfoError("unknown TZif version") }
            position += 20
            var counts: [Int] = []
            for _ in 0..<6 { counts.append(Int(try integer(4))) }
            guard counts.allSatisfy({ $0 >= 0 && $0 < 1 << 20 }) else { throw ZoneInfoError("malformed TZif header") }
            return Header(
                version: version, utcCount: counts[0], stdCount: counts[1], leapCount: counts[2],
                timeCount: counts[3], typeCount: counts[4], charCount: counts[5])
        }

        mutating func byte() throws(ZoneInfoError) -> UInt8 {
            guard position < bytes.count else { throw ZoneInfoError("truncated TZif file") }
            defer { position += 1 }
            return bytes[position]
        }

        /// A signed big-endian integer of `size` (4 or 8) bytes.
        mutating func integer(_ size: Int) throws(ZoneInfoError) -> Int64 {
            guard position + size <= bytes.count else { throw ZoneInfoError("truncated TZif file") }
            var value: UInt64 = 0
            for byte in bytes[position..<position + size] { value = value << 8 | UInt64(byte) }
            position += size
            return size == 4 ? Int64(Int32(bitPattern: UInt32(value))) : Int64(bitPattern: value)
        }

        mutating func skip(_ count: Int) throws(ZoneInfoError) {
            guard position + count <= bytes.count else { throw ZoneInfoError("truncated TZif file") }
            position += count
        }

        /// The footer's TZ string, between two newlines (RFC 8536 §3.3).
        mutating func footer() throws(ZoneInfoError) -> String {
            guard position < bytes.count, bytes[position] == 10,
                let end = bytes[(position + 1)...].firstIndex(of: 10)
            else { throw ZoneInfoError("TZif footer missing") }
            return String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
        }
    }
}

/// A time zone that cannot be loaded, with the reason.
public struct ZoneInfoError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
