import AuthMockFormats
import AuthMockHTTP

extension Console {
    /// `GET /__admin/ui/faults`: the faults in the order they are tried, with how many requests
    /// each matched and changed, a button to remove each, and a form to add one as JSON.
    var faults: RouteHandler {
        { _, _ in faultsPage(json: "", problems: nil) }
    }

    /// `POST /__admin/ui/faults` with `json` (one fault or `{"faults":[…]}`, as `POST /__admin/faults`).
    var addFault: RouteHandler {
        { request, _ in
            switch form(request) {
            case .failure(let refusal): return refusal.response
            case .success(let fields):
                let json = fields["json"] ?? ""
                switch AdminAPI.addFaults(json: Array(json.utf8), to: state) {
                case .success: return Self.seeOther("/__admin/ui/faults")
                case .failure(let failure): return faultsPage(json: json, problems: failure)
                }
            }
        }
    }

    /// `POST /__admin/ui/faults/{id}/remove` (as `DELETE /__admin/faults/{id}`).
    var removeFault: RouteHandler {
        { request, parameters in
            if case .failure(let refusal) = form(request) { return refusal.response }
            _ = state.removeFault(id: parameters["id"] ?? "")
            return Self.seeOther("/__admin/ui/faults")
        }
    }

    private func faultsPage(json: String, problems: AdminFailure?) -> HTTPResponse {
        let rows = state.faults.map { stored -> [HTML] in
            let removal: HTML = """
                <form class="inline" method="post" action="/__admin/ui/faults/\(url: stored.id)/remove">\(ConsoleLayout.csrfField(session.csrfToken))\
                <button type="submit">Remove</button></form>
                """
            return ["<code>\(stored.id)</code>", ConsoleLayout.orDash(stored.fault.name), "<code>\(stored.fault.match.jsonValue.serialized)</code>",
                    "<code>\(Self.outcomeJSON(stored.fault))</code>",
                    "\(stored.seen)", "\(stored.fired)", removal]
        }
        let errors: HTML = problems.map { failure in
            let details = failure.issues.map { issue -> HTML in "<li><code>\(issue.path)</code>: \(issue.message)</li>" }
            return "<div id=\"fault-errors\" class=\"denied\"><p>\(failure.message); nothing was added.</p><ul>\(details)</ul></div>"
        } ?? .empty
        let content: HTML = """
            <p class="note">Tried in order for every request; the first that applies wins. Seen: requests its match accepted; fired: requests it changed.</p>
            \(Self.table("Faults", ["Id", "Name", "Match", "Outcome", "Seen", "Fired", ""], rows))
            <h2>Add a fault</h2>\(errors)
            <form method="post" action="/__admin/ui/faults">\(ConsoleLayout.csrfField(session.csrfToken))
            <p><label for="fault-json">One fault, or <code>{"faults": […]}</code>, as in a scenario file:</label></p>
            <textarea id="fault-json" name="json" spellcheck="false">\(json)</textarea>
            <p><button type="submit">Add</button></p></form>
            """
        return ConsoleLayout.page("Faults", section: .faults, status: problems == nil ? .ok : .badRequest, content)
    }

    /// The fault's JSON without its name and match: what it does.
    private static func outcomeJSON(_ fault: Fault) -> String {
        guard case .object(let object) = fault.json else { return fault.json.serialized }
        return JSONValue.object(JSONObject(object.members.filter { $0.key != "name" && $0.key != "match" })).serialized
    }
}
