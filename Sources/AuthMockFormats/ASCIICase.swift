extension String {
    /// Equal but for the case of ASCII letters (`Content-Type` and `content-type`; other bytes
    /// must match exactly). Lengths are compared first: they are stored for native strings, and
    /// most names differ in length.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { $0 == $1 || Self.asciiLower($0) == Self.asciiLower($1) }
    }

    @inline(__always) private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
