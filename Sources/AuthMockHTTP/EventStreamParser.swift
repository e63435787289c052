/// Splits a Server-Sent Events byte stream into events (`event:` and `data:` lines up to a blank
/// line; comments and other fields ignored), however the bytes were cut into reads.
public struct EventStreamParser {
    /// One event: its `event` field (default `message`) and its `data` lines joined by newlines.
    public struct Event: Equatable, Sendable {
        public var name = "message"
        public var data = ""

        public init(name: String = "message", data: String = "") {
            self.name = name
            self.data = data
        }
    }

    public init() {}

    private var pending: [UInt8] = []
    private var current = Event()
    private var hasData = false

    /// The longest line kept while it waits for its end; a longer one is dropped whole, so a
    /// stream without newlines cannot grow memory without bound.
    public static let maximumLineBytes = 1 << 20

    /// The events `bytes` complete, in order; a partial line or event waits for the next call.
    public mutating func feed(_ bytes: [UInt8]) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var lineStart = 0
        while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: pending[lineStart..<newline], as: UTF8.self)
            lineStart = newline + 1
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if hasData { events.append(current) }
                current = Event()
                hasData = false
            } else if line.hasPrefix("event:") {
                current.name = Self.value(line, after: "event:")
            } else if line.hasPrefix("data:") {
                current.data += (hasData ? "\n" : "") + Self.value(line, after: "data:")
                hasData = true
                if current.data.utf8.count > Self.maximumLineBytes { (current, hasData) = (Event(), false) }  // an event too large is dropped
            }
        }
        // One removal per call, not per line: a read may carry many events.
        pending.removeSubrange(..<lineStart)
        if pending.count > Self.maximumLineBytes { pending.removeAll() }
        return events
    }

    private static func value(_ line: String, after field: String) -> String {
        let rest = line.dropFirst(field.count)
        return String(rest.hasPrefix(" ") ? rest.dropFirst() : rest)
    }
}
