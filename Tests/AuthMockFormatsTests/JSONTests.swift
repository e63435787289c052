import Testing
@testable import AuthMockFormats

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"s":"a\"b\\c\/d\u00e9\ud83d\ude00","i":-12,"d":1.5e3,"t":true,"f":false,"n":null,"a":[1,[]],"o":{}} "#)
        #expect(value["s"] == "a\"b\\c/dé😀")
        #expect(value["i"] == -12)
        #expect(value["d"] == .double(1500))
        #expect(value["t"] == true && value["f"] == false && value["n"] == .null)
        #expect(value["a"] == [1, []])
        #expect(value["o"]?.objectValue?.isEmpty == true)
        #expect(value.objectValue?.keys == ["s", "i", "d", "t", "f", "n", "a", "o"])
    }

    @Test(arguments: [
        ("{\"a\":1,}", "expected a member name"),
        ("[1,]", "unexpected character ']'"),
        ("{\"a\":1,\"a\":2}", "duplicate member name \"a\""),
        ("01", "leading zeros"),
        ("\"a\u{01}\"", "unescaped control character"),
        ("\"\\ud800\"", "lone high surrogate"),
        ("\"\\udc00\"", "lone low surrogate"),
        ("\"\\x\"", "invalid escape"),
        ("tru", "invalid literal"),
        ("1 2", "unexpected characters after"),
        ("", "unexpected end of input"),
        ("// comment\n1", "unexpected character '/'"),
        ("NaN", "unexpected character 'N'"),
        ("1e999", "number out of range"),
        ("\"abc", "unterminated string"),
        ("{'a':1}", "expected a member name"),
        ("[1 2]", "expected ',' or ']'"),
        ("-", "expected a digit"),
        ("1.", "expected a digit after '.'"),
    ])
    func refusesInvalidJSON(text: String, message: String) {
        #expect {
            try JSONValue.parse(text)
        } throws: { error in
            (error as? JSONParseError)?.message.contains(message) == true
        }
    }

    @Test func reportsLineAndColumn() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse("{\n  \"a\": 1,\n  \"b\" 2\n}") }
        #expect(error?.line == 3)
        #expect(error?.column == 7)
        #expect(error?.description == "line 3, column 7: expected ':' after member name")
    }

    @Test func refusesInvalidUTF8AndExcessiveNesting() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 300) + String(repeating: "]", count: 300)) }
        #expect(throws: Never.self) { try JSONValue.parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) }
    }
}

@Suite struct JSONSerializerTests {
    @Test func serializesCompactlyInInsertionOrder() {
        let value: JSONValue = ["statusCode": 403, "message": "No \"access\"\n", "data": ["authorized": false, "valid": true], "ratio": 0.25, "whole": 3.0, "none": nil]
        #expect(value.serialized == #"{"statusCode":403,"message":"No \"access\"\n","data":{"authorized":false,"valid":true},"ratio":0.25,"whole":3,"none":null}"#)
    }

    @Test func escapesControlCharactersAndKeepsUnicode() {
        #expect(JSONValue.string("a\u{01}b/é\t").serialized == "\"a\\u0001b/é\\t\"")
    }

    /// Escapes are found eight bytes at a time, so each needs testing at every place in a word,
    /// past a word's end, and in the tail of a string whose length is not a multiple of eight.
    @Test func escapesAtEveryPositionOfAWord() throws {
        for length in 0..<20 {
            for position in 0..<max(length, 1) {
                for special in ["\"", "\\", "\n", "\u{1F}", "\u{00}"] {
                    var characters = Array(repeating: "x", count: length)
                    if length > 0 { characters[position] = special }
                    let text = characters.joined()
                    let serialized = JSONValue.string(text).serialized
                    #expect(try JSONValue.parse(serialized) == .string(text), "\(length), \(position)")
                    #expect(!serialized.utf8.dropFirst().dropLast().contains { $0 < 0x20 })
                }
            }
        }
        // Bytes over 0x7F are never escaped, whatever their neighbours.
        #expect(JSONValue.string("ééééé\"é").serialized == "\"ééééé\\\"é\"")
    }

    @Test func writesIntegersAndGrowsPastItsFirstCapacity() {
        let numbers: [JSONValue] = [0, 7, -7, 10, 1_000_000, .int(Int.max), .int(Int.min)]
        #expect(JSONValue.array(numbers).serialized == "[0,7,-7,10,1000000,\(Int.max),\(Int.min)]")
        let long = String(repeating: "abcdefgh", count: 200)
        #expect(JSONValue.array([.string(long), .string(long)]).serialized == "[\"\(long)\",\"\(long)\"]")
    }

    @Test func roundTrips() throws {
        let text = #"{"b":[1,2.5,"x",{"y":null}],"a":true}"#
        #expect(try JSONValue.parse(text).serialized == text)
    }

    @Test func objectEditingKeepsOrder() {
        var object = JSONObject([("a", 1), ("b", 2)])
        object["c"] = 3
        object["a"] = 9
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(JSONValue.object(object).serialized == #"{"a":9,"c":3}"#)
        #expect(object == JSONObject([("c", 3), ("a", 9)]))
    }

    @Test func aRepeatedNameKeepsItsFirstPlaceAndLastValue() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(JSONValue.object(object).serialized == #"{"a":3,"b":2}"#)
        // Names of the same length that differ are distinct; a repeat far down is still found.
        let many = JSONObject([("ab", 1), ("cd", 2), ("ef", 3), ("gh", 4), ("cd", 5)])
        #expect(many.keys == ["ab", "cd", "ef", "gh"] && many["cd"] == 5)
    }
}

@Suite struct Base64Tests {
    /// RFC 4648 §10.
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
        // A part of a larger string (a header value after its scheme) decodes in place alike.
        let header = "Basic " + encoded
        #expect(Base64.decode(header[header.index(header.startIndex, offsetBy: 6)...]) == Array(plain.utf8))
    }

    @Test(arguments: ["Zg", "Zg=", "Z===", "Zm9v YmFy", "Zm9_", "Zh==", "====" ])
    func refusesNonCanonicalText(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
