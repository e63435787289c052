import AuthMockHTTP
import ConfluenceAuthMock
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension MockConfluence {
    /// A configuration (`base`'s settings, `.ephemeral` by default) whose sessions hand every
    /// request for the hosts in ``MockConfluence/servedHosts`` — `auth.atlassian.com`,
    /// `api.atlassian.com`, the key hosts and each scenario site's host — straight to this mock:
    /// no socket, no TLS, so a client built on production URLs (`https://acme.atlassian.net/wiki`,
    /// `https://auth.atlassian.com/oauth/token`) is tested unmodified, on Linux as on macOS. Each
    /// host answers only its own paths, as on Cloud. A request for any other host fails with
    /// `URLError(.cannotConnectToHost)` naming it. The journal records these requests with
    /// `transport` `.inProcess`. The mock must stay alive while the sessions are used.
    public func urlSessionConfiguration(_ base: URLSessionConfiguration = .ephemeral) -> URLSessionConfiguration {
        // A copy: the caller's configuration object stays as it was.
        let configuration = (base.copy() as? URLSessionConfiguration) ?? base
        configuration.protocolClasses = [InProcessURLProtocol.register(self)] + (configuration.protocolClasses ?? [])
        return configuration
    }

    /// A session over ``urlSessionConfiguration(_:)``.
    public func urlSession(delegate: (any URLSessionDelegate)? = nil) -> URLSession {
        URLSession(configuration: urlSessionConfiguration(), delegate: delegate, delegateQueue: nil)
    }
}

/// Answers a URL session's requests from a mock in the same process.
///
/// URLSession creates each instance for one task and calls `startLoading` and `stopLoading` on
/// it; its own state is the immutable request it was made with, and it calls its client from one
/// place at a time (synchronously in `startLoading`, or once from the delay's queue when the mock
/// asked for a delay).
class InProcessURLProtocol: URLProtocol {
    private static let mocks = Lock<(next: Int, byNumber: [Int: WeakMock])>((0, [:]))

    private struct WeakMock {
        weak var mock: MockConfluence?
    }

    /// Registers `mock` and returns the protocol class its sessions use: a class of its own, since
    /// URLSession tells a protocol class nothing of the session a request came from (and on Linux
    /// not even the session's extra header fields).
    static func register(_ mock: MockConfluence) -> URLProtocol.Type {
        let number = mocks.withLock { mocks in
            mocks.byNumber = mocks.byNumber.filter { $0.value.mock != nil }
            mocks.next += 1
            mocks.byNumber[mocks.next] = WeakMock(mock: mock)
            return mocks.next
        }
        return One.protocolClass(for: number)
    }

    /// The mock this instance's class was registered for.
    var mock: MockConfluence? {
        let number = (type(of: self) as? any NumberedProtocol.Type)?.number ?? 0
        return Self.mocks.withLock { $0.byNumber[number]?.mock }
    }

    override class func canInit(with request: URLRequest) -> Bool { true }

    override class func canonicalRequest(for request: URLRequest) -> URLRequest { request }

    override func startLoading() {
        switch exchange() {
        case .failure(let error): client?.urlProtocol(self, didFailWithError: error)
        case .success(let answer):
            guard answer.delay > 0 else { return deliver(answer) }
            let pending = Pending(transport: self, answer: answer)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(answer.delay)) { pending.transport.deliver(pending.answer) }
        }
    }

    override func stopLoading() {}

    /// The mock's answer, the URL it answers (after redirects), and the milliseconds the mock
    /// asked to wait, summed over the redirects.
    private struct Answer {
        let response: HTTPResponse
        let url: URL
        let delay: Int
    }

    /// An answer held for its delay. @unchecked Sendable: it crosses to the delay's queue once and
    /// is used there alone (see the class's note).
    private struct Pending: @unchecked Sendable {
        let transport: InProcessURLProtocol
        let answer: Answer
    }

    /// The mock's answer to the request. Redirects to a host the mock answers for are followed
    /// here, as URLSession follows them (swift-corelibs-foundation cannot take a redirect from a
    /// protocol class); one to any other host (an OAuth client's callback) is the answer, so the
    /// client reads its `Location`.
    private func exchange() -> Result<Answer, URLError> {
        guard let mock else { return .failure(Self.error(.cannotConnectToHost, "the mock this session was made from has been released", url: request.url)) }
        var current = request, delay = 0
        // Read once per exchange: each read takes the mock's lock and lists the scenario's sites.
        let served = mock.servedHosts
        for _ in 0...Self.redirectLimit {
            let response: HTTPResponse
            switch Self.send(current, to: mock, served: served) {
            case .failure(let error): return .failure(error)
            case .success(let answer): response = answer
            }
            delay += response.delayMilliseconds
            guard let url = current.url else { break }
            guard let next = Self.redirect(current, response, from: url), let host = next.url?.host?.lowercased(), served.contains(host) else {
                return .success(Answer(response: response, url: url, delay: delay))
            }
            current = next
        }
        return .failure(Self.error(.httpTooManyRedirects, "more than \(Self.redirectLimit) redirects", url: current.url))
    }

    private static let redirectLimit = 16

    /// One exchange with the mock.
    private static func send(_ request: URLRequest, to mock: MockConfluence, served: [String]) -> Result<HTTPResponse, URLError> {
        guard let url = request.url, let host = url.host?.lowercased() else { return .failure(error(.badURL, "a request without a host", url: request.url)) }
        guard served.contains(host) else {
            return .failure(error(.cannotConnectToHost, "confluence-auth-mock (in-process) does not answer for \(host); it answers for \(served.joined(separator: ", "))", url: url))
        }
        let http: HTTPRequest
        do {
            http = try httpRequest(request, url: url, host: host)
        } catch {
            return .failure(Self.error(.badURL, "not a request the mock can read: \(error)", url: url))
        }
        let response = mock.respond(inProcess: http)
        if response.stream != nil { return .failure(error(.unsupportedURL, "the admin event stream is not served in-process", url: url)) }
        switch response.wireFault {
        case nil, .slow?:
            return .success(response)
        case .reset?, .close?, .garbage?, .truncate?:
            // What a client sees of each on a socket: a connection that ends without a whole answer.
            return .failure(error(.networkConnectionLost, "the mock's scenario broke the connection (a wire fault)", url: url))
        }
    }

    /// The request a redirect leads to, as URLSession makes it: 303, and 301 or 302 after a POST,
    /// become a GET without a body.
    private static func redirect(_ request: URLRequest, _ response: HTTPResponse, from url: URL) -> URLRequest? {
        guard [301, 302, 303, 307, 308].contains(response.status.code), let location = response.headers["Location"],
              let target = URL(string: location, relativeTo: url)?.absoluteURL else { return nil }
        var next = request
        next.url = target
        if response.status.code == 303 || (request.httpMethod == "POST" && [301, 302].contains(response.status.code)) {
            next.httpMethod = "GET"
            next.httpBody = nil
            next.setValue(nil, forHTTPHeaderField: "Content-Type")
        }
        return next
    }

    private func deliver(_ answer: Answer) {
        var fields: [String: String] = [:]
        for field in answer.response.headers.fields { fields[field.name] = fields[field.name].map { $0 + ", " + field.value } ?? field.value }
        guard let response = HTTPURLResponse(url: answer.url, statusCode: answer.response.status.code, httpVersion: "HTTP/1.1", headerFields: fields) else {
            return client?.urlProtocol(self, didFailWithError: Self.error(.badServerResponse, "an answer URLSession cannot represent", url: answer.url)) ?? ()
        }
        client?.urlProtocol(self, didReceive: response, cacheStoragePolicy: .notAllowed)
        client?.urlProtocol(self, didLoad: Data(answer.response.body))
        client?.urlProtocolDidFinishLoading(self)
    }

    /// The request as the mock's pipeline reads one from a socket, marked as addressed to `host`.
    private static func httpRequest(_ request: URLRequest, url: URL, host: String) throws -> HTTPRequest {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? "/"
        let target = (path.isEmpty ? "/" : path) + (components?.percentEncodedQuery.map { "?" + $0 } ?? "")
        var headers = HTTPHeaders()
        for (name, value) in request.allHTTPHeaderFields ?? [:] { headers.add(name, value) }
        if headers["Host"] == nil { headers.add("Host", url.port.map { "\(host):\($0)" } ?? host) }
        var http = try HTTPRequest(method: request.httpMethod ?? "GET", target: target, headers: headers, body: body(of: request),
                                   isSecure: url.scheme?.lowercased() == "https", remoteAddress: "in-process")
        http.addressedHost = host
        http.transport = .inProcess
        return http
    }

    /// The body, from `httpBody` or read whole from `httpBodyStream` (how uploads arrive).
    private static func body(of request: URLRequest) -> [UInt8] {
        if let body = request.httpBody { return Array(body) }
        guard let stream = request.httpBodyStream else { return [] }
        stream.open()
        defer { stream.close() }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = stream.read(&chunk, maxLength: chunk.count)
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    private static func error(_ code: URLError.Code, _ message: String, url: URL?) -> URLError {
        var info: [String: Any] = [NSLocalizedDescriptionKey: message]
        if let url { info[NSURLErrorFailingURLErrorKey] = url }
        return URLError(code, userInfo: info)
    }
}

/// A class of `InProcessURLProtocol` per registered mock, made at run time from the mock's number
/// written in binary as a generic type (`Odd<Even<One>>` is 5: one, doubled, then doubled plus one,
/// read from the innermost): Swift instantiates each distinct generic class once, and its `number` tells
/// an instance which mock it serves.
protocol MockNumber {
    static var value: Int { get }
}

enum One: MockNumber { static var value: Int { 1 } }
enum Even<Rest: MockNumber>: MockNumber { static var value: Int { Rest.value * 2 } }
enum Odd<Rest: MockNumber>: MockNumber { static var value: Int { Rest.value * 2 + 1 } }

protocol NumberedProtocol {
    static var number: Int { get }
}

final class NumberedURLProtocol<Number: MockNumber>: InProcessURLProtocol, NumberedProtocol {
    static var number: Int { Number.value }
}

extension MockNumber {
    /// The protocol class numbered `number` (at least 1).
    static func protocolClass(for number: Int) -> URLProtocol.Type {
        let bits = String(number, radix: 2).dropFirst().map { $0 == "1" }
        return build(One.self, bits[...])
    }

    private static func build<N: MockNumber>(_ number: N.Type, _ bits: ArraySlice<Bool>) -> URLProtocol.Type {
        guard let bit = bits.first else { return NumberedURLProtocol<N>.self }
        return bit ? build(Odd<N>.self, bits.dropFirst()) : build(Even<N>.self, bits.dropFirst())
    }
}
