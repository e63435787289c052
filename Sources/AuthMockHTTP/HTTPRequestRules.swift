/// The rules a request head must meet before its body is read, and what it asks of the connection.
extension HTTPRequestHead {
    /// RFC 9112 §3.2: an HTTP/1.1 request must carry exactly one Host field.
    func checkHost() throws(HTTPParseError) {
        let hosts = headers.count(of: "Host")
        if version == .http11 && hosts != 1 {
            throw HTTPParseError(.badRequest, hosts == 0 ? "missing Host header" : "more than one Host header")
        }
    }

    /// RFC 9110 §10.1.1: `100-continue` is the only expectation; any other is answered 417.
    func expectsContinue(framing: BodyFraming) throws(HTTPParseError) -> Bool {
        let expectations = headers.tokens("Expect")
        guard !expectations.isEmpty else { return false }
        guard expectations == ["100-continue"] else { throw HTTPParseError(.expectationFailed, "unsupported expectation") }
        return version == .http11 && framing != .none
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 closes unless told `keep-alive`.
    var wantsKeepAlive: Bool {
        let options = headers.tokens("Connection")
        return version == .http11 ? !options.contains("close") : options.contains("keep-alive")
    }
}
