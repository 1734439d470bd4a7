import Testing

@testable import FreshchatEmulator

/// Request bodies are parsed strictly (RFC 8259); responses keep attributes in the docs' order.
@Suite struct JSONParserTests {
    @Test func parse_KeepsKeyOrder_AndRoundTrips() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"k":"v\n\"q\""},"d":-1.5,"e":1e3,"u":"\u00e9\ud83d\ude00"}"#
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.keys == ["z", "a", "m", "d", "e", "u"])
        #expect(value["u"]?.stringValue == "é😀")
        #expect(value["e"] == .double(1000))
        #expect(try JSONParser.parse(value.serialized()) == value)
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "tru", "01", "1.", "\"\\x\"", "\"\u{01}\"", "{\"a\" 1}", "[1] [2]",
        "\"\\ud800\"", "NaN", "{'a':1}",
    ])
    func parse_RejectsMalformed(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    /// Strings without escapes take the parser's fast path; the result must not depend on which path read them.
    @Test(arguments: [
        ("\"plain\"", "plain"), ("\"é😀 ok\"", "é😀 ok"), ("\"before\\nafter\"", "before\nafter"),
        ("\"\\u00e9 then plain\"", "é then plain"), ("\"\"", ""),
    ])
    func parse_ReadsStrings_WithAndWithoutEscapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test func parse_RejectsInvalidUTF8_InAStringWithoutEscapes() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0x61, 0xC3, 0x22], [0x22, 0xC3, 0x5C, 0x6E, 0x22]] {
            #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(bytes) }
        }
    }

    @Test func parse_RejectsDeepNesting() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }

    @Test func integers_StayIntegers() throws {
        #expect(try JSONParser.parse("1775382926361") == .integer(1_775_382_926_361))
        #expect(try JSONParser.parse("-0") == .integer(0))
        #expect(JSONValue.integer(5).serialized() == "5")
        #expect(JSONValue.string("a\u{1}b").serialized() == #""a\u0001b""#)
    }

    // Strings without a character to escape are written as they are, the others escaped (RFC 8259 §7).
    @Test(arguments: [
        ("plain", #""plain""#), ("", #""""#), ("é 😀 ü", #""é 😀 ü""#), ("a\"b", #""a\"b""#),
        ("a\\b", #""a\\b""#), ("tab\there\n", #""tab\there\n""#), ("\u{1F}é", #""\u001fé""#),
        ("https://x.example/a?b=c&d=e", #""https://x.example/a?b=c&d=e""#),
        // Longer than a small string (15 UTF-8 bytes): kept in a buffer of its own, scanned there.
        ("a longer string whose last byte is a quote\"", #""a longer string whose last byte is a quote\"""#),
        ("a longer string with nothing to escape at all", #""a longer string with nothing to escape at all""#),
    ])
    func serialized_EscapesOnlyWhatRFC8259Requires(text: String, json: String) throws {
        #expect(JSONValue.string(text).serialized() == json)
        #expect(JSONValue.object(["k\"": .string(text)]).serialized() == #"{"k\"":"# + json + "}")
        #expect(try JSONParser.parse(json) == .string(text))
    }
}
