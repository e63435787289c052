extension JSONValue {
    /// Compact UTF-8 JSON: no insignificant white space, members in order, `/` not escaped,
    /// non-ASCII written as UTF-8, control characters as `\u00XX` (or their short escapes).
    public var serializedBytes: [UInt8] {
        var output: [UInt8] = []
        // A REST representation is a few hundred bytes: room for one up front spares the copies of
        // growing from a small buffer.
        output.reserveCapacity(512)
        write(to: &output)
        return output
    }

    /// The compact serialization as a string.
    public var serialized: String { String(decoding: serializedBytes, as: UTF8.self) }

    func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let b): output.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): output.append(contentsOf: String(i).utf8)
        case .double(let d): output.append(contentsOf: Self.format(d).utf8)
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

    private static func writeString(_ s: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var s = s
        // Runs of bytes that need no escape are copied whole (most strings are one such run).
        s.withUTF8 { bytes in
            var runStart = 0
            for (offset, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                appendEscaped(byte, to: &output)
                runStart = offset + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
        case 0x0A: output.append(contentsOf: "\\n".utf8)
        case 0x0D: output.append(contentsOf: "\\r".utf8)
        case 0x09: output.append(contentsOf: "\\t".utf8)
        case 0x08: output.append(contentsOf: "\\b".utf8)
        case 0x0C: output.append(contentsOf: "\\f".utf8)
        default:
            output.append(contentsOf: "\\u00".utf8)
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
