import AuthMockHTTP

/// A running Confluence auth mock: start one per test (or per process), point clients at its
/// ``baseURLString`` (a `URL` as `baseURL` with ConfluenceAuthMockTesting), script it, read its
/// journal, stop it. A mock nobody references any more stops itself.
///
/// ```swift
/// let mock = try MockConfluence.start(scenario: .bundledDefault)
/// defer { mock.stop() }
/// // client base URL: mock.siteURLString(named: "acme"), or mock.gatewayURLString(site: "acme")
/// ```
public final class MockConfluence: Sendable {
    /// How it listens, as started.
    public let options: MockServerOptions
    let state: MockState
    private let server: HTTPServer
    /// What answers every request, over the listeners or in process.
    private let pipeline: RequestPipeline
    /// The proxy's certificates, or why its CA is unusable (``start()`` throws it); `nil` with the
    /// proxy off.
    private let proxySetup: Result<TunnelCertificates, TLSError>?
    /// Where it listens, for the console's overview.
    private let listeners = ListenerAddresses()

    /// Prepares a mock for a validated scenario without binding anything yet.
    public init(scenario: Scenario, options: MockServerOptions = MockServerOptions()) throws(ScenarioError) {
        self.options = options
        state = MockState(scenario: try scenario.validated(), journalCapacity: options.journalCapacity)
        var configuration = HTTPServerConfiguration(host: options.host, port: options.port, tls: options.tls)
        configuration.limits = HTTPLimits()
        proxySetup = options.proxyEnabled ? Self.tunnels(options.proxyCA ?? .bundled) : nil
        if case .success(let tunnels)? = proxySetup { configuration.tunnels = tunnels }
        pipeline = RequestPipeline(state: state, options: options, listeners: listeners)
        server = HTTPServer(configuration: configuration, handler: pipeline)
    }

    /// Restores the state file, if ``MockServerOptions/stateFile`` names one that exists, then
    /// binds the listeners. Throws a ``StateError`` naming the file when it cannot be restored
    /// (nothing is bound, and the file is left as it is), a ``StateFileError`` when its folder is
    /// missing or not writable (a save would fail), or an error when a port is taken or the TLS
    /// files are unusable.
    public func start() throws {
        if case .failure(let error)? = proxySetup { throw error }
        if let file = options.stateFile {
            try StateFile.checkWritable(file)
            try StateFile.restore(state, from: file)
        }
        try server.start()
        listeners.set([baseURLString] + (tlsBaseURLString.map { [$0] } ?? []))
        // Listening first: the site routes are built while the first requests can already come in.
        CatalogRoutes.prepareInBackground()
    }

    private static func tunnels(_ ca: MockServerOptions.ProxyCA) -> Result<TunnelCertificates, TLSError> {
        (ca == .bundled ? bundledAuthority : authority(ca)).map { TunnelCertificates(authority: $0) }
    }

    private static func authority(_ ca: MockServerOptions.ProxyCA) -> Result<CertificateAuthority, TLSError> {
        Result { () throws(TLSError) in try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM) }
    }

    /// The bundled test CA, read once per process: reading a CA and checking its key costs about
    /// two milliseconds, which every in-process start would otherwise pay.
    private static let bundledAuthority = authority(.bundled)

    /// Answers `request` without a socket, as the in-process URL session transport hands it over
    /// (ConfluenceAuthMockTesting): through the same pipeline, journaled with its `transport`.
    package func respond(inProcess request: HTTPRequest) -> HTTPResponse { pipeline.respond(to: request) }

    /// The hosts the mock answers for by name: Atlassian's (`auth.atlassian.com`,
    /// `api.atlassian.com`, the Connect and Forge key hosts, Connect impersonation's
    /// `oauth-2-authorization-server.services.atlassian.com`) and each scenario site's URL host.
    public var servedHosts: [String] { AtlassianHosts.served(by: state.scenario) }

    /// Stops gracefully (requests in flight finish) and frees the ports. Calling it again does nothing.
    public func stop() { server.stop() }

    /// Whether it has started and not yet been stopped.
    public var isRunning: Bool { server.isRunning }

    /// A mock that was not stopped stops when the last reference to it goes, so a forgotten
    /// `stop()` leaves no listener and no threads behind. Keep a reference for as long as clients
    /// call it: `defer { mock.stop() }` does.
    deinit { server.stop() }

    // MARK: Starting

    /// Starts a mock on `127.0.0.1` and a free port (unless `options` say otherwise).
    ///
    /// Starting is synchronous, and there is no `async` twin: binding the listeners takes well
    /// under a millisecond and never suspends, and a synchronous function is called the same way
    /// (`try MockConfluence.start()`) from synchronous and `async` code alike, where an `async`
    /// overload would make that spelling ambiguous in `async` tests.
    public static func start(scenario: Scenario = .bundledDefault, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        try started(scenario, options)
    }

    private static func started(_ scenario: Scenario, _ options: MockServerOptions) throws -> MockConfluence {
        let mock = try MockConfluence(scenario: scenario, options: options)
        try mock.start()
        return mock
    }

    /// Starts a mock from a scenario file.
    public static func start(scenarioFile path: String, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        try started(try Scenario.load(contentsOfFile: path), options)
    }

    /// Starts a mock from scenario JSON text.
    public static func start(scenarioJSON json: String, options: MockServerOptions = MockServerOptions()) throws -> MockConfluence {
        try started(try Scenario.load(json: json), options)
    }

    // MARK: Where it is
    //
    // As text: this module links no Foundation (docs/architecture.md). ConfluenceAuthMockTesting
    // gives the same as Foundation `URL`s: `baseURL`, `tlsBaseURL`, `siteURL(named:)`, `gatewayURL(site:)`.

    /// `http://HOST:PORT` (IPv6 hosts in brackets).
    public var baseURLString: String { "http://\(Self.urlHost(server.boundHost)):\(server.port)" }

    /// `https://HOST:PORT`, when TLS is on.
    public var tlsBaseURLString: String? { server.tlsPort.map { "https://\(Self.urlHost(server.boundHost)):\($0)" } }

    /// The mock's URL for a site (`BASE/site/acme`), or `nil` for a site the scenario lacks.
    public func siteURLString(named name: String) -> String? {
        state.scenario.sites.contains { $0.name == name } ? "\(baseURLString)/site/\(name)" : nil
    }

    /// The mock's URL for a site through the API gateway (`BASE/ex/confluence/{cloudId}`), as
    /// OAuth and scoped-token clients call it; `nil` for a site the scenario lacks.
    public func gatewayURLString(site name: String) -> String? {
        state.scenario.sites.first { $0.name == name }.map { "\(baseURLString)/ex/confluence/\($0.cloudId)" }
    }

    static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    // MARK: Scenario

    /// The scenario it serves now.
    public var scenario: Scenario { state.scenario }

    /// Swaps the scenario atomically; an invalid one is refused and the old one keeps serving.
    public func replaceScenario(_ scenario: Scenario) throws(ScenarioError) { state.replace(with: try scenario.validated()) }

    /// Back to the scenario's start: clock, journal, counters and run-time state.
    public func reset() { state.reset() }

    // MARK: Clock
    //
    // ConfluenceAuthMockTesting adds the `Date` forms: `now` and `setClock(to:)`.

    /// The scenario clock's time, seconds since 1970.
    public var nowSecondsSince1970: Double { state.now }

    /// Moves the scenario clock (backwards for a negative duration); tokens and codes expire on it.
    public func advanceClock(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        advanceClock(seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Sets the scenario clock to a time in seconds since 1970.
    public func setClock(toSecondsSince1970 seconds: Double) { state.updateClock { $0.set(to: seconds) } }

    /// Stops the scenario clock (it then moves only when advanced or set), or lets it run again.
    public func freezeClock(_ frozen: Bool = true) { state.updateClock { $0.setFrozen(frozen) } }

    /// The former spelling of ``advanceClock(by:)``, in seconds.
    @available(*, deprecated, message: "use advanceClock(by: .seconds(n))")
    public func advanceClock(by seconds: Double) { advanceClock(seconds: seconds) }

    /// The former spelling of ``setClock(toSecondsSince1970:)``.
    @available(*, deprecated, renamed: "setClock(toSecondsSince1970:)")
    public func setClock(to seconds: Double) { setClock(toSecondsSince1970: seconds) }

    private func advanceClock(seconds: Double) { state.updateClock { $0.advance(by: seconds) } }

    // MARK: Tokens

    /// Mints an access token (and a refresh token with `offline_access`) as if the user had
    /// consented, without the OAuth dance. Checked against the scenario like a real consent.
    public func mintToken(_ request: TokenRequest) throws(TokenRequestError) -> TokenResponse {
        try OAuthGrants(state: state).mintToken(request).get()
    }

    /// Revokes what a user granted a client (either may be `nil` for "any"), as when the user
    /// removes the app's access: its access tokens answer 401 at the gateway, its refresh tokens
    /// 403 `invalid_grant`, and its unexchanged codes are refused.
    @discardableResult
    public func revokeTokens(_ request: RevocationRequest) throws(TokenRequestError) -> Revocation {
        try OAuthGrants(state: state).revokeTokens(request).get()
    }

    // MARK: Connect

    /// A Connect installation as it is now (its secret after rotations, its lifecycle status).
    public func connectInstallation(app: String, site: String) -> ConnectInstallationState? { ConnectInstallations(state: state).installation(app: app, site: site) }

    /// Every Connect installation as it is now, with the last hook sent to each.
    public var connectInstallations: [ConnectInstallationState] { ConnectInstallations(state: state).all }

    /// A JWT as Confluence would send the app: for a request (`qsh`) or a context token.
    public func connectJWT(_ request: ProductJWTRequest) throws(TokenRequestError) -> String { try ProductJWTs(state: state).sign(request).get() }

    /// Sends a lifecycle hook to the app and waits for its answer (at most 10 seconds).
    public func sendLifecycle(_ request: LifecycleRequest) throws(TokenRequestError) -> LifecycleDelivery {
        try LifecycleHooks(state: state, tls: options.outboundTLS).send(request, siteBaseURL: "\(baseURLString)/site/\(request.site)").get()
    }

    // MARK: Forge

    /// Mints a Forge app token (system or user) that the gateway accepts within the manifest's scopes.
    public func forgeToken(_ request: ForgeTokenRequest) throws(TokenRequestError) -> ForgeToken { try ForgeTokens(state: state).mint(request).get() }

    /// Invokes the app's remote as Forge does and returns its answer (waits up to 25 seconds).
    public func invokeForgeRemote(_ request: ForgeInvocationRequest) throws(TokenRequestError) -> ForgeInvocationResult {
        try ForgeInvocations(state: state, tls: options.outboundTLS).invoke(request, mockOrigin: baseURLString).get()
    }

    /// The Forge invocations sent since the start or the last reset, with the remote's answers (the last 100).
    public var forgeInvocations: [ForgeInvocationResult] { state.forgeInvocations }

    // MARK: Journal

    /// Requests received (admin requests excluded), oldest first.
    public func requests(_ filter: JournalFilter = JournalFilter()) -> [JournalEntry] { state.requests(filter) }
    /// Empties the journal (ids keep counting).
    public func clearRequests() { state.clearRequests() }

    // MARK: Faults

    /// The faults in force, the scenario's first, each with its id.
    public var faults: [StoredFault] { state.faults }

    /// Adds a fault (checked like a scenario's) and returns its id.
    @discardableResult
    public func addFault(_ fault: Scenario.Fault) throws(ScenarioError) -> String {
        var check = state.scenario
        check.faults = [fault]
        _ = try check.validated()
        return state.addFaults([fault])[0]
    }

    @discardableResult
    /// Removes a fault by id; `false` when there is none.
    public func removeFault(id: String) -> Bool { state.removeFault(id: id) }
    /// Removes every fault, the scenario's included.
    public func clearFaults() { state.clearFaults() }
}
