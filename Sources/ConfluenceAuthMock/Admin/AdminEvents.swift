import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/events[?since=ID]`: a Server-Sent Events stream of the journal. Each request
    /// journaled after the stream opened (or from entry `since` on) is one `event: request` with
    /// the entry's JSON as `data` and its id as `id`. A reader too slow for the journal's ring gets
    /// `event: dropped` with `{"missed": N}` before the entries that follow; comments keep an idle
    /// stream alive. The stream runs on its connection's own thread and only reads the journal,
    /// so no reader, however slow, holds up a request.
    var events: RouteHandler {
        { [state] request, _ in
            let since = request.queryValue("since").flatMap(Int.init)
            var response = HTTPResponse(headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-store"])
            response.stream = ResponseStream { writer in
                var sent = since.map { max($0, 1) - 1 } ?? state.lastJournalID
                guard writer.write(Array(": confluence-auth-mock journal\n\n".utf8)) else { return }
                var quietPolls = 0
                while !writer.isStopping {
                    let (entries, oldest) = state.journalEntries(after: sent)
                    if let oldest, oldest > sent + 1, !entries.isEmpty {
                        guard writer.write(Self.event("dropped", data: ["missed": .int(oldest - sent - 1)])) else { return }
                    }
                    for entry in entries {
                        guard writer.write(Self.event("request", data: entry.json, id: entry.id)) else { return }
                        sent = entry.id
                    }
                    quietPolls = entries.isEmpty ? quietPolls + 1 : 0
                    // A comment every 15 s of quiet tells proxies and the reader the stream is alive.
                    if quietPolls % Self.pollsPerKeepAlive == Self.pollsPerKeepAlive - 1 {
                        guard writer.write(Array(": keep-alive\n\n".utf8)) else { return }
                    }
                    if entries.isEmpty { sleepMilliseconds(Self.pollMilliseconds) }
                }
            }
            return response
        }
    }

    static let pollMilliseconds = 50
    static let pollsPerKeepAlive = 15_000 / pollMilliseconds

    /// One SSE event: `event`, optional `id`, and the JSON on one `data` line (serialized JSON has
    /// no raw newlines, so it never needs splitting).
    static func event(_ name: String, data: JSONValue, id: Int? = nil) -> [UInt8] {
        var text = id.map { "id: \($0)\n" } ?? ""
        text += "event: \(name)\ndata: \(data.serialized)\n\n"
        return Array(text.utf8)
    }
}
