/// A request-path pattern of the control plane (journal filters, fault rules), spelled like the docs' routes:
/// `{name}` matches one non-empty path segment, `*` matches any run of characters (slashes included), anything else
/// matches itself. A pattern without `{…}` or `*` is an exact path. Paths compare as received (not percent-decoded),
/// with repeated slashes collapsed and without a trailing slash.
///
/// `/v2/conversations/{conversation_id}` matches `/v2/conversations/c1` but not `/v2/conversations/c1/messages`;
/// `/v2/users*` matches `/v2/users`, `/v2/users/u1` and `/v2/users/u1/conversations`.
public struct PathPattern: Sendable, Equatable, CustomStringConvertible {
    private enum Token: Sendable, Equatable {
        case literal([UInt8])
        case segment
        case any
    }

    /// The pattern as written.
    public let description: String
    private let tokens: [Token]

    /// Parses a pattern.
    /// - Throws: `APIError` 400 naming `field` when the pattern does not start with `/` or has an unclosed `{`.
    public init(_ text: String, field: String = "path") throws(APIError) {
        guard text.hasPrefix("/") || text.hasPrefix("*") else {
            throw .badRequest("\(field) must start with / (or be *), not '\(text)'")
        }
        description = text
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var bytes = Array(Self.normalize(Substring(text)).utf8)[...]
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "*"):
                flush()
                if tokens.last != .any { tokens.append(.any) }
            case UInt8(ascii: "{"):
                guard let close = bytes.firstIndex(of: UInt8(ascii: "}")) else {
                    throw .badRequest("\(field) has a { without its }: '\(text)'")
                }
                flush()
                tokens.append(.segment)
                bytes = bytes[(close + 1)...]
            default:
                literal.append(byte)
            }
        }
        flush()
        self.tokens = tokens
    }

    /// Whether `path` (a raw request path, without the query) matches.
    public func matches(_ path: Substring) -> Bool {
        let bytes = Array(Self.normalize(path).utf8)
        return Self.match(tokens[...], bytes[...])
    }

    /// The path with repeated slashes collapsed and no trailing slash (`/` stays `/`).
    static func normalize(_ path: Substring) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    private static func match(_ tokens: ArraySlice<Token>, _ path: ArraySlice<UInt8>) -> Bool {
        guard let token = tokens.first else { return path.isEmpty }
        let rest = tokens.dropFirst()
        switch token {
        case .literal(let text):
            guard path.starts(with: text) else { return false }
            return match(rest, path.dropFirst(text.count))
        case .segment:
            let end = path.firstIndex(of: UInt8(ascii: "/")) ?? path.endIndex
            guard end > path.startIndex else { return false }
            return match(rest, path[end...])
        case .any:
            var index = path.startIndex
            while true {
                if match(rest, path[index...]) { return true }
                guard index < path.endIndex else { return false }
                index += 1
            }
        }
    }
}
