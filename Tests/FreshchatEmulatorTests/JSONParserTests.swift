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
}
