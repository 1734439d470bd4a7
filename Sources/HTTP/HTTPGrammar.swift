/// Character classes of RFC 9110 §5.6 used by the parser.
enum HTTPGrammar {
    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// field-vchar / SP / HTAB, with obs-text (0x80–0xFF) allowed (RFC 9110 §5.5).
    static func isFieldValueChar(_ b: UInt8) -> Bool {
        b == 9 || (b >= 32 && b != 127)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// 1*DIGIT without sign or whitespace, rejecting values that overflow `Int` (leading zeros are fine).
    static func parseDecimal(_ s: some StringProtocol) -> Int? {
        guard !s.isEmpty else { return nil }
        var value = 0
        for b in s.utf8 {
            guard isDigit(b) else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int(b - 48))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), where chunk-ext-name is a
    /// token and chunk-ext-val is a token or a quoted-string (RFC 9112 §7.1.1, RFC 9110 §5.6.4).
    static func isChunkExtensions(_ ext: ArraySlice<UInt8>) -> Bool {
        var i = ext.startIndex
        let end = ext.endIndex
        func skipWhitespace() { while i < end && (ext[i] == 32 || ext[i] == 9) { i += 1 } }
        func skipToken() -> Bool {
            let start = i
            while i < end && isTokenChar(ext[i]) { i += 1 }
            return i > start
        }
        while i < end {
            skipWhitespace()
            guard i < end, ext[i] == UInt8(ascii: ";") else { return false }
            i += 1
            skipWhitespace()
            guard skipToken() else { return false }
            let afterName = i
            skipWhitespace()
            guard i < end, ext[i] == UInt8(ascii: "=") else {
                i = afterName
                continue
            }
            i += 1
            skipWhitespace()
            guard i < end else { return false }
            if ext[i] == UInt8(ascii: "\"") {
                guard let close = quotedStringEnd(ext, from: i) else { return false }
                i = close
            } else if !skipToken() {
                return false
            }
        }
        return true
    }

    /// The index just after the quoted-string starting at `start` (a DQUOTE), or nil when it is malformed:
    /// quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4).
    static func quotedStringEnd(_ s: ArraySlice<UInt8>, from start: Int) -> Int? {
        var i = start + 1
        while i < s.endIndex {
            let b = s[i]
            if b == UInt8(ascii: "\"") { return i + 1 }
            if b == UInt8(ascii: "\\") {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                guard i + 1 < s.endIndex, isFieldValueChar(s[i + 1]) else { return nil }
                i += 2
                continue
            }
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            guard isFieldValueChar(b) else { return nil }
            i += 1
        }
        return nil
    }

    /// The non-alphanumeric characters a Host value may hold: unreserved, "%", sub-delims, ":", "[" and "]".
    private static let hostPunctuation: [UInt8] = Array("-._~%!$&'()*+,;=:[]".utf8)

    /// Host = uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2): only the characters of reg-name,
    /// IP-literal and port. No whitespace, controls, userinfo ("@"), path ("/"), query ("?") or fragment
    /// ("#"). Empty is valid (no authority).
    static func isValidHost(_ host: String) -> Bool {
        host.utf8.allSatisfy { b in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return hostPunctuation.contains(b)
            }
        }
    }
}
