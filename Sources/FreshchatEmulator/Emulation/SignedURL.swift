import HTTP

/// URLs the emulator hands out for files it serves without a bearer token (uploaded images, report CSVs), like
/// pre-signed URLs (docs L2765, L3842): an unguessable token in the path is the only credential.
enum SignedURL {
    /// 128 bits from the system's cryptographic generator, as 32 hex digits — never from the (possibly seeded)
    /// id generator, whose ids can be guessed.
    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(generator.next()) + hex(generator.next())
    }

    /// `http://` and the request's Host (RFC 9110 §7.2: "the Host header field … provides the host and port
    /// information from the target URI"), so the URLs work for whoever asked, at whatever address or port they
    /// reached the emulator. Without a usable Host (HTTP/1.0) the configured host and port are used.
    static func baseURL(_ request: Request, config: Config) -> String {
        if let host = request.headers["Host"], !host.isEmpty,
            host.utf8.allSatisfy({ $0 > 32 && $0 < 127 && !"/?#@\\\"".utf8.contains($0) })
        {
            return "http://\(host)"
        }
        let host = config.host.contains(":") ? "[\(config.host)]" : config.host
        return "http://\(host):\(config.port)"
    }
}
