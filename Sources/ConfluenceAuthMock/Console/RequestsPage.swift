import AuthMockHTTP

extension Console {
    /// How many entries the journal page lists at most (the newest), unless `limit` says otherwise.
    static let defaultRowLimit = 200

    /// `GET /__admin/ui/requests?method=&path=&principal=&client=&status=&decision=&limit=`: the
    /// journal, newest first, filtered as `GET /__admin/requests` filters it; live with JavaScript.
    var requests: RouteHandler {
        { request, _ in
            // An empty field of the filter form is no filter.
            let fields = ["method", "path", "principal", "client", "status", "decision", "limit"]
            let values = Dictionary(uniqueKeysWithValues: fields.map { ($0, request.queryValue($0).flatMap { $0.isEmpty ? nil : $0 }) })
            var (filter, problems) = JournalFilter.reading { values[$0] ?? nil }
            if filter.limit == 0 { problems.append("query parameter limit must be a positive whole number, not \"0\"") }
            let limit = filter.limit ?? Self.defaultRowLimit
            // Every match is counted; the page shows the newest `limit`.
            filter.limit = nil
            let matching = problems.isEmpty ? state.requests(filter) : []
            let shown = matching.suffix(limit).reversed().map(Self.row)
            let summary: HTML = matching.count > limit
                ? "Showing the newest \(limit) of \(matching.count) matching entries."
                : "\(matching.count) matching \(matching.count == 1 ? "entry" : "entries")."
            let errors = problems.map { problem -> HTML in "<p class=\"denied\">\(problem)</p>" }
            let content: HTML = """
                \(filterForm(values))\(errors)
                <p id="live-state" class="note">Reload to see new requests (live updates need JavaScript).</p>
                <div id="live-region"><p>\(summary)</p>
                <table id="journal"><thead><tr><th>#</th><th>Time</th><th>Method</th><th>Path</th><th>Status</th><th>Mechanism</th>
                <th>Principal</th><th>Client</th><th>Decision</th><th>Reason</th></tr></thead><tbody>\(shown)</tbody></table></div>
                """
            return ConsoleLayout.page("Requests", section: .requests, status: problems.isEmpty ? .ok : .badRequest, live: true, content)
        }
    }

    private func filterForm(_ values: [String: String?]) -> HTML {
        func field(_ name: String, _ label: String, size: Int) -> HTML {
            "<label>\(label) <input type=\"text\" name=\"\(name)\" size=\"\(size)\" value=\"\((values[name] ?? nil) ?? "")\"></label>"
        }
        let decision = (values["decision"] ?? nil) ?? ""
        let options = ["", "allowed", "denied"].map { value -> HTML in
            let label = value.isEmpty ? "any" : value
            return value == decision ? "<option value=\"\(value)\" selected>\(label)</option>" : "<option value=\"\(value)\">\(label)</option>"
        }
        return """
            <form method="get" action="/__admin/ui/requests"><fieldset><legend>Filter</legend>
            \(field("method", "Method", size: 6)) \(field("path", "Path (glob)", size: 28)) \(field("principal", "Principal", size: 18))
            \(field("client", "Client", size: 14)) \(field("status", "Status", size: 4))
            <label>Decision <select name="decision">\(options)</select></label> <button type="submit">Filter</button>
            <a href="/__admin/ui/requests">Clear</a></fieldset></form>
            """
    }

    private static func row(_ entry: JournalEntry) -> HTML {
        let reason = entry.fault.map { "fault: \($0)" + (entry.auth.reason.map { "; \($0)" } ?? "") } ?? entry.auth.reason
        return """
            <tr data-id="\(entry.id)"><td><a href="/__admin/ui/requests/\(entry.id)">\(entry.id)</a></td><td>\(clockTime(entry.time))</td>
            <td>\(entry.method)</td><td class="wrap"><code>\(entry.path)</code></td><td>\(entry.status)</td><td>\(entry.auth.mechanism.rawValue)</td>
            <td>\(ConsoleLayout.orDash(entry.auth.principal))</td><td>\(ConsoleLayout.orDash(entry.auth.client))</td>
            <td>\(ConsoleLayout.decision(entry.auth.decision))</td><td>\(ConsoleLayout.orDash(reason))</td></tr>
            """
    }
}
