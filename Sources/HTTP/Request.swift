/// A parsed HTTP request: what the `RequestParser` produces and a `Responder` answers.
public struct Request: Sendable {
    /// The request method, case-sensitive.
    public var method: HTTPMethod
    /// The request-target exactly as received (origin-form: path and optional query).
    public var target: String
    /// The protocol version of the request line.
    public var version: HTTPVersion
    /// The header fields, in arrival order.
    public var headers: HTTPHeaders
    /// The request content, de-chunked.
    public var body: [UInt8]
    /// Path parameters filled in by the `Router` (`{user_id}` → value), percent-decoded.
    public var parameters: Parameters = Parameters()
    /// The matched route pattern (e.g. `/v2/users/{user_id}`), filled in by the `Router`.
    public var routePattern: String?

    /// Creates a request.
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The raw (not percent-decoded) path part of the target.
    public var path: Substring {
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return target[...]
    }

    /// The raw query string after `?`, or nil when the target has none.
    public var queryString: Substring? {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: q)...]
    }

    /// The query parameters in order, percent-decoded (`+` is a space, as in HTML forms).
    public var query: QueryParameters { QueryParameters(parsing: queryString ?? "") }

    /// Whether the connection stays open after this request (RFC 9112 §9.3).
    ///
    /// HTTP/1.1 persists unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        if headers.listContains("Connection", token: "close") { return false }
        if version == .http1_0 { return headers.listContains("Connection", token: "keep-alive") }
        return true
    }
}

/// Path parameters captured by the router.
public struct Parameters: Sendable {
    private var storage: [(String, String)] = []

    /// Creates an empty set of parameters.
    public init() {}

    /// The value of the parameter `name`, or nil.
    public subscript(name: String) -> String? {
        storage.first { $0.0 == name }?.1
    }

    /// Sets the parameter `name`.
    public mutating func set(_ name: String, _ value: String) {
        storage.removeAll { $0.0 == name }
        storage.append((name, value))
    }
}

/// Query parameters in the order they appear, percent-decoded.
public struct QueryParameters: Sendable, Sequence {
    /// The (name, value) pairs in order.
    public let items: [(name: String, value: String)]

    /// Parses `a=1&b=2`; a name without `=` has an empty value; empty items are skipped.
    public init(parsing query: Substring) {
        var items: [(name: String, value: String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: "=") {
                items.append(
                    (
                        name: PercentDecoding.decode(part[..<eq], plusAsSpace: true) ?? String(part[..<eq]),
                        value: PercentDecoding.decode(part[part.index(after: eq)...], plusAsSpace: true)
                            ?? String(part[part.index(after: eq)...])
                    ))
            } else {
                items.append((name: PercentDecoding.decode(part, plusAsSpace: true) ?? String(part), value: ""))
            }
        }
        self.items = items
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { items.makeIterator() }
}

/// Percent-decoding (RFC 3986 §2.1) and encoding helpers.
public enum PercentDecoding {
    /// Decodes `%XX` escapes; returns nil for a malformed escape or bytes that are not UTF-8.
    public static func decode(_ s: some StringProtocol, plusAsSpace: Bool = false) -> String? {
        // Most path segments and query values have nothing to decode: the text as it is (valid UTF-8 already).
        let escaped = { (b: UInt8) in b == UInt8(ascii: "%") || (plusAsSpace && b == UInt8(ascii: "+")) }
        if !(s.utf8.withContiguousStorageIfAvailable { $0.contains(where: escaped) } ?? s.utf8.contains(where: escaped))
        {
            return String(s)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else {
                    return nil
                }
                bytes.append(hv << 4 | lv)
            } else if plusAsSpace && b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Encodes everything but RFC 3986 unreserved characters, for building query strings.
    public static func encodeQueryComponent(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(b >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(b & 0xF)]))
            }
        }
        return out
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
