/// A multipart body as a client writes it (RFC 2046 §5.1.1): the preamble, then for each part `--boundary CRLF`,
/// its header lines (already joined with CRLF; none when empty), an empty line and its content, each part's content
/// followed by the CRLF of the next delimiter; then `--boundary--` and the epilogue.
func multipartBody(
    _ parts: [(headers: String, content: [UInt8])], boundary: String = MultipartTests.boundary,
    preamble: String = "", epilogue: String = "\r\n"
) -> [UInt8] {
    var out = bytes(preamble)
    for (index, part) in parts.enumerated() {
        out += bytes(index == 0 ? "--\(boundary)\r\n" : "\r\n--\(boundary)\r\n")
        out += bytes(part.headers.isEmpty ? "\r\n" : part.headers + "\r\n\r\n")
        out += part.content
    }
    out += bytes("\r\n--\(boundary)--" + epilogue)
    return out
}

/// `body` as a chunked transfer coding (RFC 9112 §7.1) in chunks of `size` octets.
func chunked(_ body: [UInt8], size: Int) -> [UInt8] {
    var out: [UInt8] = []
    var start = 0
    while start < body.count {
        let end = min(start + size, body.count)
        out += bytes(String(end - start, radix: 16) + "\r\n") + body[start..<end] + bytes("\r\n")
        start = end
    }
    return out + bytes("0\r\n\r\n")
}
