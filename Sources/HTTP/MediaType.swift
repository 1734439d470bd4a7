/// A parameter of a header value such as `Content-Type` or `Content-Disposition`: `name=value`, the name
/// lowercased (RFC 9110 §5.6.6: "Parameter names are case-insensitive"), the value with any quoted-string
/// unescaped.
public struct HeaderParameter: Sendable, Equatable {
    /// The parameter name, lowercased.
    public var name: String
    /// The parameter value, unquoted and unescaped; its case is kept.
    public var value: String

    /// Creates a parameter.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A media type (RFC 9110 §8.3.1): `type "/" subtype parameters`, such as
/// `multipart/form-data; boundary="x"`.
public struct MediaType: Sendable, Equatable, CustomStringConvertible {
    /// The top-level type, lowercased (RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive").
    public var type: String
    /// The subtype, lowercased.
    public var subtype: String
    /// The parameters in order; each name appears once.
    public var parameters: [HeaderParameter]

    /// Parses a `Content-Type` field value; nil when it is not `token "/" token parameters` or names a
    /// parameter twice.
    public init?(_ value: some StringProtocol) {
        guard let (head, parameters) = HeaderParameters.parse(Array(value.utf8)),
            let slash = head.firstIndex(of: UInt8(ascii: "/"))
        else { return nil }
        let type = head[..<slash]
        let subtype = head[(slash + 1)...]
        guard !type.isEmpty, !subtype.isEmpty, type.allSatisfy(HTTPGrammar.isTokenChar),
            subtype.allSatisfy(HTTPGrammar.isTokenChar)
        else { return nil }
        self.type = String(decoding: type, as: UTF8.self).lowercased()
        self.subtype = String(decoding: subtype, as: UTF8.self).lowercased()
        self.parameters = parameters
    }

    /// `type/subtype` without parameters, lowercased (the "essence" the rules compare).
    public var essence: String { "\(type)/\(subtype)" }

    /// The value of the parameter `name` (case-insensitive), or nil.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public var description: String { essence }
}

/// The parameter grammar shared by `Content-Type` (RFC 9110 §5.6.6) and `Content-Disposition` (RFC 6266 §4.1,
/// which takes its `disposition-parm` from the same token / quoted-string forms):
///
///     parameters      = *( OWS ";" OWS [ parameter ] )
///     parameter       = parameter-name "=" parameter-value
///     parameter-name  = token
///     parameter-value = ( token / quoted-string )
///
/// RFC 9110 §5.6.6: "no whitespace is allowed around the "=" character". A name given twice makes the value
/// invalid (RFC 6266 §4.1: "Content-Disposition header field values with multiple instances of the same
/// parameter name are invalid"); the same rule applies to `boundary`, which must not be ambiguous.
enum HeaderParameters {
    /// Splits `value` into its leading part (before the first `;`, whitespace trimmed) and its parameters.
    /// - Returns: nil when a parameter is malformed or repeated, or a quoted value is not UTF-8.
    static func parse(_ value: [UInt8]) -> (head: ArraySlice<UInt8>, parameters: [HeaderParameter])? {
        var i = 0
        let end = value.count
        func skipWhitespace() { while i < end && (value[i] == 32 || value[i] == 9) { i += 1 } }
        skipWhitespace()
        let headStart = i
        while i < end && value[i] != UInt8(ascii: ";") { i += 1 }
        var headEnd = i
        while headEnd > headStart && (value[headEnd - 1] == 32 || value[headEnd - 1] == 9) { headEnd -= 1 }
        var parameters: [HeaderParameter] = []
        while i < end {
            // At a ";" (or trailing whitespace after a parameter).
            guard value[i] == UInt8(ascii: ";") else { return nil }
            i += 1
            skipWhitespace()
            if i == end || value[i] == UInt8(ascii: ";") { continue }  // "[ parameter ]": empty is allowed
            let nameStart = i
            while i < end && HTTPGrammar.isTokenChar(value[i]) { i += 1 }
            guard i > nameStart, i < end, value[i] == UInt8(ascii: "=") else { return nil }
            let name = String(decoding: value[nameStart..<i], as: UTF8.self).lowercased()
            i += 1
            let parsed: String
            if i < end && value[i] == UInt8(ascii: "\"") {
                guard let close = HTTPGrammar.quotedStringEnd(value[...], from: i),
                    let unescaped = unquote(value[(i + 1)..<(close - 1)])
                else { return nil }
                parsed = unescaped
                i = close
            } else {
                let valueStart = i
                while i < end && HTTPGrammar.isTokenChar(value[i]) { i += 1 }
                guard i > valueStart else { return nil }
                parsed = String(decoding: value[valueStart..<i], as: UTF8.self)
            }
            guard !parameters.contains(where: { $0.name == name }) else { return nil }
            parameters.append(HeaderParameter(name: name, value: parsed))
            skipWhitespace()
        }
        return (value[headStart..<headEnd], parameters)
    }

    /// The content of a quoted-string with each quoted-pair replaced by its character (RFC 9110 §5.6.4:
    /// "Recipients that process the value of a quoted-string MUST handle a quoted-pair as if it were replaced
    /// by the octet following the backslash"); nil when the octets are not UTF-8.
    private static func unquote(_ inner: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        var escaped = false
        for b in inner {
            if !escaped && b == UInt8(ascii: "\\") {
                escaped = true
                continue
            }
            escaped = false
            out.append(b)
        }
        return String(validating: out, as: UTF8.self)
    }
}
