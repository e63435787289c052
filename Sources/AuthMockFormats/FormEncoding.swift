/// `application/x-www-form-urlencoded` decoding (WHATWG URL §5.1), as Python's `parse_qsl` with
/// `keep_blank_values=True` does it: `&`-separated, empty pieces skipped, `+` is a space, `%XX`
/// decoded (invalid UTF-8 becomes U+FFFD), a malformed `%` kept literally.
public enum FormDecoding {
    /// The name-value pairs in order; a piece without `=` has an empty value.
    public static func pairs(_ query: String) -> [(String, String)] {
        guard !query.isEmpty else { return [] }
        // Split on UTF-8 bytes: every request's query passes through here, and Character-wise
        // splitting costs several times more.
        var result: [(String, String)] = []
        let utf8 = query.utf8
        for piece in utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else {
                result.append((decode(Substring(piece)), ""))
                continue
            }
            result.append((decode(Substring(piece[..<equals])), decode(Substring(piece[utf8.index(after: equals)...]))))
        }
        return result
    }

    /// Decodes one form component.
    public static func decode(_ component: Substring) -> String {
        let utf8 = component.utf8
        if !component.containsUTF8Byte(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) { return String(component) }
        let bytes = Array(utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexDigitValue(bytes[index + 1]), let low = hexDigitValue(bytes[index + 2]) {
                output.append(UInt8(high << 4 | low))
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Percent-encoding (RFC 3986 §2.1).
public enum PercentEncoding {
    /// RFC 3986 percent-encoding of every byte but the unreserved `A-Z a-z 0-9 - . _ ~`.
    public static func encodeUnreserved(_ text: String) -> String {
        var output: [UInt8] = []
        appendUnreserved(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `name=value&…` with both sides percent-encoded: a query string or a form body.
    public static func encodePairs(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encodeUnreserved($0.0))=\(encodeUnreserved($0.1))" }.joined(separator: "&")
    }

    /// ``encodeUnreserved(_:)`` appended to a byte buffer, for callers building larger texts.
    public static func appendUnreserved(_ text: String, to output: inout [UInt8]) {
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(upperHex[Int(byte >> 4)])
                output.append(upperHex[Int(byte & 0x0F)])
            }
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// Decodes `%XX` sequences (no `+` handling); `nil` when a `%` is not followed by two hex
    /// digits or the result is not UTF-8, so a malformed request path can be refused.
    public static func decodeStrictly(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hexDigitValue(bytes[index + 1]), let low = hexDigitValue(bytes[index + 2]) else { return nil }
                output.append(UInt8(high << 4 | low))
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(validating: output, as: UTF8.self)
    }
}

extension String {
    /// The string with every `target` character replaced by `replacement`.
    public func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        output.reserveCapacity(count)
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}
