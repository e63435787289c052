import AuthMockHTTP

extension AdminAPI {
    /// Admin routes whose mechanism lands with a later capability answer 501 and say which
    /// (issue "Scenario files…": "endpoints whose mechanism lands in a later issue may answer 501").
    static func notYet(_ mechanism: String) -> RouteHandler {
        { request, _ in
            Self.error(.notImplemented, "\(request.method) \(request.path) arrives with \(mechanism) support; this build does not have it yet")
        }
    }
}
