extension String {
    /// Equal when lower-cased. ASCII text (every email in practice) is compared byte by byte
    /// without building lower-cased copies: basic auth compares the email with each user's.
    func equalsIgnoringCase(_ other: String) -> Bool {
        var a = self, b = other
        let ascii = a.withUTF8 { $0.allSatisfy { $0 < 0x80 } } && b.withUTF8 { $0.allSatisfy { $0 < 0x80 } }
        guard ascii else { return lowercased() == other.lowercased() }
        return a.utf8.count == b.utf8.count && a.withUTF8 { x in b.withUTF8 { y in
            zip(x, y).allSatisfy { $0 == $1 || (Self.asciiLower($0) == Self.asciiLower($1)) }
        } }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
