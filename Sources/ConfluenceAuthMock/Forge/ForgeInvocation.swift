import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// A call from "Forge" to an app's remote: `POST /__admin/forge/invoke` and ``MockConfluence/invokeForgeRemote(_:)``.
public struct ForgeInvocationRequest: Sendable, Equatable {
    public var app: String
    public var site: String
    /// A key of the app's `remotes`.
    public var remote: String
    public var method: String
    /// Appended to the remote's base URL.
    public var path: String
    /// Sent as the JSON body (default `{}`).
    public var body: JSONValue?
    /// The invoking user (account id or email): the FIT's `principal`, and whose user token is sent.
    public var user: String?
    /// The key of the module that invokes, when one does: in the cloud-2026 profile the FIT then
    /// carries `context.localId` (``ForgeInvocationRequest/localId(app:environmentId:module:)``).
    public var module: String?

    public init(app: String, site: String, remote: String, method: String = "POST", path: String = "/", body: JSONValue? = nil, user: String? = nil,
                module: String? = nil) {
        self.app = app
        self.site = site
        self.remote = remote
        self.method = method
        self.path = path
        self.body = body
        self.user = user
        self.module = module
    }

    /// A module instance's `localId` in the FIT: an extension ARI built from the app's id, its
    /// environment and the module key, so the same module always gets the same one —
    /// `ari:cloud:ecosystem::extension/{app uuid}/{environment id}/static/{module key}`.
    public static func localId(app: String, environmentId: String, module: String) -> String {
        let uuid = app.hasPrefix(appARIPrefix) ? String(app.dropFirst(appARIPrefix.count)) : app
        return "ari:cloud:ecosystem::extension/\(uuid)/\(environmentId)/static/\(module)"
    }

    private static let appARIPrefix = "ari:cloud:ecosystem::app/"

    static let keys = ["app", "site", "remote", "method", "path", "body", "user", "module"]

    init?(_ node: JSONNode) {
        guard let object = node.object(keys: Self.keys) else { return nil }
        let app = object.required("app")?.nonEmptyString
        let site = object.required("site")?.nonEmptyString
        let remote = object.required("remote")?.nonEmptyString
        let method = object.optional("method")?.nonEmptyString?.uppercased() ?? "POST"
        let path = object.optional("path")?.relativePath ?? "/"
        let user = object.optional("user")?.nonEmptyString
        let module = object.optional("module")?.nonEmptyString
        guard let app, let site, let remote else { return nil }
        self.init(app: app, site: site, remote: remote, method: method, path: path, body: object.optional("body")?.value, user: user, module: module)
    }
}

/// What the remote answered, and whether Forge would count the invocation as failed.
public struct ForgeInvocationResult: Sendable, Equatable {
    /// App id and remote key of the invocation.
    public let app: String
    public let remote: String
    /// The remote's status; `nil` when it could not be reached.
    public let status: Int?
    public let headers: [String: String]
    public let body: String
    /// Why Forge would report a failure: unreachable, a redirect, a non-2xx status; `nil` on success.
    public let error: String?
    public let url: String
    public let traceId: String

    var json: JSONValue {
        .object(JSONObject([("app", .string(app)), ("remote", .string(remote)), ("status", status.map { .int($0) } ?? .null),
                            ("headers", .object(JSONObject(headers.keys.sorted().map { ($0, .string(headers[$0]!)) }))),
                            ("body", .string(body)), ("error", error.map { .string($0) } ?? .null), ("url", .string(url)), ("traceId", .string(traceId))]))
    }
}

/// Calls to a Forge app's remotes, as Forge makes them, over `tls`. The outbound call is made here,
/// on the calling thread, never under the state's lock; its outcome is recorded in the state.
struct ForgeInvocations {
    let state: MockState
    let tls: OutboundTLS

    /// Forge's timeout for a remote call from a UI module (docs/reference.md §5.1).
    static let forgeRemoteTimeout = 25.0

    /// Calls the remote as Forge does (docs/reference.md §5.1): `Authorization: Bearer <FIT>`, B3 trace
    /// headers, and the app tokens the app enables: `x-forge-oauth-system`, and `x-forge-oauth-user`
    /// when a user invokes and the manifest declares a product scope.
    func invoke(_ request: ForgeInvocationRequest, mockOrigin: String) -> Result<ForgeInvocationResult, TokenRequestError> {
        let tokens = ForgeTokens(state: state), scenario = tokens.scenario
        let target: ForgeTarget
        switch tokens.forgeTarget(app: request.app, site: request.site) {
        case .failure(let error): return .failure(error)
        case .success(let found): target = found
        }
        guard let base = target.app.remotes[request.remote] else {
            return .failure(TokenRequestError(issues: [ScenarioIssue(path: "remote", message: "the app has no remote \"\(request.remote)\"; it has \(target.app.remotes.keys.sorted().joined(separator: ", "))")]))
        }
        let user = request.user.flatMap { scenario.user($0) }
        if let name = request.user, user == nil { return .failure(TokenRequestError(issues: [ScenarioIssue(path: "user", message: "unknown user \"\(name)\"")])) }
        let traceId = Hex.encode(SecureRandom.bytes(16))
        var headers: HTTPHeaders = ["Content-Type": "application/json", "x-b3-traceid": traceId, "x-b3-spanid": Hex.encode(SecureRandom.bytes(8))]
        do {
            headers.set("Authorization", "Bearer " + (try tokens.forgeInvocationToken(target, moduleKey: request.remote, module: request.module, principal: user, mockOrigin: mockOrigin)))
        } catch {
            return .failure(TokenRequestError(issues: [ScenarioIssue(path: "", message: "signing failed: \(error)")]))
        }
        if target.app.appSystemToken, case .success(let system) = tokens.appToken(target, kind: .system, user: nil) {
            headers.set("x-forge-oauth-system", system.token)
        }
        let declaresUserScope = target.app.scopes.contains { !$0.hasPrefix("read:app-") }
        if target.app.appUserToken, let user, declaresUserScope, case .success(let userToken) = tokens.appToken(target, kind: .user, user: user) {
            headers.set("x-forge-oauth-user", userToken.token)
        }
        let url = AppURL.join(base, request.path)
        let body = request.body.map(\.serializedBytes) ?? JSONValue.object(JSONObject()).serializedBytes
        let result: ForgeInvocationResult
        do {
            let answer = try HTTPClient.send(method: request.method, url: url, headers: headers, body: body, timeoutSeconds: Self.forgeRemoteTimeout, tls: tls)
            var fields: [String: String] = [:]
            for field in answer.headers { fields[field.name.lowercased()] = field.value }
            result = ForgeInvocationResult(app: request.app, remote: request.remote, status: answer.status, headers: fields, body: answer.bodyText,
                                           error: Self.failure(of: answer.status), url: url, traceId: traceId)
        } catch {
            result = ForgeInvocationResult(app: request.app, remote: request.remote, status: nil, headers: [:], body: "", error: error.description,
                                           url: url, traceId: traceId)
        }
        state.recordForgeInvocation(result)
        return .success(result)
    }

    /// Forge counts only 2xx as success and treats a redirect as an error (docs/reference.md §5.1).
    private static func failure(of status: Int) -> String? {
        switch status {
        case 200..<300: nil
        case 300..<400: "the remote answered \(status): Forge treats redirects from a remote as errors"
        default: "the remote answered \(status): Forge reports the invocation as failed"
        }
    }
}
