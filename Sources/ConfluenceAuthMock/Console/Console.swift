import AuthMockHTTP

/// The web console under `/__admin/ui` (docs/console.md): server-rendered pages over the same
/// state the admin API's JSON reads, each answering from one read of it. Pages work without
/// JavaScript; forms post back here with a CSRF token and are answered with a redirect to the page
/// they change (or the page itself, for the token inspector, which changes nothing).
struct Console: Sendable {
    let state: MockState
    let session: ConsoleSession
    let listeners: ListenerAddresses
    /// `--admin-token`: what the sign-in form wants; `nil` when the admin API is open.
    let adminToken: String?

    /// A posted form's fields (the first value of each name), or a 403 page when its CSRF token is
    /// not `expected` (the session's unless said).
    func form(_ request: HTTPRequest, csrf expected: String? = nil) -> Result<[String: String], HTTPResponseError> {
        let form = Dictionary(request.formBody.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard ConsoleSession.checks(form, expected: expected ?? session.csrfToken) else {
            return .failure(HTTPResponseError(ConsoleLayout.page("Form refused", section: nil, status: .forbidden, """
                <p>This form did not come from this console's current pages (its CSRF token is missing or wrong).
                Go back, reload the page and try again.</p>
                """)))
        }
        return .success(form)
    }

    /// A 303 to a console page after a form changed something (post, redirect, get).
    static func seeOther(_ location: String) -> HTTPResponse {
        HTTPResponse(status: .seeOther, headers: ["Location": location, "Cache-Control": "no-store"])
    }

    /// `HH:MM:SS.mmm` of a scenario-clock time, as `tail` prints it.
    static func clockTime(_ seconds: Double) -> String {
        let iso = ISO8601.format(seconds, milliseconds: true)
        return String(iso.dropFirst(11).prefix(12))
    }

    /// A time as ISO-8601 with how far it is from `now` (`in 59m 58s`, `2h 5m ago`).
    /// A time outside the years 1 to 9999 (a pasted token may claim any number) is shown as the
    /// number it is.
    static func relativeTime(_ seconds: Double, now: Double) -> String {
        guard seconds.isFinite, (-62_135_596_800...253_402_300_799).contains(seconds) else { return "\(seconds) (not a time ISO-8601 can show)" }
        let distance = Int((seconds - now).rounded())
        let magnitude = abs(distance)
        let parts = [(magnitude / 86_400, "d"), (magnitude % 86_400 / 3_600, "h"), (magnitude % 3_600 / 60, "m"), (magnitude % 60, "s")]
        let text = parts.drop { $0.0 == 0 }.prefix(2).filter { $0.0 != 0 }.map { (count, unit) -> String in "\(count)\(unit)" }.joined(separator: " ")
        let when = distance == 0 ? "now" : distance > 0 ? "in \(text)" : "\(text) ago"
        return "\(ISO8601.format(seconds)) (\(when))"
    }
}

/// Where the mock listens, for the overview; set once the listeners are bound.
package final class ListenerAddresses: Sendable {
    private let addresses = Lock<[String]>([])

    package init() {}

    var all: [String] { addresses.withLock { $0 } }

    func set(_ urls: [String]) { addresses.withLock { $0 = urls } }
}
