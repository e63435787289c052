/// Base64 (RFC 4648): the standard alphabet with padding, as HTTP Basic credentials use
/// (RFC 7617), and the 6-bit decoding both alphabets share (base64url lives in AuthMockCrypto).
public enum Base64 {
    /// The two RFC 4648 alphabets.
    public enum Alphabet: Sendable {
        /// `+` and `/` (§4).
        case standard
        /// `-` and `_` (§5).
        case url

        fileprivate var table: [UInt8] { self == .standard ? Base64.standardTable : Base64.urlTable }
    }

    private static func table(_ characters: String) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in characters.utf8.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }

    private static let standardTable = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    private static let urlTable = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// Decodes unpadded 6-bit groups strictly: `nil` for a character outside the alphabet or
    /// non-zero leftover bits (RFC 4648 §3.5), so each byte string has exactly one spelling.
    @inlinable  // specialized in the caller's module, so slices reach the buffer loop without generic dispatch
    public static func decodeGroups(_ input: some Collection<UInt8>, alphabet: Alphabet) -> [UInt8]? {
        if let decoded = input.withContiguousStorageIfAvailable({ decodeGroups($0, alphabet: alphabet) }) { return decoded }
        return Array(input).withUnsafeBufferPointer { decodeGroups($0, alphabet: alphabet) }
    }

    /// The loop over raw buffers: every JWT a request carries is decoded here (three segments per
    /// Connect request), and checked appends into an `Array` cost more than the decoding.
    @usableFromInline
    static func decodeGroups(_ input: UnsafeBufferPointer<UInt8>, alphabet: Alphabet) -> [UInt8]? {
        let outputCount = input.count * 6 / 8
        var valid = true
        let output = alphabet.table.withUnsafeBufferPointer { decodeTable in
            [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
                var accumulator: UInt32 = 0, bits: UInt32 = 0, written = 0
                for byte in input {
                    let value = decodeTable[Int(byte)]
                    guard value != 0xFF else {
                        valid = false
                        break
                    }
                    accumulator = accumulator << 6 | UInt32(value)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        buffer[written] = UInt8(truncatingIfNeeded: accumulator >> bits)
                        written += 1
                    }
                }
                if valid && accumulator & ((1 << bits) - 1) != 0 { valid = false }
                initialized = written
            }
        }
        return valid ? output : nil
    }

    /// The decoded bytes, or `nil` for anything but canonical padded base64.
    public static func decode(_ text: String) -> [UInt8]? { decode(Substring(text)) }

    /// ``decode(_:)-(String)`` of a part of a string (a header's value after its scheme), read in place.
    public static func decode(_ text: Substring) -> [UInt8]? {
        text.utf8.withContiguousStorageIfAvailable(decode(bytes:)) ?? Array(text.utf8).withUnsafeBufferPointer(decode(bytes:))
    }

    private static func decode(bytes input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard input.count % 4 == 0 else { return nil }
        var end = input.count
        while input.count - end < 2, end > 0, input[end - 1] == UInt8(ascii: "=") { end -= 1 }
        return decodeGroups(UnsafeBufferPointer(rebasing: input[..<end]), alphabet: .standard)
    }

    /// Standard padded base64 of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
