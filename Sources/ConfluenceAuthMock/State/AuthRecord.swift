import AuthMockFormats

/// What a request authenticated as, once the mock recognised its credential: a 3LO token is
/// `oauth`, a Forge app token `forge`, a Connect JWT or Connect app token `connect`, a service
/// account's client-credentials token `service-account-oauth` and its scoped API token (Basic or
/// Bearer) `service-account-token`. The kind of credential presented, in fault matching's names,
/// is `AuthRecord.credential`.
public enum AuthMechanism: String, Sendable, Equatable, CaseIterable {
    case oauth, basic, connect, forge, anonymous
    case serviceAccountOAuth = "service-account-oauth"
    case serviceAccountToken = "service-account-token"
    /// No mechanism weighed the request (a route that needs none, or one answered before);
    /// `"none"` in the journal's JSON. Not `none`, which an optional `AuthMechanism?` would read
    /// as "no value".
    case unchecked = "none"
}

/// What a mechanism decided about a request.
public enum AuthDecision: String, Sendable, Equatable, CaseIterable {
    case allowed, denied
}

/// How a request authenticated and what was decided, as the journal records it.
public struct AuthRecord: Sendable, Equatable {
    /// What the credential was recognised as.
    public var mechanism: AuthMechanism
    /// The credential the request presented, named as fault matching's `auth` names it (`basic`,
    /// `bearer`, `jwt` or `none`), whatever the mechanism made of it.
    public var credential: AuthKind
    /// Who the request authenticated as: an account id, an OAuth client id (at `/authorize`), or a Connect or Forge app.
    public var principal: String?
    /// The OAuth client id, Connect app key or Forge app id the request came through, when it
    /// came through one: with a user's 3LO token `principal` is the user and `client` the app.
    public var client: String?
    /// The scopes the credential holds (empty for unscoped basic auth).
    public var scopesHeld: [String]
    /// The scopes the route asks of it.
    public var scopesRequired: [String]
    /// Set once a mechanism decided.
    public var decision: AuthDecision?
    /// Why a request was refused (or what is pending), in words; for Connect, the failed check
    /// named as `X-Mock-Auth-Failure` names it. Free text, so compare it with care.
    public var reason: String?

    /// A record; the pipeline fills one in for every request.
    public init(mechanism: AuthMechanism = .unchecked, credential: AuthKind = .noCredential, principal: String? = nil, client: String? = nil,
                scopesHeld: [String] = [], scopesRequired: [String] = [], decision: AuthDecision? = nil, reason: String? = nil) {
        self.mechanism = mechanism
        self.credential = credential
        self.principal = principal
        self.client = client
        self.scopesHeld = scopesHeld
        self.scopesRequired = scopesRequired
        self.decision = decision
        self.reason = reason
    }

    /// Records a refusal and why.
    mutating func deny(_ reason: String) {
        decision = .denied
        self.reason = reason
    }

    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        // Named parts: as one literal the expression is too much for the type checker.
        let held: JSONValue = .array(scopesHeld.map { .string($0) })
        let required: JSONValue = .array(scopesRequired.map { .string($0) })
        return .object(JSONObject([("mechanism", .string(mechanism.rawValue)), ("credential", .string(credential.rawValue)),
                                   ("principal", optional(principal)), ("client", optional(client)),
                                   ("scopesHeld", held), ("scopesRequired", required),
                                   ("decision", optional(decision?.rawValue)), ("reason", optional(reason))]))
    }
}
