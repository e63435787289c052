/// What one request reads, copied out of `MockState` under its lock in one step when the request
/// arrives (docs/architecture.md, "Concurrency"). Every stage and handler reads this value, so a
/// scenario swapped in while the request runs is never mixed with the one it started with; the
/// lock is taken again only to change something (a write, a counter, a token, the journal).
///
/// A class, immutable: the pipeline, the verifiers and the handler each hold it, and handing on a
/// reference costs one retain where copying its twenty-odd counted fields cost twenty.
final class StateSnapshot: Sendable {
    let scenario: Scenario
    /// The scenario clock's time when the snapshot was taken.
    let now: Double
    /// The scenario clock as it was then (the journal times the request's arrival by it).
    let clock: ScenarioClock
    /// Whether any fault or rate limit could apply (when not, requests skip failure injection).
    let scripted: Bool
    /// What lifecycle hooks changed in the scenario's Connect installations.
    let connect: ConnectRuntime
    /// The running content: pages and space names as writes left them.
    let content: ContentStore
    /// The status of the bearer token the request presented, looked up in the same step.
    let bearer: AccessTokenStatus?
    /// The keys the mock signs with.
    let keys: SigningKeys

    init(scenario: Scenario, clock: ScenarioClock, now: Double, scripted: Bool, connect: ConnectRuntime, content: ContentStore, bearer: AccessTokenStatus?,
         keys: SigningKeys) {
        self.scenario = scenario
        self.clock = clock
        self.now = now
        self.scripted = scripted
        self.connect = connect
        self.content = content
        self.bearer = bearer
        self.keys = keys
    }

    /// The same snapshot with another status for the bearer token.
    func with(bearer: AccessTokenStatus) -> StateSnapshot {
        StateSnapshot(scenario: scenario, clock: clock, now: now, scripted: scripted, connect: connect, content: content, bearer: bearer, keys: keys)
    }

    /// The installation a Connect JWT's `iss` names on `site`: the app key, for the app's
    /// installation on that site, or an installation's client key, which must be on that site.
    func connectInstallation(issuer: String, site: String) -> ConnectInstallationState? {
        connect.installation(in: scenario) { $0.installation.site == site && ($0.app.key == issuer || $0.installation.clientKey == issuer) }
    }

    /// The installation whose `oauthClientId` is `clientId`.
    func connectInstallation(oauthClientId clientId: String) -> ConnectInstallationState? {
        connect.installation(in: scenario) { $0.installation.oauthClientId == clientId }
    }

    /// Every installation, with what lifecycle hooks changed, in scenario order.
    var connectInstallations: [ConnectInstallationState] {
        scenario.connectApps.flatMap { app in app.installations.map { connect.current(app, $0) } }
    }

    /// The installation of app `key` on `site`.
    func connectInstallation(app key: String, site: String) -> ConnectInstallationState? {
        connect.installation(in: scenario) { $0.app.key == key && $0.installation.site == site }
    }
}
