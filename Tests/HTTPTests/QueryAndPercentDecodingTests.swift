import Testing

@testable import HTTP

@Suite struct QueryAndPercentDecodingTests {
    private func query(_ target: String) -> [String] {
        Request(method: .get, target: target).query.map { "\($0.name)=\($0.value)" }
    }

    // RFC 3986 §3.4: the query is everything after the first "?"; the path is what comes before.
    @Test func request_SplitsPathAndQuery() {
        let r = Request(method: .get, target: "/v2/users?a=1&b=?x")
        #expect(r.path == "/v2/users")
        #expect(r.queryString == "a=1&b=?x")
        #expect(r.query["b"] == "?x")
        #expect(Request(method: .get, target: "/p").queryString == nil)
        #expect(Request(method: .get, target: "/p?").queryString == "")
        #expect(Request(method: .get, target: "/p?").query.items.isEmpty)
    }

    // HTML form encoding: "+" is a space in queries; "%2B" is a literal plus.
    @Test func query_DecodesPlusAsSpace_AndPercentEscapes() {
        #expect(query("/s?q=hello+world&plus=a%2Bb&n%61me=%E2%9C%93") == ["q=hello world", "plus=a+b", "name=✓"])
        #expect(query("/s?a+b=c+d") == ["a b=c d"])
    }

    // Repeated names keep every value in order; the subscript gives the first.
    @Test func query_KeepsRepeatedNamesInOrder() {
        let q = Request(method: .get, target: "/s?tag=a&x=1&tag=b&tag=").query
        #expect(q.values("tag") == ["a", "b", ""])
        #expect(q["tag"] == "a")
        #expect(q["missing"] == nil)
        #expect(q.values("missing") == [])
    }

    // A name without "=" has an empty value; empty items are skipped; only the first "=" separates.
    @Test func query_HandlesMissingValuesEmptyItemsAndExtraEquals() {
        #expect(query("/s?flag&&a=1=2&=v&") == ["flag=", "a=1=2", "=v"])
    }

    // A malformed escape in the query is kept verbatim rather than failing the request.
    @Test func query_KeepsMalformedEscapesVerbatim() {
        #expect(query("/s?a=%zz&b%=1&c=%E2%9C") == ["a=%zz", "b%=1", "c=%E2%9C"])
    }

    // RFC 3986 §2.1: every %XX for an ASCII byte (either case) decodes to that byte.
    @Test func percentDecoding_DecodesEveryASCIIEscape() {
        let hex = Array("0123456789abcdef".utf8)
        for b in UInt8(0)...UInt8(0x7F) {
            for upper in [false, true] {
                var escape = [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
                if upper { escape = escape.map { (0x61...0x66).contains($0) ? $0 - 0x20 : $0 } }
                let s = String(decoding: escape, as: UTF8.self)
                #expect(PercentDecoding.decode(s).map { Array($0.utf8) } == [b], "\(s)")
            }
        }
    }

    // RFC 3986 §2.1: "%" must be followed by two HEXDIG; each other byte after "%" is malformed (exhaustive).
    @Test func percentDecoding_RejectsNonHexAfterPercent() {
        for b in UInt8(0)...UInt8(0x7F) where !isHexDigit(b) {
            let first = String(decoding: [UInt8(ascii: "%"), b, UInt8(ascii: "0")], as: UTF8.self)
            let second = String(decoding: [UInt8(ascii: "%"), UInt8(ascii: "0"), b], as: UTF8.self)
            #expect(PercentDecoding.decode(first) == nil, "byte \(b)")
            #expect(PercentDecoding.decode(second) == nil, "byte \(b)")
        }
        #expect(PercentDecoding.decode("abc%") == nil)
        #expect(PercentDecoding.decode("abc%4") == nil)
    }

    // Decoded bytes must form UTF-8 (lone continuation bytes, truncated or overlong sequences are refused).
    @Test(arguments: ["%80", "%FF", "%C3", "%E2%9C", "%C0%AF", "%ED%A0%80"])
    func percentDecoding_RejectsInvalidUTF8(s: String) {
        #expect(PercentDecoding.decode(s) == nil)
    }

    // "+" is a space only when asked (queries), never in paths.
    @Test func percentDecoding_PlusAsSpaceIsOptIn() {
        #expect(PercentDecoding.decode("a+b") == "a+b")
        #expect(PercentDecoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a%2Bb", plusAsSpace: true) == "a+b")
    }

    // encodeQueryComponent leaves RFC 3986 unreserved characters and encodes the rest; decoding round-trips.
    @Test func percentEncoding_RoundTripsEveryASCIICharacter() {
        let all = String(decoding: Array(UInt8(1)...UInt8(0x7F)), as: UTF8.self) + " Zoë ✓ &=+%"
        let encoded = PercentDecoding.encodeQueryComponent(all)
        #expect(PercentDecoding.decode(encoded, plusAsSpace: true) == all)
        for b in encoded.utf8 {
            #expect(
                isTchar(b) || b == UInt8(ascii: "%") || b == UInt8(ascii: ":") || b == UInt8(ascii: "@"), "byte \(b)")
            #expect(![UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "#")].contains(b))
        }
        #expect(PercentDecoding.encodeQueryComponent("a b&c") == "a%20b%26c")
    }

    // Text with nothing to decode comes back as it is, whatever its kind of string (a plus is a plus outside queries).
    @Test func decode_GivesTextWithoutEscapesAsItIs() {
        let long = "a-segment-long-enough-not-to-be-a-small-string+plus"
        #expect(PercentDecoding.decode(long) == long)
        #expect(PercentDecoding.decode(long.dropFirst(2)) == String(long.dropFirst(2)))
        #expect(
            PercentDecoding.decode(long, plusAsSpace: true) == "a-segment-long-enough-not-to-be-a-small-string plus")
        #expect(PercentDecoding.decode("u-1") == "u-1")
        #expect(PercentDecoding.decode("Zoë ✓") == "Zoë ✓")
    }
}
