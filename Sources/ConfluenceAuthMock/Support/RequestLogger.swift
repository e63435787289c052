import AuthMockFormats
import AuthMockHTTP
import Foundation

/// Writes one line per request to standard error (standard output carries only the ready lines).
/// Never writes headers or bodies, so tokens, passwords and secrets cannot reach the log.
struct RequestLogger: Sendable {
    let format: RequestLogFormat

    func clock() -> UInt64 { format == .off ? 0 : DispatchTime.now().uptimeNanoseconds }

    func record(_ request: HTTPRequest, _ response: HTTPResponse, startedAt: UInt64) {
        guard format != .off else { return }
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - startedAt) / 1e6
        let duration = (milliseconds * 100).rounded() / 100
        let line: String
        switch format {
        case .text:
            line = "\(request.method) \(request.path) \(response.status.code) \(duration)ms"
        case .json:
            line = JSONValue.object(JSONObject([
                ("method", .string(request.method)), ("path", .string(request.path)),
                ("status", .int(response.status.code)), ("durationMs", .double(duration)),
            ])).serialized
        case .off:
            return
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
