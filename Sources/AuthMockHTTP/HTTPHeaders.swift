import AuthMockFormats

/// One header field.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Header fields in the order they were received or added. Lookup is case-insensitive
/// (RFC 9110 §5.1); names keep the spelling they were given.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [HTTPField] = []

    public init() {}

    /// Room for `count` fields without reallocating (the head parser knows how many it will add).
    public mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    /// How many fields are named `name`, counted without collecting them.
    public func count(of name: String) -> Int { fields.reduce(0) { $0 + (Self.sameName($1.name, name) ? 1 : 0) } }

    public init(_ fields: [(String, String)]) { self.fields = fields.map { HTTPField(name: $0.0, value: $0.1) } }
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    /// The first value of `name`, or `nil`.
    public subscript(name: String) -> String? {
        for field in fields where Self.sameName(field.name, name) { return field.value }
        return nil
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// `true` when a field of that name is present.
    public func contains(_ name: String) -> Bool { fields.contains { Self.sameName($0.name, name) } }

    /// Adds a field, keeping any existing ones of the same name.
    public mutating func add(_ name: String, _ value: String) { fields.append(HTTPField(name: name, value: value)) }

    /// Replaces every field of that name with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    /// Removes every field of that name.
    public mutating func remove(_ name: String) { fields.removeAll { Self.sameName($0.name, name) } }

    public var count: Int { fields.count }
    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    /// Comma-separated list members of every field of that name, trimmed and lower-cased
    /// (for `Connection`, `Transfer-Encoding`, `Expect`).
    public func tokens(_ name: String) -> [String] {
        var tokens: [String] = []
        for field in fields where Self.sameName(field.name, name) {
            for member in field.value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
                let token = trimmedString(Array(member)).lowercased()
                if !token.isEmpty { tokens.append(token) }
            }
        }
        return tokens
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { sameName($0.name, $1.name) && $0.value == $1.value }
    }

    /// ASCII case-insensitive equality of two field names.
    static func sameName(_ a: String, _ b: String) -> Bool { a.equalsIgnoringASCIICase(b) }
}

@inline(__always) func isOWS(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

/// The bytes without optional white space (SP, HTAB) at either end, as a string.
func trimmedString(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBufferPointer { trimmedString($0, 0..<$0.count) }
}

/// `bytes[range]` without optional white space at either end, as a string.
func trimmedString(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    var start = range.lowerBound, end = range.upperBound
    while start < end && isOWS(bytes[start]) { start += 1 }
    while end > start && isOWS(bytes[end - 1]) { end -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
}

/// Trims optional white space from a string.
func trimOWS(_ text: Substring) -> String { trimmedString(Array(text.utf8)) }
