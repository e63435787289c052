/// Why a text is not acceptable JSON, and where: `line` and `column` are 1-based, `offset` 0-based bytes.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public let line: Int
    public let column: Int

    public var description: String { "line \(line), column \(column): \(message)" }
}
