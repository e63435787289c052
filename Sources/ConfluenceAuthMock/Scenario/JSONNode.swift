import AuthMockFormats

/// Collects every issue found while reading a scenario.
final class IssueCollector {
    private(set) var issues: [ScenarioIssue] = []
    func add(_ path: JSONPath, _ message: String) { issues.append(ScenarioIssue(path: path.description, message: message)) }
}

/// A location in a JSON document: `$` for the root, then `.key` (or `["odd key"]`) and `[index]`.
/// Built as a chain of parents and rendered only when an issue is reported, since nearly every
/// node of a valid scenario never needs its path spelled out.
struct JSONPath: CustomStringConvertible, Sendable {
    private final class Link: Sendable {
        let parent: Link?
        let key: String?
        let index: Int

        init(parent: Link?, key: String?, index: Int) {
            self.parent = parent
            self.key = key
            self.index = index
        }
    }

    private let link: Link?

    static let root = JSONPath(link: nil)

    func appending(key: String) -> JSONPath { JSONPath(link: Link(parent: link, key: key, index: 0)) }
    func appending(index: Int) -> JSONPath { JSONPath(link: Link(parent: link, key: nil, index: index)) }

    var description: String {
        var components: [String] = []
        var current = link
        while let node = current {
            if let key = node.key {
                let isIdentifier = !key.isEmpty && key.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
                components.append(isIdentifier ? (node.parent == nil ? key : "." + key) : "[\"\(key)\"]")
            } else {
                components.append("[\(node.index)]")
            }
            current = node.parent
        }
        return components.isEmpty ? "$" : components.reversed().joined()
    }
}

/// A value being read from a scenario, with its path. Every accessor reports what it expected when
/// the value does not fit, and returns `nil` so reading can go on and find the next problem.
struct JSONNode {
    let value: JSONValue
    let path: JSONPath
    let issues: IssueCollector

    func report(_ message: String) { issues.add(path, message) }

    private func expected<T>(_ what: String) -> T? {
        report("expected \(what), found \(value.typeName)")
        return nil
    }

    var string: String? { value.stringValue ?? expected("a string") }
    var bool: Bool? { value.boolValue ?? expected("a boolean") }
    var number: Double? { value.numberValue ?? expected("a number") }

    var int: Int? {
        if let int = value.intValue { return int }
        return expected("a whole number")
    }

    /// A whole number of at least `minimum`.
    func int(atLeast minimum: Int) -> Int? {
        guard let int else { return nil }
        guard int >= minimum else {
            report("expected a whole number of at least \(minimum), found \(int)")
            return nil
        }
        return int
    }

    /// A duration in seconds, from `minimum` to `TokenSettings.maximumSeconds` (ten years): longer
    /// ones would overflow the `exp` claims and expiry times built from them.
    func seconds(atLeast minimum: Int) -> Int? {
        guard let value = int(atLeast: minimum) else { return nil }
        if let refusal = TokenSettings.refusal(seconds: value) {
            report(refusal)
            return nil
        }
        return value
    }

    /// A non-empty string.
    var nonEmptyString: String? {
        guard let string else { return nil }
        if string.isEmpty { report("must not be empty") }
        return string.isEmpty ? nil : string
    }

    var array: [JSONNode]? {
        guard let elements = value.arrayValue else { return expected("an array") }
        return elements.enumerated().map { JSONNode(value: $1, path: path.appending(index: $0), issues: issues) }
    }

    /// Every element read by `read`; elements that fail are left out (their issues are reported).
    func array<T>(_ read: (JSONNode) -> T?) -> [T]? { array?.compactMap(read) }

    /// An array of strings.
    var strings: [String]? { array { $0.string } }

    /// An object whose keys must all be among `keys`: unknown keys are reported with a suggestion.
    func object(keys: [String]) -> ObjectReader? {
        guard let object = value.objectValue else { return expected("an object") }
        for key in object.keys where !keys.contains(key) {
            let child = path.appending(key: key)
            let suggestion = closestMatch(to: key, in: keys).map { "; did you mean \"\($0)\"?" } ?? "; expected one of \(keys.joined(separator: ", "))"
            issues.add(child, "unknown key \"\(key)\"\(suggestion)")
        }
        return ObjectReader(node: self, object: object)
    }

    /// An object used as a map (any keys), as name-node pairs in order.
    var map: [(key: String, node: JSONNode)]? {
        guard let object = value.objectValue else { return expected("an object") }
        return object.members.map { ($0.key, JSONNode(value: $0.value, path: path.appending(key: $0.key), issues: issues)) }
    }

    /// One of a closed set of names (permissions, modes, …).
    func oneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ what: String) -> T? where T.RawValue == String {
        guard let text = string else { return nil }
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        let suggestion = closestMatch(to: text, in: names).map { " (did you mean \"\($0)\"?)" } ?? ""
        report("unknown \(what) \"\(text)\"\(suggestion); expected one of \(names.joined(separator: ", "))")
        return nil
    }
}

/// Reads the members of one object.
struct ObjectReader {
    let node: JSONNode
    let object: JSONObject

    /// The member, reporting it as missing when absent.
    func required(_ key: String) -> JSONNode? {
        guard let value = object[key] else {
            node.report("missing required key \"\(key)\"")
            return nil
        }
        return JSONNode(value: value, path: node.path.appending(key: key), issues: node.issues)
    }

    /// The member when present.
    func optional(_ key: String) -> JSONNode? {
        object[key].map { JSONNode(value: $0, path: node.path.appending(key: key), issues: node.issues) }
    }

    func has(_ key: String) -> Bool { object.contains(key) }
}

/// The candidate nearest to `text`, when near enough to be a likely typo: at most 2 edits for
/// names of 4 or more characters, 1 for shorter ones (transpositions count as one edit).
func closestMatch(to text: String, in candidates: [String]) -> String? {
    let lower = text.lowercased()
    let scored = candidates.map { ($0, editDistance(lower, $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= (best.0.count >= 4 ? 2 : 1) ? best.0 : nil
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}
