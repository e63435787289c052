import AuthMockFormats
import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui/tokens[?entry=ID]`: the token inspector's form, or the inspection of the
    /// token journal entry `ID` presented (so a page never puts a token in a URL).
    var tokens: RouteHandler {
        { request, _ in
            guard let text = request.queryValue("entry") else { return tokensPage(token: "", inspection: nil) }
            guard let id = Int(text), let entry = state.withJournal({ $0.entry(id: id) }), let token = Self.presentedToken(entry) else {
                return tokensPage(token: "", inspection: nil, note: "Request #\(text) is not in the journal, or presented no token.", status: .notFound)
            }
            return tokensPage(token: token, inspection: TokenInspector(state: state).inspect(token), note: "The token request #\(id) presented.")
        }
    }

    /// `POST /__admin/ui/tokens` with `token`: the inspection (as `POST /__admin/tokens/inspect`).
    var inspectToken: RouteHandler {
        { request, _ in
            switch form(request) {
            case .failure(let refusal): return refusal.response
            case .success(let fields):
                let token = Self.trimmed(fields["token"] ?? "")
                return tokensPage(token: token, inspection: TokenInspector(state: state).inspect(token))
            }
        }
    }

    private func tokensPage(token: String, inspection: TokenInspection?, note: String? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        let result = inspection.map { inspected(token, $0) } ?? .empty
        let content: HTML = """
            \(note.map { "<p class=\"note\">\($0)</p>" } ?? .empty)
            <form method="post" action="/__admin/ui/tokens">\(ConsoleLayout.csrfField(session.csrfToken))
            <p><label for="token">Paste an access, refresh, Connect, impersonation or Forge token:</label></p>
            <textarea id="token" name="token" spellcheck="false">\(token)</textarea>
            <p><button type="submit">Inspect</button></p></form>\(result)
            """
        return ConsoleLayout.page("Tokens", section: .tokens, status: status, content)
    }

    private func inspected(_ token: String, _ inspection: TokenInspection) -> HTML {
        let now = state.now
        let expires = inspection.expiresAt.map { Self.relativeTime($0, now: now) }
        return """
            <h2>Inspection</h2>
            <dl id="inspection"><dt>Kind</dt><dd id="token-kind">\(inspection.kind.rawValue)</dd>
            <dt>Signature</dt><dd id="token-signature">\(inspection.signature.rawValue)\(Self.signatureNote(inspection.signature))</dd>
            <dt>Status</dt><dd id="token-status">\(inspection.status.rawValue)</dd>
            <dt>Expires</dt><dd id="token-expires">\(ConsoleLayout.orDash(expires))</dd>
            <dt>Refresh family</dt><dd>\(ConsoleLayout.orDash(inspection.family))</dd>
            <dt>Scenario clock</dt><dd>\(ISO8601.format(now, milliseconds: true))</dd></dl>
            <h2>Header</h2>\(Self.claimsTable(inspection.header, now: now))
            <h2>Claims</h2>\(Self.claimsTable(inspection.claims, now: now))
            """
    }

    private static func signatureNote(_ signature: TokenInspection.Signature) -> HTML {
        switch signature {
        case .valid: " <span class=\"note\">(verified with the mock's keys)</span>"
        case .invalid: " <span class=\"denied\">(the mock's key does not verify it)</span>"
        case .unknownKey: " <span class=\"note\">(signed with a key the mock does not hold)</span>"
        case .none: " <span class=\"note\">(not a signed JWT)</span>"
        }
    }

    /// Members as a table; the JWT time claims also shown against the scenario clock.
    private static func claimsTable(_ object: JSONObject, now: Double) -> HTML {
        guard !object.members.isEmpty else { return "<p class=\"note\">None (not a JWT).</p>" }
        let rows = object.members.map { member -> HTML in
            let time: HTML = ["exp", "iat", "nbf", "auth_time"].contains(member.key)
                ? member.value.numberValue.map { "<br><span class=\"note\">\(relativeTime($0, now: now))</span>" } ?? .empty : .empty
            return "<tr><th>\(member.key)</th><td class=\"wrap\"><code>\(member.value.serialized)</code>\(time)</td></tr>"
        }
        return "<table class=\"fields\"><tbody>\(rows)</tbody></table>"
    }

    /// The bearer token or Connect JWT an entry presented, read as the pipeline read it.
    static func presentedToken(_ entry: JournalEntry) -> String? {
        switch Credential.parse(authorization: entry.headerFields["Authorization"], jwtParameter: entry.query.first { $0.name == "jwt" }?.value) {
        case .bearer(let token), .connectJWT(let token): token.isEmpty ? nil : token
        case .none, .basic, .malformedBasic, .otherScheme: nil
        }
    }

    /// Without the spaces and line breaks a paste brings along.
    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
