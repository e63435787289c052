import AuthMockHTTP

extension HTTPRequest {
    /// The credentials of `Authorization: <scheme> <credentials>` on a request the mock sent an
    /// app (a hook, a Forge invocation), as the app would read them.
    func authorization(scheme: String) -> String? {
        guard let header = headers["Authorization"], header.lowercased().hasPrefix(scheme.lowercased() + " ") else { return nil }
        return String(header.dropFirst(scheme.count + 1))
    }
}
