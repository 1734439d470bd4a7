#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `multipart/form-data` parser (RFC 7578) over the multipart syntax of RFC 2046 §5.1.1:
///
///     multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF body-part *encapsulation
///                       close-delimiter transport-padding [CRLF epilogue]
///     encapsulation  := delimiter transport-padding CRLF body-part
///     delimiter      := CRLF dash-boundary          ; dash-boundary := "--" boundary
///     close-delimiter := delimiter "--"
///     body-part      := MIME-part-headers [CRLF *OCTET]
///
/// It parses a complete body: a pure function of the bytes, with no I/O and no state, so the result does not
/// depend on how the body arrived (Content-Length or chunked, in whatever pieces). Content is kept byte for
/// byte: only CRLF followed by `--boundary` ends a part; a CRLF, a bare LF or `--` inside the content are
/// content. Line ends in the multipart syntax must be CRLF: a body written with bare LFs is rejected, as its
/// delimiters are not the RFC's `CRLF dash-boundary` and accepting LF would cut binary content at `LF--boundary`.
public enum Multipart {
    /// Size limits of the parser. Each has a test at its edge.
    public struct Limits: Sendable, Equatable {
        /// The most parts a body may have; more → `MultipartError.tooManyParts`. Default: 100.
        public var maxParts: Int
        /// The largest header section of one part (its field lines with their CRLFs and the empty line), in
        /// octets; larger → `MultipartError.partHeadersTooLarge`. Default: 16,384 (16 KiB).
        public var maxHeaderBytes: Int

        /// Creates limits; every argument defaults to the documented default.
        public init(maxParts: Int = 100, maxHeaderBytes: Int = 16384) {
            self.maxParts = maxParts
            self.maxHeaderBytes = maxHeaderBytes
        }
    }

    // MARK: - multipart/form-data (RFC 7578)

    /// Parses a `multipart/form-data` body sent with `contentType`: every part must carry a
    /// `Content-Disposition: form-data; name=…` (RFC 7578 §4.2).
    /// - Throws: `MultipartError` naming the first rule the Content-Type or the body breaks.
    public static func formData(
        _ body: [UInt8], contentType: String, limits: Limits = Limits()
    ) throws(MultipartError) -> [MultipartPart] {
        try formData(body[...], contentType: contentType, limits: limits)
    }

    /// Parses a `multipart/form-data` body held in a slice (any start index).
    /// - Throws: `MultipartError` naming the first rule the Content-Type or the body breaks.
    public static func formData(
        _ body: ArraySlice<UInt8>, contentType: String, limits: Limits = Limits()
    ) throws(MultipartError) -> [MultipartPart] {
        var parts = try parts(of: body, boundary: boundary(contentType: contentType), limits: limits)
        for index in parts.indices { try parts[index].readFormDataFields() }
        return parts
    }

    /// The boundary of a `multipart/form-data` Content-Type, quoted or not (RFC 7578 §4.1: "it is often
    /// necessary to enclose the "boundary" parameter values in quotes in the Content-Type header field").
    /// - Throws: `notFormData` for another media type, `malformedContentType`, `missingBoundary`, or
    ///   `invalidBoundary`.
    public static func boundary(contentType: String) throws(MultipartError) -> String {
        let essence = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard essence.trimmingASCIIWhitespace().equalsIgnoringASCIICase("multipart/form-data") else {
            throw .notFormData(contentType)
        }
        guard let mediaType = MediaType(contentType) else { throw .malformedContentType(contentType) }
        guard let boundary = mediaType.parameter("boundary") else { throw .missingBoundary }
        try validate(boundary: boundary)
        return boundary
    }

    /// Checks RFC 2046 §5.1.1: `boundary := 0*69<bchars> bcharsnospace`, `bchars := bcharsnospace / " "`,
    /// `bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?"`.
    /// - Throws: `invalidBoundary`.
    public static func validate(boundary: String) throws(MultipartError) {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != 32, bytes.allSatisfy(isBoundaryChar) else {
            throw .invalidBoundary(boundary)
        }
    }

    private static func isBoundaryChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return Array("'()+_,-./:=? ".utf8).contains(b)
        }
    }

    // MARK: - multipart syntax (RFC 2046 §5.1.1)

    /// Splits a multipart body into its parts (headers and content), ignoring preamble and epilogue. A part
    /// need not have headers: an empty body-part is valid here; `formData` adds the form-data rules.
    /// - Throws: `MultipartError` for the first rule the body breaks.
    public static func parts(
        of body: ArraySlice<UInt8>, boundary: String, limits: Limits = Limits()
    ) throws(MultipartError) -> [MultipartPart] {
        try validate(boundary: boundary)
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter: [UInt8] = [13, 10] + dashBoundary
        let end = body.endIndex
        // [preamble CRLF] dash-boundary: the first boundary starts the body or a line.
        var i: Int
        if body.starts(with: dashBoundary) {
            i = body.startIndex + dashBoundary.count
        } else if let found = firstIndex(of: delimiter, in: body, from: body.startIndex) {
            i = found + delimiter.count
        } else {
            throw .missingFirstBoundary
        }
        var parts: [MultipartPart] = []
        while true {
            // Just after a dash-boundary: "--" closes; otherwise transport-padding CRLF opens a part.
            if i < end && body[i] == UInt8(ascii: "-") {
                guard i + 1 < end else { throw .missingCloseDelimiter }
                guard body[i + 1] == UInt8(ascii: "-") else { throw .malformedBoundaryLine }
                guard !parts.isEmpty else { throw .noParts }
                i = skipTransportPadding(body, from: i + 2)
                // close-delimiter transport-padding [CRLF epilogue]: the epilogue is ignored.
                guard i == end || (i + 1 < end && body[i] == 13 && body[i + 1] == 10) else {
                    throw .malformedBoundaryLine
                }
                return parts
            }
            // RFC 2046 §5.1.1: "transport-padding := *LWSP-char ; … receivers MUST be able to handle padding
            // added by message transports."
            i = skipTransportPadding(body, from: i)
            guard i < end else { throw .missingCloseDelimiter }
            guard i + 1 < end, body[i] == 13, body[i + 1] == 10 else { throw .malformedBoundaryLine }
            i += 2
            // RFC 2046 §5.1.1: "the delimiter must not appear anywhere in the body part" — so the first
            // CRLF--boundary after the part's start ends it, whatever follows.
            guard let next = firstIndex(of: delimiter, in: body, from: i) else { throw .missingCloseDelimiter }
            guard parts.count < limits.maxParts else { throw .tooManyParts(limit: limits.maxParts) }
            parts.append(try part(body[i..<next], limits: limits))
            i = next + delimiter.count
        }
    }

    /// Parses a whole body held in an array.
    /// - Throws: `MultipartError` for the first rule the body breaks.
    public static func parts(
        of body: [UInt8], boundary: String, limits: Limits = Limits()
    ) throws(MultipartError) -> [MultipartPart] {
        try parts(of: body[...], boundary: boundary, limits: limits)
    }

    /// LWSP-char = SP / HTAB (RFC 822 §3.3).
    private static func skipTransportPadding(_ body: ArraySlice<UInt8>, from start: Int) -> Int {
        var i = start
        while i < body.endIndex && (body[i] == 32 || body[i] == 9) { i += 1 }
        return i
    }

    // MARK: - A body-part

    /// `body-part := MIME-part-headers [CRLF *OCTET]`: field lines ending in CRLF, an empty line, the content.
    /// An empty body-part has neither; header lines that run to the part's end without an empty line are
    /// accepted only when the last one ended in its own CRLF (then the content is empty).
    static func part(_ region: ArraySlice<UInt8>, limits: Limits) throws(MultipartError) -> MultipartPart {
        var fields: [(name: String, value: [UInt8])] = []
        var i = region.startIndex
        let end = region.endIndex
        var contentStart = end
        let headerLimit = region.startIndex + limits.maxHeaderBytes
        while i < end {
            // Only a CRLF that ends within the limit counts; the header section includes the empty line.
            guard let crlf = firstIndex(of: [13, 10], in: region, from: i, before: min(end, headerLimit)) else {
                if end > headerLimit { throw .partHeadersTooLarge(limit: limits.maxHeaderBytes) }
                throw .unterminatedPartHeaders
            }
            let line = region[i..<crlf]
            i = crlf + 2
            if line.isEmpty {
                contentStart = i
                break
            }
            if line.contains(13) || line.contains(10) { throw .invalidLineEnding }
            if line.first == 32 || line.first == 9 {
                // RFC 5322 §2.2.3: "Unfolding is accomplished by simply removing any CRLF that is immediately
                // followed by WSP."
                guard !fields.isEmpty else { throw .invalidPartHeader }
                fields[fields.count - 1].value += line
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[..<colon].allSatisfy({ $0 >= 33 && $0 <= 126 })
            else { throw .invalidPartHeader }
            fields.append((String(decoding: line[..<colon], as: UTF8.self), Array(line[(colon + 1)...])))
        }
        var headers = HTTPHeaders()
        for (name, raw) in fields {
            let value = raw[...].trimmingWhitespace()
            guard value.allSatisfy(HTTPGrammar.isFieldValueChar), let text = String(validating: value, as: UTF8.self)
            else { throw .invalidPartHeaderValue(name: name) }
            headers.add(name, text)
        }
        return MultipartPart(headers: headers, content: Array(region[contentStart..<end]))
    }

    // MARK: - Searching

    /// The index of the first occurrence of `needle` in `haystack[from..<before]` (the whole needle inside that
    /// range), or nil. Uses memchr/memcmp, so a 32 MiB body is searched quickly even in a debug build.
    static func firstIndex(
        of needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int, before: Int? = nil
    ) -> Int? {
        let limit = before ?? haystack.endIndex
        guard !needle.isEmpty, from >= haystack.startIndex, limit <= haystack.endIndex,
            limit - from >= needle.count
        else { return nil }
        return haystack.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let offset = haystack.startIndex
            var i = from - offset
            let last = limit - offset - needle.count  // the last start position that fits
            while i <= last {
                guard let hit = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
                i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if memcmp(base + i, needle, needle.count) == 0 { return i + offset }
                i += 1
            }
            return nil
        }
    }
}

extension ArraySlice<UInt8> {
    /// Without leading and trailing SP and HTAB.
    fileprivate func trimmingWhitespace() -> ArraySlice<UInt8> {
        var s = self
        while let f = s.first, f == 32 || f == 9 { s.removeFirst() }
        while let l = s.last, l == 32 || l == 9 { s.removeLast() }
        return s
    }
}
