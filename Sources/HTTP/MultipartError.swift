/// One case per rule a `multipart/form-data` body (RFC 7578, with the syntax of RFC 2046 §5.1) or its
/// `Content-Type` can break. Every case is a client error: the request is answered 400.
public enum MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Content-Type is not a media type, or not `multipart/form-data` (RFC 7578 §4: "the media type
    /// multipart/form-data").
    case notFormData(String)
    /// The Content-Type is `multipart/form-data` with malformed or repeated parameters (RFC 9110 §5.6.6:
    /// `parameters = *( OWS ";" OWS [ parameter ] )`, `parameter-value = ( token / quoted-string )`).
    case malformedContentType(String)
    /// The Content-Type has no `boundary` parameter (RFC 2046 §5.1.1: "The Content-Type field for multipart
    /// entities requires one parameter, "boundary"").
    case missingBoundary
    /// The boundary is not 1–70 `bchars` ending in a non-space (RFC 2046 §5.1.1:
    /// `boundary := 0*69<bchars> bcharsnospace`).
    case invalidBoundary(String)
    /// The body holds no `--boundary` line at its start or after a CRLF (RFC 2046 §5.1.1:
    /// `multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF body-part …`).
    case missingFirstBoundary
    /// A boundary is followed by something other than linear whitespace and CRLF, or `--` (RFC 2046 §5.1.1:
    /// "a line consisting entirely of two hyphen characters … followed by the boundary parameter value …,
    /// optional linear whitespace, and a terminating CRLF"). This covers LF-only line ends.
    case malformedBoundaryLine
    /// The body ends before the close delimiter `--boundary--` (RFC 2046 §5.1.1: `… close-delimiter
    /// transport-padding [CRLF epilogue]`).
    case missingCloseDelimiter
    /// The body has no part: the first boundary is the close delimiter (RFC 2046 §5.1.1: `dash-boundary
    /// transport-padding CRLF body-part *encapsulation close-delimiter` needs at least one body-part).
    case noParts
    /// More parts than `Multipart.Limits.maxParts`.
    case tooManyParts(limit: Int)
    /// A part's header section is larger than `Multipart.Limits.maxHeaderBytes`.
    case partHeadersTooLarge(limit: Int)
    /// A part's header section does not end with an empty line before the part ends (RFC 2046 §5.1.1:
    /// `body-part := MIME-part-headers [CRLF *OCTET]`).
    case unterminatedPartHeaders
    /// A CR or LF in a part's header section that is not part of a CRLF (RFC 5322 §2.2: "CR and LF MUST only
    /// occur together as CRLF").
    case invalidLineEnding
    /// A header line of a part has no colon, an empty or invalid name (RFC 5322 §2.2: "field name … composed
    /// of printable US-ASCII characters … except colon"), or starts with whitespace before any field.
    case invalidPartHeader
    /// A part header value holds a control character (RFC 9110 §5.5) or is not UTF-8 (RFC 7578 §5.1.3).
    case invalidPartHeaderValue(name: String)
    /// A part has no Content-Disposition (RFC 7578 §4.2: "Each part MUST contain a Content-Disposition header
    /// field").
    case missingContentDisposition
    /// The Content-Disposition is malformed, not `form-data`, or has no `name` (RFC 7578 §4.2: "where the
    /// disposition type is "form-data". The Content-Disposition header field MUST also contain an additional
    /// parameter of "name"").
    case invalidContentDisposition(String)
    /// A part's Content-Type is not a media type (RFC 7578 §4.4).
    case invalidPartContentType(String)
    /// A Content-Transfer-Encoding other than 7bit, 8bit or binary (RFC 7578 §4.7: "Senders MUST NOT generate
    /// any parts with a Content-Transfer-Encoding header field"); its content could not be delivered as sent.
    case unsupportedTransferEncoding(String)

    public var description: String {
        switch self {
        case .notFormData(let value): return "Content-Type must be multipart/form-data, not '\(value)'"
        case .malformedContentType(let value):
            return "Content-Type '\(value)' has malformed or repeated parameters"
        case .missingBoundary: return "multipart/form-data must have a boundary parameter"
        case .invalidBoundary(let b):
            return "boundary '\(b)' must be 1 to 70 characters of RFC 2046 bchars, not ending in a space"
        case .missingFirstBoundary: return "multipart body does not start with the boundary"
        case .malformedBoundaryLine:
            return "a multipart boundary must be followed by optional whitespace and CRLF, or by --"
        case .missingCloseDelimiter: return "multipart body ends without the final boundary (--boundary--)"
        case .noParts: return "multipart body has no parts"
        case .tooManyParts(let limit): return "multipart body has more than \(limit) parts"
        case .partHeadersTooLarge(let limit): return "a multipart part's header section is larger than \(limit) bytes"
        case .unterminatedPartHeaders: return "a multipart part's header section does not end with an empty line"
        case .invalidLineEnding: return "a multipart part's header section has a CR or LF outside CRLF"
        case .invalidPartHeader: return "a multipart part has a malformed header line"
        case .invalidPartHeaderValue(let name): return "multipart part header \(name) has an invalid value"
        case .missingContentDisposition: return "a multipart/form-data part has no Content-Disposition"
        case .invalidContentDisposition(let value):
            return "Content-Disposition '\(value)' must be form-data with a name parameter"
        case .invalidPartContentType(let value): return "a multipart part's Content-Type '\(value)' is malformed"
        case .unsupportedTransferEncoding(let value):
            return "Content-Transfer-Encoding \(value) is not supported in multipart/form-data"
        }
    }
}
