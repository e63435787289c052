/// What one request reads, copied out of `MockState` under its lock in one step when the request
/// arrives (docs/architecture.md, "Concurrency"). Every stage and handler reads this value, so a
/// scenario swapped in while the request runs is never mixed with the one it started with; the
/// lock is taken again only to change something (a write, a counter, a token, the journal).
///
/// A class, immutable: the pipeline, the verifiers and the handler each hold it, and handing on a
/// reference costs one retain where copying its twenty-odd counted fields cost twenty. What does
/// not change from one request to the next (``SnapshotBase``) is shared by every snapshot until the
/// state changes, so taking one costs a retain of the base, not a copy of the scenario: with two
/// threads serving requests, every count of a shared field is a cache line the cores pass back
/// and forth.
final class StateSnapshot: Sendable {
    let base: SnapshotBase
    /// The scenario clock's time when the snapshot was taken.
    let now: Double
    /// The status of the bearer token the request presented, looked up in the same step.
    let bearer: AccessTokenStatus?

    init(base: SnapshotBase, now: Double, bearer: AccessTokenStatus?) {
        self.base = base
        self.now = now
        self.bearer = bearer
    }

    var scenario: Scenario { base.scenario }
    /// The scenario clock as it was then (the journal times the request's arrival by it).
    var clock: ScenarioClock { base.clock }
    /// Whether any fault or rate limit could apply (when not, requests skip failure injection).
    var scripted: Bool { base.scripted }
    /// What lifecycle hooks changed in the scenario's Connect installations.
    var connect: ConnectRuntime { base.connect }
    /// The running content: pages and space names as writes left them.
    var content: ContentStore { base.content }
    /// The keys the mock signs with.
    var keys: SigningKeys { base.keys }

    /// The same snapshot with another status for the bearer token.
    func with(bearer: AccessTokenStatus) -> StateSnapshot { StateSnapshot(base: base, now: now, bearer: bearer) }

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

/// The part of a snapshot that stays the same from request to request: `MockState` makes a new one
/// whenever one of these changes (a scenario swap, a write, a lifecycle hook, a clock or fault
/// change, new keys) and hands the same one to every request until then.
final class SnapshotBase: Sendable {
    let scenario: Scenario
    let clock: ScenarioClock
    let scripted: Bool
    let connect: ConnectRuntime
    let content: ContentStore
    let keys: SigningKeys

    init(scenario: Scenario, clock: ScenarioClock, faults: [StoredFault], connect: ConnectRuntime, content: ContentStore, keys: SigningKeys) {
        self.scenario = scenario
        self.clock = clock
        scripted = !faults.isEmpty || !scenario.rateLimits.isEmpty
        self.connect = connect
        self.content = content
        self.keys = keys
    }
}
