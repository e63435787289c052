import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `POST /__admin/connect/lifecycle` with `{"app", "site", "event", "rotateSecret"?}` → 200
    /// `{"event", "delivered", "status", "body", "url", "error", "installation"}`; 400 for an unknown app or site.
    var connectLifecycle: RouteHandler {
        Self.acting(LifecycleRequest.init, failure: "cannot send the lifecycle hook",
                    { [hooks = LifecycleHooks(state: state, tls: outboundTLS)] body, request in hooks.send(body, siteBaseURL: PlatformAPI.origin(of: request) + "/site/" + body.site) },
                    answer: { .json($0.json) })
    }

    /// `POST /__admin/connect/jwt` with `{"app", "site", "user"?, "method", "url"}` or `"context":true`,
    /// `"ttl"`? → 200 `{"token"}`: a JWT as Confluence would send the app.
    var connectJWT: RouteHandler {
        Self.acting(ProductJWTRequest.init, failure: "cannot mint a Connect JWT", { [state] body, _ in ProductJWTs(state: state).sign(body) },
                    answer: { .json(["token": .string($0)], headers: ["Cache-Control": "no-store"]) })
    }

    /// `GET /__admin/connect/installations` → `{"installations":[{"app","site","clientKey","sharedSecret",
    /// "status","lastDelivery"}]}`: each installation as lifecycle hooks have left it.
    var connectInstallations: RouteHandler {
        { _, _ in
            .json(["installations": .array(ConnectInstallations(state: state).all.map { current in
                .object(JSONObject([("app", .string(current.app.key)), ("site", .string(current.site)), ("clientKey", .string(current.clientKey)),
                                    ("sharedSecret", .string(current.sharedSecret)), ("status", .string(current.status.rawValue)),
                                    ("lastDelivery", current.lastDelivery?.json ?? .null)]))
            })])
        }
    }
}
