import ConfluenceAuthMock
import Foundation

/// The mock's addresses and clock in Foundation's types, for tests (which load Foundation
/// anyway); ConfluenceAuthMock itself links no Foundation and gives them as text and seconds.
extension MockConfluence {
    /// `http://HOST:PORT` of the HTTP listener.
    public var baseURL: URL { Self.url(baseURLString) }

    /// `https://HOST:PORT` of the HTTPS listener, when TLS is on.
    public var tlsBaseURL: URL? { tlsBaseURLString.map(Self.url) }

    /// A site's URL on the mock (`BASE/site/acme`): what a client's site base URL should be.
    /// `nil` for a site the scenario lacks.
    public func siteURL(named name: String) -> URL? { siteURLString(named: name).map(Self.url) }

    /// A site's URL through the API gateway (`BASE/ex/confluence/{cloudId}`), as OAuth and
    /// scoped-token clients call it. `nil` for a site the scenario lacks.
    public func gatewayURL(site name: String) -> URL? { gatewayURLString(site: name).map(Self.url) }

    /// The scenario clock's time.
    public var now: Date { Date(timeIntervalSince1970: nowSecondsSince1970) }

    /// Sets the scenario clock to `date`; tokens and codes expire on it.
    public func setClock(to date: Date) { setClock(toSecondsSince1970: date.timeIntervalSince1970) }

    /// The former name of ``baseURL``.
    @available(*, deprecated, renamed: "baseURL")
    public var baseURLValue: URL { baseURL }

    /// The former name of ``siteURL(named:)``.
    @available(*, deprecated, renamed: "siteURL(named:)")
    public func siteURLValue(named name: String) -> URL? { siteURL(named: name) }

    /// A URL the mock built. A started mock's address is numeric and always parses; only a host
    /// given in the options of a mock never started can fail to, and such a mock serves nothing,
    /// so it gets `http://invalid.invalid` (RFC 6761: resolves nowhere) rather than a trap.
    private static func url(_ text: String) -> URL { URL(string: text) ?? nowhere }

    /// A constant URL, which parses: the unwrap cannot trap.
    private static let nowhere = URL(string: "http://invalid.invalid")!
}

extension JournalEntry {
    /// When the request arrived, on the scenario clock.
    public var date: Date { Date(timeIntervalSince1970: time) }
}

extension Scenario.ClockSettings {
    /// A clock that starts at `date`.
    public init(start date: Date, frozen: Bool = false) { self.init(start: date.timeIntervalSince1970, frozen: frozen) }
}
