import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/consents` → `{"consents":[{"id","clientId","user","scopes","sites","state","redirectUri"}]}`.
    var consents: RouteHandler {
        { _, _ in .json(["consents": .array(OAuthGrants(state: state).pendingConsents.map(\.json))]) }
    }

    /// `POST /__admin/consents/{id}` with `{"decision":"approve"|"deny","sites":[…]}` → `{"redirect":URL}`.
    var decideConsent: RouteHandler {
        { request, parameters in
            let read: (JSONNode) -> (Bool, [String]?)? = { node in
                guard let object = node.object(keys: ["decision", "sites"]) else { return nil }
                let decision = object.required("decision")?.string
                let sites = object.optional("sites")?.strings
                guard let decision else { return nil }
                guard decision == "approve" || decision == "deny" else {
                    object.optional("decision")?.report("unknown decision \"\(decision)\"; expected approve or deny")
                    return nil
                }
                return (decision == "approve", sites)
            }
            switch Self.readBody(request, read) {
            case .failure(let error): return error.response
            case .success(let (approve, sites)):
                switch OAuthGrants(state: state).decideConsent(id: parameters["id"] ?? "", approve: approve, sites: sites) {
                case .success(let location): return .json(["redirect": .string(location)])
                case .failure(.unknown): return Self.error(.notFound, "no pending consent with id \"\(parameters["id"] ?? "")\"")
                case .failure(.badSites(let offered)):
                    return Self.error(.badRequest, "sites must be among those offered: \(offered.joined(separator: ", "))")
                }
            }
        }
    }
}
