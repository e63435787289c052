import AuthMockFormats

/// Base64url without padding (RFC 4648 §5, as JWS requires in RFC 7515 §2), decoded strictly:
/// padding, white space, the standard alphabet's `+` and `/`, an impossible length or non-zero
/// trailing bits are all refused, so one token has exactly one spelling.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes bytes as unpadded base64url text.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encodeToBytes(bytes), as: UTF8.self)
    }

    /// Encodes bytes as unpadded base64url ASCII bytes.
    public static func encodeToBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int((chunk >> UInt32(shift)) & 0x3F)]) }
            index += 3
        }
        let remaining = input.count - index
        if remaining > 0 {
            var chunk = UInt32(input[index]) << 16
            if remaining == 2 { chunk |= UInt32(input[index + 1]) << 8 }
            let characters = remaining + 1
            for shift in [18, 12, 6].prefix(characters) { output.append(alphabet[Int((chunk >> UInt32(shift)) & 0x3F)]) }
        }
        return output
    }

    /// Decodes unpadded base64url, or returns `nil` for anything that is not its one canonical spelling.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(bytes: Array(text.utf8))
    }

    /// Decodes unpadded base64url ASCII bytes strictly; `nil` when refused.
    public static func decode(bytes input: some Collection<UInt8>) -> [UInt8]? {
        guard input.count % 4 != 1 else { return nil }
        return Base64.decodeGroups(input, alphabet: .url)
    }
}
