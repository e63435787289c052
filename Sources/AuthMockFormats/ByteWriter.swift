/// A growable byte buffer written through a pointer, for output assembled from many small pieces
/// (a JSON body, a response head).
///
/// `Array.append(contentsOf:)` costs about a hundred instructions a call (uniqueness, capacity and
/// the generic copy), and a response body is some eighty appends; here an append is a bounds check
/// and a `memcpy`. Non-copyable, so the buffer has one owner and is freed once.
public struct ByteWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written = 0

    /// How many bytes have been written.
    public var count: Int { written }

    /// An empty buffer with room for `capacity` bytes before it grows.
    public init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) {
        if written == capacity { grow(toHold: written + 1) }
        base[written] = byte
        written += 1
    }

    /// Appends the bytes `bytes` points at.
    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if written + bytes.count > capacity { grow(toHold: written + bytes.count) }
        (base + written).initialize(from: source, count: bytes.count)
        written += bytes.count
    }

    /// Appends an array's bytes.
    @inlinable
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a string's UTF-8, read in place when the string is stored contiguously (every
    /// native Swift string is).
    @inlinable
    public mutating func append(utf8 text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if done == nil { for byte in text.utf8 { append(byte) } }
    }

    /// Appends `value` in decimal.
    public mutating func append(decimal value: Int) {
        guard value != 0 else { return append(UInt8(ascii: "0")) }
        // Twenty digits and a sign hold every Int; written backwards from the end of a stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { digits in
            var magnitude = value.magnitude, start = 21
            while magnitude > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            if value < 0 { start -= 1; digits[start] = UInt8(ascii: "-") }
            append(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// The bytes written so far, for reading in place.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The bytes written, as an array (one copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @usableFromInline
    mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: written)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
