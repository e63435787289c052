import AuthMockFormats
import AuthMockHTTP

/// Writes one line per request to standard error (standard output carries only the ready lines):
/// method, path, status, auth mechanism and decision, duration. Never headers, query or bodies,
/// so tokens, passwords and secrets cannot reach the log.
struct RequestLogger: Sendable {
    let format: RequestLogFormat

    func record(_ request: HTTPRequest, _ response: HTTPResponse, auth: AuthRecord, startedAt: UInt64) {
        guard format != .off else { return }
        let milliseconds = Double(monotonicNanoseconds() - startedAt) / 1e6
        let duration = Double(Int(milliseconds * 100)) / 100
        let line: String
        switch format {
        case .text:
            line = "\(request.method) \(request.path) \(response.status.code) \(auth.mechanism.rawValue) \(auth.decision?.rawValue ?? "-") \(duration)ms"
        case .json:
            line = JSONValue.object(JSONObject([
                ("method", .string(request.method)), ("path", .string(request.path)),
                ("status", .int(response.status.code)), ("auth", .string(auth.mechanism.rawValue)),
                ("decision", auth.decision.map { .string($0.rawValue) } ?? .null), ("durationMs", .double(duration)),
            ])).serialized
        case .off:
            return
        }
        writeLineToStandardError(line)
    }
}
