import HTTP

/// The one error type of the API: an HTTP code, a Freshchat status and a message, encoded as
/// `{"code", "status", "message"}` (docs L28–52: "code integer HTTP status code. status string Default HTTP
/// status message associated with the code. message string Message specific to Freshchat").
public struct APIError: Error, ResponseError, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status.
    public let httpStatus: HTTPStatus
    /// The `status` string, e.g. `BAD_REQUEST`, `USER_NOT_FOUND`.
    public let status: String
    /// The human-readable message, naming the offending field or header.
    public let message: String
    /// Extra response headers (e.g. `WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPHeaders = HTTPHeaders()

    /// Creates an error.
    public init(_ httpStatus: HTTPStatus, status: String? = nil, message: String) {
        self.httpStatus = httpStatus
        self.status = status ?? httpStatus.symbol
        self.message = message
    }

    public var description: String { "\(httpStatus.code) \(status): \(message)" }

    public var response: Response {
        var response = Response.error(httpStatus, symbol: status, message: message)
        for field in headers { response.headers.add(field.name, field.value) }
        return response
    }

    public static func == (lhs: APIError, rhs: APIError) -> Bool {
        lhs.httpStatus == rhs.httpStatus && lhs.status == rhs.status && lhs.message == rhs.message
    }

    // MARK: - Factories named after the docs' statuses

    /// 400 BAD_REQUEST.
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message: message) }

    /// 401 UNAUTHENTICATED with `WWW-Authenticate: Bearer` (RFC 6750 §3).
    public static func unauthenticated(_ message: String) -> APIError {
        var error = APIError(.unauthorized, status: "UNAUTHENTICATED", message: message)
        error.headers.add("WWW-Authenticate", "Bearer realm=\"freshchat\"")
        return error
    }

    /// 404 with a resource-specific status such as `USER_NOT_FOUND`.
    public static func notFound(_ status: String, _ message: String) -> APIError {
        APIError(.notFound, status: status, message: message)
    }

    /// 429 TOO_MANY_REQUESTS.
    public static func tooManyRequests(_ message: String) -> APIError {
        APIError(.tooManyRequests, status: "TOO_MANY_REQUESTS", message: message)
    }
}
