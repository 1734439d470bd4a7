/// One case per framing rule a request can break (RFC 9112). Each maps to the status the server
/// answers with before closing the connection.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request line is not `method SP request-target SP HTTP-version` (RFC 9112 §3).
    case invalidRequestLine
    /// The method is not a token (RFC 9110 §9.1).
    case invalidMethod
    /// The request-target contains forbidden characters or is not in a supported form (RFC 9112 §3.2).
    case invalidTarget
    /// The request-target is longer than the configured limit (RFC 9112 §3 → 414).
    case targetTooLong
    /// The HTTP-version is malformed (RFC 9112 §2.3).
    case invalidVersion
    /// The major version is not 1 (→ 505).
    case unsupportedVersion
    /// A field line has no colon or an invalid name (RFC 9110 §5.1).
    case invalidHeaderName
    /// Whitespace between a field name and the colon (RFC 9112 §5.1: "MUST reject … with 400").
    case whitespaceBeforeColon
    /// A field value holds a control character other than HTAB (RFC 9110 §5.5).
    case invalidHeaderValue(name: String)
    /// A field line starts with whitespace: obsolete line folding (RFC 9112 §5.2).
    case obsoleteLineFolding
    /// A CR not followed by LF (RFC 9112 §2.2).
    case bareCarriageReturn
    /// The header section is larger than the configured limit (→ 431).
    case headersTooLarge
    /// An HTTP/1.1 request without Host, or with more than one (RFC 9112 §3.2).
    case invalidHost
    /// Content-Length that is not 1*DIGIT, overflows, or has differing values (RFC 9112 §6.3).
    case invalidContentLength
    /// Both Transfer-Encoding and Content-Length (RFC 9112 §6.1 → 400 and close).
    case conflictingFraming
    /// Transfer-Encoding whose final coding is not chunked, or on an HTTP/1.0 request (RFC 9112 §6.1).
    case invalidTransferEncoding
    /// A transfer coding this server does not implement before the final chunked (RFC 9112 §6.1 → 501).
    case unsupportedTransferCoding(String)
    /// A chunk-size line is not 1*HEXDIG [chunk-ext] CRLF, or a chunk is not followed by CRLF (RFC 9112 §7.1).
    case invalidChunk
    /// The declared or received content is larger than the configured limit (→ 413).
    case bodyTooLarge(limit: Int)
    /// `Expect` with a value other than 100-continue (RFC 9110 §10.1.1 → 417).
    case unsupportedExpectation(String)

    /// The response status for this error.
    public var status: HTTPStatus {
        switch self {
        case .targetTooLong: return .uriTooLong
        case .headersTooLarge: return .requestHeaderFieldsTooLarge
        case .bodyTooLarge: return .contentTooLarge
        case .unsupportedVersion: return .httpVersionNotSupported
        case .unsupportedTransferCoding: return .notImplemented
        case .unsupportedExpectation: return .expectationFailed
        default: return .badRequest
        }
    }

    public var description: String {
        switch self {
        case .invalidRequestLine: return "malformed request line"
        case .invalidMethod: return "request method is not a valid token"
        case .invalidTarget: return "request-target is malformed"
        case .targetTooLong: return "request-target is too long"
        case .invalidVersion: return "malformed HTTP-version"
        case .unsupportedVersion: return "only HTTP/1.0 and HTTP/1.1 are supported"
        case .invalidHeaderName: return "malformed header field name"
        case .whitespaceBeforeColon: return "whitespace between header field name and colon"
        case .invalidHeaderValue(let name): return "header \(name) contains a control character"
        case .obsoleteLineFolding: return "obsolete line folding in header section"
        case .bareCarriageReturn: return "bare CR in header section"
        case .headersTooLarge: return "request header fields are too large"
        case .invalidHost: return "an HTTP/1.1 request must carry exactly one Host header"
        case .invalidContentLength: return "invalid Content-Length header"
        case .conflictingFraming: return "Content-Length and Transfer-Encoding must not both be sent"
        case .invalidTransferEncoding: return "Transfer-Encoding must end with chunked (and only on HTTP/1.1)"
        case .unsupportedTransferCoding(let c): return "transfer coding \(c) is not implemented"
        case .invalidChunk: return "malformed chunked transfer coding"
        case .bodyTooLarge(let limit): return "request content is larger than \(limit) bytes"
        case .unsupportedExpectation(let v): return "Expect: \(v) is not supported; only 100-continue is"
        }
    }
}
