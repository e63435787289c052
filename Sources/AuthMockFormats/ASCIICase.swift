extension String {
    /// Equal but for the case of ASCII letters (`Content-Type` and `content-type`; other bytes
    /// must match exactly). Lengths are compared first: they are stored for native strings, and
    /// most names differ in length.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        // Header names, cloud ids and emails are compared on every request: over the strings'
        // own UTF-8 buffers this is a tight loop, where iterating two UTF8Views (a bridged string
        // has no such buffer) costs about ten times the instructions.
        let compared = utf8.withContiguousStorageIfAvailable { mine in
            other.utf8.withContiguousStorageIfAvailable { theirs in Self.equalIgnoringASCIICase(mine, theirs) }
        }
        if let compared = compared ?? nil { return compared }
        return zip(utf8, other.utf8).allSatisfy { $0 == $1 || Self.asciiLower($0) == Self.asciiLower($1) }
    }

    private static func equalIgnoringASCIICase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in a.indices where a[index] != b[index] && asciiLower(a[index]) != asciiLower(b[index]) { return false }
        return true
    }

    @inline(__always) private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
