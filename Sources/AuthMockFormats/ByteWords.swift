/// Eight bytes at a time: the classic word tricks for "does this word hold a byte less than n" and
/// "does it hold this byte", each exact as to *whether* there is one (the flagged position may be
/// off, so a flagged word is looked at byte by byte; a tail shorter than a word is too, which
/// measured cheaper than padding it into a word). Escaping JSON, checking header values and
/// writing a response head scan every string of every request; byte loops cost several times as
/// many instructions.
public enum ByteWords {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `base + index`.
    @inlinable
    public static func word(_ base: UnsafePointer<UInt8>, at index: Int) -> UInt64 {
        UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
    }

    /// Whether a byte of `word` is less than `limit` (at most 128).
    @inlinable
    public static func hasByte(below limit: UInt8, in word: UInt64) -> Bool {
        (word &- UInt64(limit) &* ones) & ~word & highs != 0
    }

    /// Whether a byte of `word` equals `byte`.
    @inlinable
    public static func hasByte(_ byte: UInt8, in word: UInt64) -> Bool {
        let matched = word ^ (UInt64(byte) &* ones)
        return (matched &- ones) & ~matched & highs != 0
    }
}
