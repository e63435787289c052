import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `POST /__admin/connect/lifecycle` with `{"app", "site", "event", "rotateSecret"?}` → 200
    /// `{"delivered", "status", "body", "url", "error", "installation"}`; 400 for an unknown app or site.
    var connectLifecycle: RouteHandler {
        { request, _ in
            switch Self.readBody(request, LifecycleRequest.init) {
            case .failure(let error):
                return error.response
            case .success(let lifecycle):
                let siteBaseURL = PlatformAPI.origin(of: request) + "/site/" + lifecycle.site
                switch state.sendLifecycle(lifecycle, siteBaseURL: siteBaseURL) {
                case .success(let delivery): return .json(delivery.json)
                case .failure(let error): return Self.error(.badRequest, "cannot send the lifecycle hook", issues: error.issues)
                }
            }
        }
    }

    /// `POST /__admin/connect/jwt` with `{"app", "site", "user"?, "method", "url"}` or `"context":true`,
    /// `"ttl"`? → 200 `{"token"}`: a JWT as Confluence would send the app.
    var connectJWT: RouteHandler {
        { request, _ in
            switch Self.readBody(request, ProductJWTRequest.init) {
            case .failure(let error):
                return error.response
            case .success(let jwtRequest):
                switch state.productJWT(jwtRequest) {
                case .success(let token): return .json(["token": .string(token)], headers: ["Cache-Control": "no-store"])
                case .failure(let error): return Self.error(.badRequest, "cannot mint a Connect JWT", issues: error.issues)
                }
            }
        }
    }


    /// `GET /__admin/connect/installations` → `{"installations":[{"app","site","clientKey","sharedSecret",
    /// "status","lastDelivery"}]}`: each installation as lifecycle hooks have left it.
    var connectInstallations: RouteHandler {
        { _, _ in
            .json(["installations": .array(state.connectInstallations.map { current in
                .object(JSONObject([("app", .string(current.app.key)), ("site", .string(current.site)), ("clientKey", .string(current.clientKey)),
                                    ("sharedSecret", .string(current.sharedSecret)), ("status", .string(current.status.rawValue)),
                                    ("lastDelivery", current.lastDelivery?.json ?? .null)]))
            })])
        }
    }
}
