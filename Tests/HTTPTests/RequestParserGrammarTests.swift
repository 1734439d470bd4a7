import Testing

@testable import HTTP

@Suite struct RequestParserGrammarTests {
    private func withField(_ line: [UInt8]) -> [UInt8] {
        bytes("GET / HTTP/1.1\r\nHost: h\r\n") + line + bytes("\r\n\r\n")
    }

    // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS — surrounding OWS is not part of the value.
    @Test func parser_TrimsOptionalWhitespaceAroundValue() {
        let r = expectRequest("GET / HTTP/1.1\r\nHost: h\r\nA:v\r\nB: \t v w \t \r\nC:\r\nD: \r\n\r\n")
        #expect(r?.headers == ["Host: h", "A: v", "B: v w", "C: ", "D: "])
    }

    // RFC 9110 §5.1: field names are case-insensitive; duplicates are kept in order.
    @Test func parser_KeepsFieldOrderAndDuplicates() {
        let r = expectRequest("GET / HTTP/1.1\r\nhOsT: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n")
        #expect(r?.headers == ["hOsT: h", "X-A: 1", "x-a: 2"])
    }

    // RFC 9110 §5.5: a value may contain colons (only the first colon separates name and value).
    @Test func parser_SplitsFieldLineAtFirstColon() {
        #expect(
            expectRequest("GET / HTTP/1.1\r\nHost: h:1\r\nX: a:b: c\r\n\r\n")?.headers == ["Host: h:1", "X: a:b: c"])
    }

    // RFC 9112 §5.1: "No whitespace is allowed between the field name and colon … MUST reject … with 400".
    @Test(arguments: ["X : v", "X\t: v", "Host :h", "X  : v"])
    func parser_Rejects_WhitespaceBeforeColon(line: String) {
        expectRejects(withField(bytes(line)), .whitespaceBeforeColon, status: 400)
    }

    // RFC 9112 §5.2: obs-fold (a field line starting with SP/HTAB) → 400 (this server rejects, never unfolds).
    @Test(arguments: ["X: a\r\n b", "X: a\r\n\tb", "X: a\r\n   "])
    func parser_Rejects_ObsoleteLineFolding(lines: String) {
        expectRejects(withField(bytes(lines)), .obsoleteLineFolding, status: 400)
    }

    // RFC 9112 §2.2: whitespace between the start-line and the first field line → reject.
    @Test func parser_Rejects_WhitespaceBeforeFirstField() {
        expectRejects("GET / HTTP/1.1\r\n Host: h\r\n\r\n", .obsoleteLineFolding, status: 400)
    }

    // RFC 9112 §2.2: "A recipient of such a bare CR MUST consider that element to be invalid" → 400.
    @Test(arguments: ["X: a\rb", "X\r: b", "\rX: b", "X: b\r\r"])
    func parser_Rejects_BareCR(line: String) {
        expectRejects(withField(bytes(line)), .bareCarriageReturn, status: 400)
    }

    // RFC 9110 §5.1: a field line without a colon, or with an empty name, is invalid → 400.
    @Test(arguments: ["NoColon", ": value", "X Y: v", "X\u{0}: v", "\u{7F}: v", "Ä: v", "X\"Y: v", "{X}: v"])
    func parser_Rejects_InvalidFieldName(line: String) {
        expectRejects(withField(bytes(line)), .invalidHeaderName, status: 400)
    }

    // RFC 9110 §5.1: field-name = token — every byte of a name is allowed iff it is a tchar (exhaustive).
    // ":" ends the name and CR/LF end the line, so those three are checked by the dedicated tests.
    @Test func parser_AcceptsFieldNameByte_IffTchar() {
        for b in UInt8.min...UInt8.max where b != 0x3A && b != 0x0A && b != 0x0D {
            let got = framed(feed([withField([0x58, b, 0x59] + bytes(": v"))[...]]))
            if isTchar(b) {
                #expect(got.count == 1 && got.first?.request?.headers.last?.utf8.count == 6, "byte \(b): \(got)")
            } else {
                #expect(got == [.failure(.invalidHeaderName)], "byte \(b): \(got)")
            }
        }
    }

    // RFC 9110 §5.5: field-value bytes are HTAB, SP, VCHAR or obs-text; other controls → 400 (exhaustive).
    // LF ends the line and CR must precede LF; both are checked by their own tests.
    @Test func parser_AcceptsFieldValueByte_IffFieldVcharSpHtabOrObsText() {
        for b in UInt8.min...UInt8.max where b != 0x0A && b != 0x0D {
            let got = framed(feed([withField(bytes("X: a") + [b] + bytes("b"))[...]]))
            if isFieldValueByte(b) {
                #expect(got.count == 1 && got.first?.request != nil, "byte \(b): \(got)")
                if b < 0x80 {
                    #expect(got.first?.request?.headers.last == "X: a\(Character(Unicode.Scalar(b)))b", "byte \(b)")
                }
            } else {
                #expect(got == [.failure(.invalidHeaderValue(name: "X"))], "byte \(b): \(got)")
            }
        }
    }

    // RFC 9110 §5.5: the check is on the whole value, including its first and last byte and NUL.
    @Test(arguments: ["X: \u{0}", "X: v\u{1F}", "X: \u{7F}v", "X:\u{0B}v", "X: \u{1B}[31m"])
    func parser_Rejects_ControlCharactersInValue(line: String) {
        expectRejects(withField(bytes(line)), .invalidHeaderValue(name: "X"), status: 400)
    }

    // RFC 9110 §5.5: obs-text (0x80–0xFF) is accepted in values (e.g. raw UTF-8).
    @Test func parser_Accepts_ObsTextInValue() {
        #expect(expectRequest("GET / HTTP/1.1\r\nHost: h\r\nX-Name: Zoë ✓\r\n\r\n")?.headers.last == "X-Name: Zoë ✓")
    }

    // RFC 9110 §5.6.2: HTTPGrammar.isTokenChar agrees with tchar for every byte.
    @Test func grammar_TokenChar_MatchesTcharForAllBytes() {
        for b in UInt8.min...UInt8.max {
            #expect(HTTPGrammar.isTokenChar(b) == isTchar(b), "byte \(b)")
        }
    }

    // RFC 9110 §5.5: HTTPGrammar.isFieldValueChar agrees with field-vchar / SP / HTAB / obs-text.
    @Test func grammar_FieldValueChar_MatchesRFCForAllBytes() {
        for b in UInt8.min...UInt8.max {
            #expect(HTTPGrammar.isFieldValueChar(b) == isFieldValueByte(b), "byte \(b)")
        }
    }

    // RFC 9110 §8.6: Content-Length = 1*DIGIT — HTTPGrammar.parseDecimal accepts digits only and never overflows.
    @Test func grammar_ParseDecimal() {
        #expect(HTTPGrammar.parseDecimal("0") == 0)
        #expect(HTTPGrammar.parseDecimal("0042") == 42)
        #expect(HTTPGrammar.parseDecimal("9223372036854775807") == Int.max)
        #expect(HTTPGrammar.parseDecimal("9223372036854775808") == nil)
        #expect(HTTPGrammar.parseDecimal("18446744073709551626") == nil)
        for s in ["", "+1", "-1", " 1", "1 ", "1e3", "0x1", "١"] {
            #expect(HTTPGrammar.parseDecimal(s) == nil, "\(s.debugDescription)")
        }
        for b in UInt8.min...UInt8.max {
            let s = String(decoding: [b], as: UTF8.self)
            #expect((HTTPGrammar.parseDecimal(s) != nil) == (0x30...0x39).contains(b), "byte \(b)")
        }
    }
}
