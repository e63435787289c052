/// A misuse of the command line: printed with the usage, exit status 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// `--flag value` and `--switch` arguments, consumed as a command reads them so that anything
/// left over is reported as unknown.
struct Arguments {
    private var remaining: [String]

    init(_ arguments: [String]) { remaining = arguments }

    /// The value of `--name VALUE` (or `--name=VALUE`), if given.
    mutating func value(_ name: String) throws(UsageError) -> String? {
        if let index = remaining.firstIndex(where: { $0.hasPrefix(name + "=") }) {
            return String(remaining.remove(at: index).dropFirst(name.count + 1))
        }
        guard let index = remaining.firstIndex(of: name) else { return nil }
        guard index + 1 < remaining.count, !remaining[index + 1].hasPrefix("--") else {
            throw UsageError("\(name) needs a value")
        }
        let value = remaining[index + 1]
        remaining.removeSubrange(index...(index + 1))
        return value
    }

    /// `--name VALUE` parsed as a port number (0...65535).
    mutating func port(_ name: String) throws(UsageError) -> Int? {
        guard let text = try value(name) else { return nil }
        guard let port = Int(text), (0...65535).contains(port) else { throw UsageError("\(name) must be a port number, not \"\(text)\"") }
        return port
    }

    /// `true` when the switch `--name` is present.
    mutating func flag(_ name: String) -> Bool {
        guard let index = remaining.firstIndex(of: name) else { return false }
        remaining.remove(at: index)
        return true
    }

    /// Fails on anything no one asked for.
    func finish() throws(UsageError) {
        if let unknown = remaining.first { throw UsageError("unknown argument \"\(unknown)\"") }
    }
}
