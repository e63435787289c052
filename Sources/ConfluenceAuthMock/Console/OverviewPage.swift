import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui`: the scenario at a glance, the clock with buttons to move it, and how many
    /// requests were allowed and denied.
    var overview: RouteHandler {
        { _, _ in
            let snapshot = state.snapshot(bearer: nil), scenario = snapshot.scenario
            let counts = state.withJournal(\.decisionCounts)
            let listenerItems = listeners.all.map { url -> HTML in "<li><code>\(url)</code></li>" }
            let content: HTML = """
                <dl><dt>Scenario</dt><dd>\(scenario.displayName)</dd><dt>Profile</dt><dd>\(scenario.profile.rawValue)</dd>
                <dt>Listeners</dt><dd><ul>\(listenerItems)</ul></dd>
                <dt>Requests</dt><dd><a href="/__admin/ui/requests?decision=allowed">\(counts[.allowed] ?? 0) allowed</a>,
                <a href="/__admin/ui/requests?decision=denied">\(counts[.denied] ?? 0) denied</a>,
                \(counts[nil] ?? 0) undecided (admin and key requests, unrouted paths)</dd></dl>
                \(clock(snapshot.now))
                \(Self.table("Sites", ["Name", "Cloud id", "URL", "Anonymous access"], scenario.sites.map {
                    [HTML(text: $0.name), "<code>\($0.cloudId)</code>", "<code>\($0.url)</code>", $0.anonymousAccess ? "yes" : "no"]
                }))
                \(Self.table("Users", ["Account id", "Email", "Name", "Sites"], scenario.users.map {
                    ["<code>\($0.accountId)</code>", HTML(text: $0.email), HTML(text: $0.displayName), HTML(text: $0.sites.keys.sorted().joined(separator: ", "))]
                }))
                \(Self.table("OAuth clients", ["Client id", "Name", "Scopes", "Consent"], scenario.oauthClients.map {
                    ["<code>\($0.clientId)</code>", HTML(text: $0.name), HTML(text: $0.scopes.joined(separator: " ")), HTML(text: $0.consent.mode.rawValue)]
                }))
                \(Self.table("Service accounts", ["Account id", "Name", "Sites"], scenario.serviceAccounts.map {
                    ["<code>\($0.accountId)</code>", HTML(text: $0.displayName), HTML(text: $0.sites.keys.sorted().joined(separator: ", "))]
                }))
                \(Self.table("Connect apps", ["Key", "Name", "Base URL", "Installed on"], scenario.connectApps.map {
                    ["<code>\($0.key)</code>", HTML(text: $0.name), "<code>\($0.baseUrl)</code>", HTML(text: $0.installations.map(\.site).joined(separator: ", "))]
                }))
                \(Self.table("Forge apps", ["App id", "Name", "Environment", "Installed on"], scenario.forgeApps.map {
                    ["<code>\($0.id)</code>", HTML(text: $0.name), HTML(text: $0.environmentType.rawValue), HTML(text: $0.installations.map(\.site).joined(separator: ", "))]
                }))
                """
            return ConsoleLayout.page("Overview", section: .overview, content)
        }
    }

    /// The clock and its buttons; each posts `advanceSeconds` to `/__admin/ui/clock`.
    private func clock(_ now: Double) -> HTML {
        let steps: [(Int, HTML)] = [(60, "+1 minute"), (3_600, "+1 hour"), (86_400, "+1 day")]
        let buttons = steps.map { seconds, label -> HTML in
            """
            <form class="inline" method="post" action="/__admin/ui/clock">\(ConsoleLayout.csrfField(session.csrfToken))\
            <input type="hidden" name="advanceSeconds" value="\(seconds)"><button type="submit">\(label)</button></form>
            """
        }.concatenated(separator: " ")
        return """
            <h2>Clock</h2><p>Scenario time: <strong id="clock-now">\(ISO8601.format(now, milliseconds: true))</strong> \(buttons)
            <form class="inline" method="post" action="/__admin/ui/clock">\(ConsoleLayout.csrfField(session.csrfToken))
            <input type="text" name="advanceSeconds" size="8" aria-label="Seconds to advance"> <button type="submit">Advance seconds</button></form></p>
            """
    }

    /// `POST /__admin/ui/clock` with `advanceSeconds`: moves the scenario clock (as `POST /__admin/clock`).
    var advanceClock: RouteHandler {
        { request, _ in
            switch form(request) {
            case .failure(let refusal): return refusal.response
            case .success(let fields):
                guard let text = fields["advanceSeconds"], let seconds = Double(text), ClockChange.isAllowed(advance: seconds) else {
                    return ConsoleLayout.page("Clock not moved", section: .overview, status: .badRequest, """
                        <p>Advance by a number of seconds, at most 3153600000 (a century) either way; \
                        "\(fields["advanceSeconds"] ?? "")" is not one.</p><p><a href="/__admin/ui">Back to the overview</a></p>
                        """)
                }
                state.updateClock { $0.advance(by: seconds) }
                return Self.seeOther("/__admin/ui")
            }
        }
    }

    /// A titled table, or a note that there are none.
    static func table(_ title: String, _ columns: [String], _ rows: [[HTML]]) -> HTML {
        guard !rows.isEmpty else { return "<h2>\(title)</h2><p class=\"note\">None in this scenario.</p>" }
        let head = columns.map { column -> HTML in "<th>\(column)</th>" }
        let body = rows.map { cells -> HTML in "<tr>\(cells.map { cell -> HTML in "<td>\(cell)</td>" })</tr>" }
        return "<h2>\(title)</h2><table><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }
}
