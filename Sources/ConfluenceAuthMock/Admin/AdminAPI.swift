import AuthMockFormats
import AuthMockHTTP

/// The `/__admin` control API over one mock's state. Answers are JSON; errors are
/// `{"error": MESSAGE, "details": [{"path", "message"}…]}`.
struct AdminAPI: Sendable {
    let state: MockState
    /// How hooks and Forge invocations sent from the admin API trust `https://` apps.
    let outboundTLS: OutboundTLS
    /// Where `POST /__admin/state/save` writes (`serve --state FILE`); `nil` refuses it.
    let stateFile: String?
    /// The proxy's CA certificate (PEM); `nil` with the proxy off.
    var proxyCACertificate: String? = nil

    /// `GET /__admin/ca.pem`: the CA certificate the proxy's certificates chain to; 404 with the proxy off.
    var proxyCA: RouteHandler {
        { [proxyCACertificate] _, _ in
            guard let proxyCACertificate else { return Self.error(.notFound, "the proxy is off (serve --no-proxy): no CA certificate") }
            return HTTPResponse(headers: ["Content-Type": "application/x-pem-file"], body: Array(proxyCACertificate.utf8))
        }
    }

    /// `GET /__admin/health` → `{"status":"ok","scenario":NAME}`.
    var health: RouteHandler {
        { _, _ in .json(["status": "ok", "scenario": .string(state.scenario.displayName)]) }
    }

    /// `GET /__admin/scenario`: the scenario as loaded, in the file format.
    var scenario: RouteHandler {
        { _, _ in .json(state.scenario.json) }
    }

    /// Loading a large scenario or saved state takes tens of milliseconds (10,000 users: about
    /// 100 ms): not on an event loop's thread, where it would hold up the loop's other connections.
    static func offTheLoopIfLarge(_ request: HTTPRequest) {
        if request.body.count > 64 * 1024 { mayBlock() }
    }

    /// `PUT /__admin/scenario`: swaps atomically; a bad scenario is refused whole and the old one keeps serving.
    var replaceScenario: RouteHandler {
        { request, _ in
            Self.offTheLoopIfLarge(request)
            do throws(ScenarioError) {
                let scenario = try Scenario.load(json: request.body)
                state.replace(with: scenario)
                return .json(["scenario": .string(scenario.displayName)])
            } catch {
                return Self.error(.badRequest, "invalid scenario; the previous one keeps serving", issues: error.issues)
            }
        }
    }

    /// `POST /__admin/reset`.
    var reset: RouteHandler {
        { _, _ in
            state.reset()
            return .json(["reset": true])
        }
    }

    /// The admin error shape.
    static func error(_ status: HTTPStatus, _ message: String, issues: [ScenarioIssue] = []) -> HTTPResponse {
        .json(["error": .string(message),
               "details": .array(issues.map { ["path": .string($0.path), "message": .string($0.message)] })], status: status)
    }

    /// A route that reads its body with `read`, acts on it, and answers `answer` of the result, or
    /// 400 "`failure`" with every problem of the body or of the action.
    static func acting<Body, Outcome>(_ read: @escaping @Sendable (JSONNode) -> Body?, failure: String,
                                      _ act: @escaping @Sendable (Body, HTTPRequest) -> Result<Outcome, TokenRequestError>,
                                      answer: @escaping @Sendable (Outcome) -> HTTPResponse) -> RouteHandler {
        { request, _ in
            switch readBody(request, read) {
            case .failure(let error):
                return error.response
            case .success(let body):
                switch act(body, request) {
                case .success(let outcome): return answer(outcome)
                case .failure(let error): return Self.error(.badRequest, failure, issues: error.issues)
                }
            }
        }
    }

    /// Reads a JSON request body with the scenario reader, collecting every problem.
    static func readBody<T>(_ request: HTTPRequest, _ read: (JSONNode) -> T?) -> Result<T, HTTPResponseError> {
        readJSON(request.body, read).mapError { HTTPResponseError(Self.error(.badRequest, $0.message, issues: $0.issues)) }
    }

    /// Reads JSON text with the scenario reader, collecting every problem.
    static func readJSON<T>(_ bytes: [UInt8], _ read: (JSONNode) -> T?) -> Result<T, AdminFailure> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            return .failure(AdminFailure(message: "the body is not JSON: \(error)"))
        }
        let issues = IssueCollector()
        let result = read(JSONNode(value: value, path: .root, issues: issues))
        guard let result, issues.issues.isEmpty else { return .failure(AdminFailure(message: "invalid request body", issues: issues.issues)) }
        return .success(result)
    }
}

/// Why the admin API refused a body: a message and every problem found, by JSON path.
struct AdminFailure: Error {
    let message: String
    var issues: [ScenarioIssue] = []
}

/// A finished error response carried through a `Result`.
struct HTTPResponseError: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
