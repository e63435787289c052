import AuthMockFormats

/// Where a Connect installation stands after the lifecycle hooks the mock has sent.
public enum ConnectInstallationStatus: String, Sendable, Equatable, CaseIterable {
    /// Installed and enabled: the scenario's starting point.
    case installed
    /// The app did not answer 2xx to `installed`: Confluence marks the install incomplete and the
    /// app cannot call it.
    case incomplete
    case disabled
    case uninstalled
}

/// A Connect installation as it is now: the scenario's, with the secret and status its lifecycle
/// hooks have changed since.
public struct ConnectInstallationState: Sendable, Equatable {
    public let app: Scenario.ConnectApp
    public let installation: Scenario.ConnectInstallation
    public let status: ConnectInstallationStatus
    /// The last lifecycle hook the mock sent this installation, with the app's answer.
    public let lastDelivery: LifecycleDelivery?

    var site: String { installation.site }
    var clientKey: String { installation.clientKey }
    var sharedSecret: String { installation.sharedSecret }
}

/// What lifecycle hooks changed, by client key; empty at the scenario's start and after a reset.
struct ConnectRuntime: Sendable {
    var secrets: [String: String] = [:]
    var statuses: [String: ConnectInstallationStatus] = [:]
    var deliveries: [String: LifecycleDelivery] = [:]

    /// The scenario's installation with what lifecycle hooks changed.
    func current(_ app: ConnectApp, _ installation: ConnectInstallation) -> ConnectInstallationState {
        var current = installation
        if let secret = secrets[installation.clientKey] { current.sharedSecret = secret }
        return ConnectInstallationState(app: app, installation: current, status: statuses[installation.clientKey] ?? .installed,
                                        lastDelivery: deliveries[installation.clientKey])
    }
}

extension ConnectRuntime {
    /// The first installation of `scenario` that `matches`, with what this runtime records of it.
    func installation(in scenario: Scenario, where matches: ((app: ConnectApp, installation: ConnectInstallation)) -> Bool) -> ConnectInstallationState? {
        for app in scenario.connectApps {
            for installation in app.installations where matches((app, installation)) { return current(app, installation) }
        }
        return nil
    }
}

/// Connect installations as lifecycle hooks have left them: the scenario's installations overlaid
/// with the mock's Connect runtime (a feature over `MockState`'s storage).
struct ConnectInstallations {
    let state: MockState

    /// The installation of app `key` on `site`, as it is now.
    func installation(app key: String, site: String) -> ConnectInstallationState? {
        state.snapshot(bearer: nil).connectInstallation(app: key, site: site)
    }

    /// Every installation as it is now, in scenario order.
    var all: [ConnectInstallationState] { state.snapshot(bearer: nil).connectInstallations }

    /// Records a lifecycle outcome: the installation's new status, after a rotation its secret,
    /// and the hook's delivery.
    func update(clientKey: String, status: ConnectInstallationStatus, sharedSecret: String? = nil, delivery: LifecycleDelivery? = nil) {
        state.withConnect { runtime in
            runtime.statuses[clientKey] = status
            if let sharedSecret { runtime.secrets[clientKey] = sharedSecret }
            if let delivery { runtime.deliveries[clientKey] = delivery }
        }
    }
}
