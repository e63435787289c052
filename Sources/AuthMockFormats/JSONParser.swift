extension JSONValue {
    /// The deepest nesting of arrays and objects a document may have; deeper input is refused
    /// rather than risking the stack.
    public static let maximumDepth = 256

    /// Parses one JSON document (RFC 8259) strictly: no comments, no trailing commas, no
    /// duplicate member names, no unescaped control characters, no lone surrogates, nothing but
    /// white space after the value.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue { try parse(Array(bytes)) }

    /// ``parse(_:)`` for an array: the concrete entry point, so callers in other modules (JWT
    /// decoding on every Connect request) need no generic dispatch.
    public static func parse(_ array: [UInt8]) throws(JSONParseError) -> JSONValue {
        do {
            return try array.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(buffer)
                return try parser.parseDocument()
            }
        } catch let error as JSONParseError {
            throw error
        } catch {
            fatalError("JSONParser throws JSONParseError only")
        }
    }

    /// Parses a JSON document held in a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("unexpected characters after the JSON value") }
        return value
    }

    private mutating func parseValue() throws -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input; expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try nested { try $0.parseObject() }
        case UInt8(ascii: "["): return try nested { try $0.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character \(describe(bytes[index])); expected a value")
        }
    }

    private mutating func nested(_ body: (inout JSONParser) throws -> JSONValue) throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONValue.maximumDepth { throw error("nesting deeper than \(JSONValue.maximumDepth) levels") }
        return try body(&self)
    }

    private mutating func parseObject() throws -> JSONValue {
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(object) }
        // Most objects parsed per request (JWT headers and claims, request bodies) are small:
        // room for eight saves the three or four reallocations of growing from one.
        object.reserveCapacity(8)
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a member name in double quotes")
            }
            let keyOffset = index
            let key = try parseString()
            if object.contains(key) { throw error("duplicate member name \"\(key)\"", at: keyOffset) }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw error("expected ':' after member name") }
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .object(object) }
            guard consume(UInt8(ascii: ",")) else { throw error("expected ',' or '}' in object") }
        }
    }

    private mutating func parseArray() throws -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            guard consume(UInt8(ascii: ",")) else { throw error("expected ',' or ']' in array") }
        }
    }

    /// Strings without escapes (nearly all of them) decode in one step from the raw bytes;
    /// escapes switch to a byte buffer that is decoded once at the end.
    private mutating func parseString() throws -> String {
        index += 1  // opening quote
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try decodeUTF8(start..<index)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(prefix: start..<index) }
            if byte < 0x20 { throw error("unescaped control character \(describe(byte)) in string") }
            index += 1
        }
        throw error("unterminated string")
    }

    private mutating func parseEscapedString(prefix: Range<Int>) throws -> String {
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[prefix]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else { throw error("invalid UTF-8 in string", at: prefix.lowerBound) }
                return text
            }
            if byte == UInt8(ascii: "\\") {
                buffer.append(contentsOf: String(try parseEscape()).utf8)
                continue
            }
            if byte < 0x20 { throw error("unescaped control character \(describe(byte)) in string") }
            buffer.append(byte)
            index += 1
        }
        throw error("unterminated string")
    }

    private func decodeUTF8(_ range: Range<Int>) throws -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        // ASCII needs no validation; anything else must be well-formed UTF-8.
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8 in string", at: range.lowerBound) }
        return text
    }

    private mutating func parseEscape() throws -> Unicode.Scalar {
        index += 1
        guard index < bytes.count else { throw error("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): return try parseUnicodeEscape()
        default: throw error("invalid escape \\\(describe(byte))", at: index - 2)
        }
    }

    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let start = index - 2
        let first = try parseHex4()
        if (0xD800...0xDBFF).contains(first) {
            guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else {
                throw error("lone high surrogate in \\u escape", at: start)
            }
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw error("invalid surrogate pair", at: start) }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(first) else { throw error("lone low surrogate in \\u escape", at: start) }
        return scalar
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigitValue(bytes[index]) else { throw error("invalid hex digit in \\u escape") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("leading zeros are not allowed", at: start) }
        } else {
            skipDigits()
        }
        var isInteger = true
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in exponent") }
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let int = Int(text) { return .int(int) }
        guard let double = Double(text), double.isFinite else { throw error("number out of range", at: start) }
        return .double(double)
    }

    private mutating func expectLiteral(_ literal: String) throws {
        let expected = Array(literal.utf8)
        let count = expected.count
        let matches = index + count <= bytes.count
            && (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        guard matches else { throw error("invalid literal; expected \(literal)") }
        index += count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() { while index < bytes.count, isDigit(bytes[index]) { index += 1 } }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16)
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let position = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<position where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return JSONParseError(message: message, offset: position, line: line, column: position - lineStart + 1)
    }
}

/// The value of an ASCII hex digit, or `nil`.
public func hexDigitValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}
