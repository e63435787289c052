/// One problem in a scenario: where (a JSON path such as `users[1].sites.acme.spaces.ENG[0]`) and what.
public struct ScenarioIssue: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A scenario that cannot be served, with every problem found (loading never stops at the first).
/// Each line reads `FILE: PATH: MESSAGE`, e.g.
/// `acme.json: users[1].sites.acme.spaces.ENG[0]: unknown permission "adm"; expected one of view, edit, delete, admin`.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's name as given, or `nil` for a scenario from a string or a Swift value.
    public let file: String?
    public let issues: [ScenarioIssue]

    public init(file: String?, issues: [ScenarioIssue]) {
        self.file = file
        self.issues = issues
    }

    /// One line per issue.
    public var lines: [String] { issues.map { (file.map { "\($0): " } ?? "") + $0.description } }

    public var description: String { lines.joined(separator: "\n") }
}
