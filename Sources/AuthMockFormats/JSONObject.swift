/// A JSON object whose members keep the order they were added or parsed in.
///
/// Members are stored in order and found by a linear scan, which beats hashing for the handful of
/// members real objects have; a hash index is built only past `indexThreshold` members.
public struct JSONObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: JSONValue)] = []
    private var index: [String: Int]?

    static let indexThreshold = 12

    /// An empty object.
    public init() {}

    /// An object with these members in this order; a repeated name keeps its first place and last value.
    public init(_ members: some Sequence<(key: String, value: JSONValue)>) {
        for (key, value) in members { self[key] = value }
    }

    /// ``init(_:)`` for an array: the concrete entry point, so callers in other modules (every
    /// response body is built this way) need no generic dispatch. Its elements are already in the
    /// stored form, so a literal list of members is taken as it is, not copied pair by pair.
    public init(_ members: [(key: String, value: JSONValue)]) {
        // A response body's objects are written with distinct names: checked in one pass over
        // name lengths, they are taken whole instead of inserted one by one with a search each.
        if members.count <= Self.indexThreshold && Self.namesAreDistinct(members) {
            self.members = members
            return
        }
        self.members.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    private static func namesAreDistinct(_ members: [(key: String, value: JSONValue)]) -> Bool {
        members.withUnsafeBufferPointer { members in
            for later in members.indices {
                let name = members[later].key
                let length = name.utf8.count
                for earlier in 0..<later where members[earlier].key.utf8.count == length && members[earlier].key == name { return false }
            }
            return true
        }
    }

    /// Room for `count` members without reallocating (member order and lookups are unchanged).
    public mutating func reserveCapacity(_ count: Int) { members.reserveCapacity(count) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        // Lengths first: a small string's length is stored inline, and most names differ in it,
        // so most comparisons never reach String's general equality.
        let length = key.utf8.count
        return members.firstIndex { $0.key.utf8.count == length && $0.key == key }
    }

    /// The member's value, or `nil`. Setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let newValue {
                if let existing = position(of: key) {
                    members[existing].value = newValue
                } else {
                    members.append((key, newValue))
                    if index != nil {
                        index![key] = members.count - 1
                    } else if members.count > Self.indexThreshold {
                        index = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) })
                    }
                }
            } else if let existing = position(of: key) {
                members.remove(at: existing)
                index = members.count > Self.indexThreshold ? Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) }) : nil
            }
        }
    }

    /// Member names in order.
    public var keys: [String] { members.map(\.key) }
    /// How many members the object has.
    public var count: Int { members.count }
    /// `true` when the object has no members.
    public var isEmpty: Bool { members.isEmpty }
    /// `true` when a member of that name exists.
    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// Object equality ignores member order, as JSON does.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
}
