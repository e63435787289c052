extension JSONValue {
    /// Compact UTF-8 JSON: no insignificant white space, members in order, `/` not escaped,
    /// non-ASCII written as UTF-8, control characters as `\u00XX` (or their short escapes).
    public var serializedBytes: [UInt8] {
        // A REST representation is a few hundred bytes: room for one up front spares the copies of
        // growing from a small buffer.
        var output = ByteWriter(capacity: 512)
        write(to: &output)
        return output.bytes
    }

    /// The compact serialization as a string.
    public var serialized: String { String(decoding: serializedBytes, as: UTF8.self) }

    /// Appends the compact serialization to `output`.
    public func write(to output: inout ByteWriter) {
        switch self {
        case .null: output.append(utf8: "null")
        case .bool(let b): output.append(utf8: b ? "true" : "false")
        case .int(let i): output.append(decimal: i)
        case .double(let d): output.append(utf8: Self.format(d))
        case .string(let s): Self.writeString(s, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            // Through the buffer, elements and members are borrowed rather than copied: a copy
            // retains every string and nested value it holds, once per node of every response.
            elements.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    elements[index].write(to: &output)
                }
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            object.members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    Self.writeString(members[index].key, to: &output)
                    output.append(UInt8(ascii: ":"))
                    members[index].value.write(to: &output)
                }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Whole doubles print without a fraction (`3.0` as `3`), as JavaScript does.
    private static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if abs(d) < 1e15, let whole = Int(exactly: d) { return String(whole) }
        return String(d)
    }

    private static func writeString(_ s: String, to output: inout ByteWriter) {
        output.append(UInt8(ascii: "\""))
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { writeEscaping($0, to: &output) }
        if done == nil {
            var copy = s
            copy.withUTF8 { writeEscaping($0, to: &output) }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Copies `bytes`, escaping what JSON requires. Runs that need no escape are copied whole
    /// (most strings are one such run), found eight bytes at a time.
    private static func writeEscaping(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout ByteWriter) {
        guard let base = bytes.baseAddress else { return }
        var runStart = 0, index = 0
        func step() {
            if needsEscape(base[index]) {
                output.append(UnsafeBufferPointer(start: base + runStart, count: index - runStart))
                appendEscaped(base[index], to: &output)
                runStart = index + 1
            }
            index += 1
        }
        while index + 8 <= bytes.count {
            let word = ByteWords.word(base, at: index)
            if ByteWords.hasByte(below: 0x20, in: word) || ByteWords.hasByte(UInt8(ascii: "\""), in: word)
                || ByteWords.hasByte(UInt8(ascii: "\\"), in: word) {
                for _ in 0..<8 { step() }
            } else {
                index += 8
            }
        }
        while index < bytes.count { step() }
        output.append(UnsafeBufferPointer(start: base + runStart, count: bytes.count - runStart))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout ByteWriter) {
        switch byte {
        case UInt8(ascii: "\""): output.append(utf8: "\\\"")
        case UInt8(ascii: "\\"): output.append(utf8: "\\\\")
        case 0x0A: output.append(utf8: "\\n")
        case 0x0D: output.append(utf8: "\\r")
        case 0x09: output.append(utf8: "\\t")
        case 0x08: output.append(utf8: "\\b")
        case 0x0C: output.append(utf8: "\\f")
        default:
            output.append(utf8: "\\u00")
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
