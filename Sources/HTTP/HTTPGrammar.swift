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

    /// 1*DIGIT without sign or whitespace, rejecting values that overflow.
    static func parseDecimal(_ s: some StringProtocol) -> Int? {
        guard !s.isEmpty, s.utf8.count <= 18, s.utf8.allSatisfy(isDigit) else { return nil }
        return Int(s)
    }

    /// Host = uri-host [ ":" port ] (RFC 9110 §7.2): no whitespace, no controls, no userinfo or path.
    static func isValidHost(_ host: String) -> Bool {
        host.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "@") }
    }
}
