import AuthMockHTTP

extension AdminAPI {
    /// `POST /__admin/forge/tokens` with `{"app", "site", "kind":"system"|"user", "user"?}` → 200
    /// `{"token", "expires_in"}`; 400 with every problem.
    var forgeTokens: RouteHandler {
        Self.acting(ForgeTokenRequest.init, failure: "cannot mint a Forge app token", { [state] body, _ in ForgeTokens(state: state).mint(body) },
                    answer: { .json(["token": .string($0.token), "expires_in": .int($0.expiresIn)], headers: ["Cache-Control": "no-store"]) })
    }

    /// `POST /__admin/forge/invoke` with `{"app", "site", "remote", "method", "path", "body", "user"}` →
    /// 200 `{"status", "headers", "body", "error", "url", "traceId"}` of the remote's answer.
    var forgeInvoke: RouteHandler {
        Self.acting(ForgeInvocationRequest.init, failure: "cannot invoke the remote",
                    { [invocations = ForgeInvocations(state: state, tls: outboundTLS)] body, request in invocations.invoke(body, mockOrigin: PlatformAPI.origin(of: request)) },
                    answer: { .json($0.json) })
    }

    /// `GET /__admin/forge/invocations` → `{"invocations":[…]}`: what each invocation sent since the
    /// start or the last reset got back, oldest first (the last 100).
    var forgeInvocations: RouteHandler {
        { _, _ in .json(["invocations": .array(state.forgeInvocations.map(\.json))]) }
    }
}
