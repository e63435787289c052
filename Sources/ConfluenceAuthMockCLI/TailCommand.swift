import AuthMockFormats
import AuthMockHTTP

/// `tail --url http://HOST:PORT [--json] [--admin-token T] [--ca FILE]`: follows the mock's journal
/// (`GET /__admin/events`) and prints one line per request, the line a CI log wants:
/// `HH:MM:SS.mmm METHOD PATH STATUS MECHANISM PRINCIPAL DECISION REASON` (scenario time; `-` for
/// what is missing; the reason is the rest of the line). `--json` prints each journal entry as one
/// JSON line instead. Ends when the mock does.
enum TailCommand {
    struct Request: Equatable {
        var url: String
        var json = false
        var adminToken: String?
        var caFile: String?
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var arguments = Arguments(arguments)
        guard let url = try arguments.value("--url") else { throw UsageError("tail needs --url http://HOST:PORT (the mock's address)") }
        let request = Request(url: url, json: arguments.flag("--json"), adminToken: try arguments.value("--admin-token"), caFile: try arguments.value("--ca"))
        try arguments.finish()
        return request
    }

    /// The exit status: 0 when the mock ends the stream, 1 when it cannot be followed.
    static func run(_ request: Request) -> Int32 {
        let tls = OutboundTLS(caFile: request.caFile)
        var headers: HTTPHeaders = ["Accept": "text/event-stream"]
        if let token = request.adminToken { headers.set("Authorization", "Bearer \(token)") }
        var events = EventStreamParser()
        do {
            try tls.validate()
            let base = request.url.hasSuffix("/") ? String(request.url.dropLast()) : request.url
            try HTTPClient.follow(url: base + "/__admin/events", headers: headers, tls: tls) { bytes in
                for event in events.feed(bytes) { show(event, json: request.json) }
                return true
            }
        } catch {
            emit("confluence-auth-mock tail: \(error)\n", to: 2)
            return 1
        }
        return 0
    }

    private static func show(_ event: EventStreamParser.Event, json: Bool) {
        switch event.name {
        case "request":
            guard let entry = try? JSONValue.parse(event.data) else { return }
            emit((json ? event.data : line(entry)) + "\n", to: 1)
        case "dropped":
            let missed = (try? JSONValue.parse(event.data))?["missed"]?.intValue ?? 0
            emit("confluence-auth-mock tail: \(missed) requests went by before they could be shown\n", to: 2)
        default:
            break
        }
    }

    /// One journal entry as a line of single-space-separated fields.
    static func line(_ entry: JSONValue) -> String {
        func text(_ value: JSONValue?) -> String {
            guard let string = value?.stringValue ?? value?.intValue.map(String.init), !string.isEmpty else { return "-" }
            return String(string.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        }
        let time = entry["time"]?.stringValue.map(clockTime) ?? "-"
        let auth = entry["auth"]
        return [time, text(entry["method"]), text(entry["path"]), text(entry["status"]), text(auth?["mechanism"]),
                text(auth?["principal"]), text(auth?["decision"]), text(auth?["reason"])].joined(separator: " ")
    }

    /// `2026-01-01T00:00:01.250Z` → `00:00:01.250`.
    private static func clockTime(_ iso: String) -> String {
        guard let t = iso.firstIndex(of: "T") else { return iso }
        return String(iso[iso.index(after: t)...].prefix(12))
    }
}
