/// A JSON object whose members keep the order they were added or parsed in.
public struct JSONObject: Sendable, Equatable {
    /// Member names in order.
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    /// An empty object.
    public init() {}

    /// An object with these members in this order; a repeated name keeps its first place and last value.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        for (key, value) in members { self[key] = value }
    }

    /// The member's value, or `nil`. Setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// How many members the object has.
    public var count: Int { keys.count }
    /// `true` when the object has no members.
    public var isEmpty: Bool { keys.isEmpty }
    /// `true` when a member of that name exists.
    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// The members in order.
    public var members: [(key: String, value: JSONValue)] {
        keys.map { ($0, values[$0]!) }
    }

    /// Object equality ignores member order, as JSON does.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.values == rhs.values }
}
