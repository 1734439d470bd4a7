/// One part of a multipart body: its header fields and its content, byte for byte. For `multipart/form-data`
/// (`Multipart.formData`) the Content-Disposition `name` and `filename` and the Content-Type are read out.
public struct MultipartPart: Sendable, Equatable {
    /// The part's header fields in order (folded lines unfolded, values trimmed).
    public var headers: HTTPHeaders
    /// The content: every octet between the header section and the next delimiter.
    public var content: [UInt8]
    /// The form field name (RFC 7578 §4.2: "the value of the "name" parameter is the original field name from
    /// the form"); nil until read by `Multipart.formData`.
    public var name: String?
    /// The file name, when the part is a file (RFC 7578 §4.2: "a "filename" parameter … SHOULD be included");
    /// nil when absent or not yet read.
    public var filename: String?
    /// The part's media type, when it declares one (RFC 7578 §4.4: "Each part MAY have an (optional)
    /// "Content-Type" header field"); nil when absent or not yet read.
    public var contentType: MediaType?

    /// Creates a part.
    public init(
        headers: HTTPHeaders = HTTPHeaders(), content: [UInt8], name: String? = nil, filename: String? = nil,
        contentType: MediaType? = nil
    ) {
        self.headers = headers
        self.content = content
        self.name = name
        self.filename = filename
        self.contentType = contentType
    }

    public static func == (lhs: MultipartPart, rhs: MultipartPart) -> Bool {
        lhs.headers.count == rhs.headers.count
            && zip(lhs.headers, rhs.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
            && lhs.content == rhs.content && lhs.name == rhs.name && lhs.filename == rhs.filename
            && lhs.contentType == rhs.contentType
    }

    /// Reads and checks the form-data header fields (RFC 7578 §4.2, §4.4, §4.7). Other fields are kept but not
    /// interpreted (RFC 7578 §4.8: "Other header fields MUST NOT be included and MUST be ignored").
    /// - Throws: `MultipartError` for a missing or malformed Content-Disposition, a malformed Content-Type or a
    ///   content transfer encoding that would change the octets.
    mutating func readFormDataFields() throws(MultipartError) {
        let dispositions = headers.values("Content-Disposition")
        guard let disposition = dispositions.first else { throw .missingContentDisposition }
        // RFC 7578 §4.2: "Content-Disposition: form-data; name="user"" — one field, type form-data, a name.
        guard dispositions.count == 1, let (type, parameters) = HeaderParameters.parse(Array(disposition.utf8)),
            Self.isFormData(type),
            let name = parameters.first(where: { $0.name == "name" })?.value
        else { throw .invalidContentDisposition(dispositions.joined(separator: ", ")) }
        self.name = name
        // RFC 7578 §4.2: "NOTE: The encoding method described in [RFC5987], which would add a "filename*"
        // parameter to the Content-Disposition header field, MUST NOT be used." — so only "filename" is read.
        filename = parameters.first { $0.name == "filename" }?.value
        let types = headers.values("Content-Type")
        if let declared = types.first {
            guard types.count == 1, let mediaType = MediaType(declared) else {
                throw .invalidPartContentType(types.joined(separator: ", "))
            }
            contentType = mediaType
        }
        // RFC 7578 §4.7: "Senders MUST NOT generate any parts with a Content-Transfer-Encoding header field";
        // the identity encodings change nothing and are accepted, any other would alter the content.
        for encoding in headers.values("Content-Transfer-Encoding") {
            guard ["7bit", "8bit", "binary"].contains(where: { encoding.equalsIgnoringASCIICase($0) }) else {
                throw .unsupportedTransferEncoding(encoding)
            }
        }
    }

    /// Whether a disposition type is `form-data`, compared case-insensitively (RFC 6266 §4.2: "The type is
    /// case-insensitive").
    private static func isFormData(_ type: ArraySlice<UInt8>) -> Bool {
        String(decoding: type, as: UTF8.self).equalsIgnoringASCIICase("form-data")
    }
}
