// Byte-level searches over a string's UTF-8, used on every request (paths, targets, header
// values). Over the string's own contiguous buffer each is a tight loop; iterating a UTF8View
// element by element costs several times the instructions (measured with callgrind, see
// docs/performance.md). A string without such a buffer (bridged) takes the generic path. They are
// inlinable so a caller's predicate is inlined into the loop rather than called per byte.

extension StringProtocol {
    /// The index of the first UTF-8 byte equal to `byte` (an ASCII byte, so the index is on a
    /// character boundary), found over the string's own buffer when it has one.
    @inlinable
    public func firstIndex(ofASCII byte: UInt8) -> Index? {
        let offset = utf8.withContiguousStorageIfAvailable { $0.firstIndex(of: byte) }
        guard let offset else { return utf8.firstIndex(of: byte) }
        return offset.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }

    /// `true` when a UTF-8 byte of the string satisfies `predicate`, checked over the string's own
    /// buffer when it has one.
    @inlinable
    public func containsUTF8Byte(where predicate: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: predicate) } ?? utf8.contains(where: predicate)
    }

    /// `true` when the string's UTF-8 bytes begin with those of `prefix` (no Unicode
    /// normalization: paths and header values are compared as sent).
    @inlinable
    public func hasUTF8Prefix(_ prefix: String) -> Bool {
        let compared = utf8.withContiguousStorageIfAvailable { mine in
            prefix.utf8.withContiguousStorageIfAvailable { theirs in mine.starts(with: theirs) }
        }
        return (compared ?? nil) ?? utf8.starts(with: prefix.utf8)
    }
}
