import AuthMockFormats

extension String {
    /// Equal when lower-cased. ASCII text (every email in practice) is compared byte by byte
    /// without building lower-cased copies: basic auth compares the email with each user's.
    func equalsIgnoringCase(_ other: String) -> Bool {
        guard !containsUTF8Byte(where: { $0 >= 0x80 }) && !other.containsUTF8Byte(where: { $0 >= 0x80 }) else { return lowercased() == other.lowercased() }
        return equalsIgnoringASCIICase(other)
    }
}
