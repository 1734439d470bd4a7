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

    /// Parses `a=1&b=2`; a name without `=` has an empty value; empty items are skipped. A name or value whose
    /// escapes are malformed or not UTF-8 is kept as it was sent.
    public init(parsing query: Substring) {
        var items: [(name: String, value: String)] = []
        var query = query
        query.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                var equals = -1
                while end < bytes.count, bytes[end] != UInt8(ascii: "&") {
                    if equals < 0, bytes[end] == UInt8(ascii: "=") { equals = end }
                    end += 1
                }
                if end > start {
                    if equals >= 0 {
                        items.append(
                            (
                                name: Self.component(UnsafeBufferPointer(rebasing: bytes[start..<equals])),
                                value: Self.component(UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end]))
                            ))
                    } else {
                        items.append(
                            (name: Self.component(UnsafeBufferPointer(rebasing: bytes[start..<end])), value: ""))
                    }
                }
                start = end + 1
            }
        }
        self.items = items
    }

    /// One name or value: percent-decoded with `+` as a space, or as sent when that fails.
    private static func component(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        PercentDecoding.decode(bytes, plusAsSpace: true) ?? String(decoding: bytes, as: UTF8.self)
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
        if let decoded = s.utf8.withContiguousStorageIfAvailable({ decode($0, plusAsSpace: plusAsSpace) }) {
            return decoded
        }
        return Array(s.utf8).withUnsafeBufferPointer { decode($0, plusAsSpace: plusAsSpace) }
    }

    /// Decodes the `%XX` escapes of UTF-8 bytes; nil for a malformed escape or bytes that are not UTF-8.
    static func decode(_ s: UnsafeBufferPointer<UInt8>, plusAsSpace: Bool) -> String? {
        // Most path segments and query values have nothing to decode: the text as it is.
        guard s.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(validating: s, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.count)
        var index = 0
        while index < s.count {
            let b = s[index]
            index += 1
            if b == UInt8(ascii: "%") {
                guard index + 1 < s.count, let hv = hexValue(s[index]), let lv = hexValue(s[index + 1]) else {
                    return nil
                }
                bytes.append(hv << 4 | lv)
                index += 2
            } else if plusAsSpace && b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Encodes everything but RFC 3986 unreserved characters (and `:` and `@`), for building query strings.
    public static func encodeQueryComponent(_ s: String) -> String {
        func kept(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "@"):
                return true
            default:
                return false
            }
        }
        if s.utf8.allSatisfy(kept) { return s }
        let hex: StaticString = "0123456789ABCDEF"
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count * 3)
        for b in s.utf8 {
            if kept(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex.utf8Start[Int(b >> 4)])
                out.append(hex.utf8Start[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
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
