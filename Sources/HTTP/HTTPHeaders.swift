/// The header fields of a request or response, kept in the order they arrived.
///
/// Field names compare case-insensitively (RFC 9110 §5.1); duplicates are kept as separate
/// field lines so that rules such as "a duplicated Host is an error" can be checked.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// The field lines, as (name, value) pairs in arrival order.
    public private(set) var fields: [(name: String, value: String)]

    /// Creates an empty set of headers.
    public init() { fields = [] }

    /// Creates headers from field lines, kept in the given order.
    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of the field named `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        for field in fields where field.name.equalsIgnoringASCIICase(name) { return field.value }
        return nil
    }

    /// Every value of the field named `name`, in order.
    public func values(_ name: String) -> [String] {
        var values: [String] = []  // no allocation when there are none
        for field in fields where field.name.equalsIgnoringASCIICase(name) { values.append(field.value) }
        return values
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field line.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field named `name` with a single field line.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// The number of field lines.
    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    /// Whether a comma-separated list header (e.g. `Connection`) contains `token`, case-insensitively.
    public func listContains(_ name: String, token: String) -> Bool {
        for value in values(name) {
            for part in value.split(separator: ",")
            where part.trimmingASCIIWhitespace().equalsIgnoringASCIICase(token) {
                return true
            }
        }
        return false
    }
}

extension StringProtocol {
    /// ASCII case-insensitive comparison, enough for header names and tokens.
    @inlinable
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        // Native strings compare byte by byte in their own buffers (header lookups run several times per request).
        let contiguous = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in
                a.count == b.count && a.elementsEqual(b, by: Self.equalIgnoringASCIICase)
            }
        }
        if let contiguous, let equal = contiguous { return equal }
        return utf8.elementsEqual(other.utf8, by: Self.equalIgnoringASCIICase)
    }

    /// Whether two bytes are equal once ASCII upper-case letters are lowered.
    @usableFromInline
    static func equalIgnoringASCIICase(_ x: UInt8, _ y: UInt8) -> Bool {
        x == y || ((x >= 65 && x <= 90) ? x | 0x20 : x) == ((y >= 65 && y <= 90) ? y | 0x20 : y)
    }

    /// The string without leading and trailing spaces and horizontal tabs.
    @inlinable
    public func trimmingASCIIWhitespace() -> Substring {
        // Scanned as bytes: a space or a tab is one byte, and never part of another character's encoding.
        let s = Substring(self)
        let bytes = s.utf8
        var (start, end) = (bytes.startIndex, bytes.endIndex)
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while start < end {
            let last = bytes.index(before: end)
            guard bytes[last] == 0x20 || bytes[last] == 0x09 else { break }
            end = last
        }
        return s[start..<end]
    }
}
