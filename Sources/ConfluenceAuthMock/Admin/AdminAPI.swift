import AuthMockFormats
import AuthMockHTTP

/// The `/__admin` control API. Answers are JSON; errors are `{"error": …, "details": […]}`.
struct AdminAPI: Sendable {
    /// `GET /__admin/health` → `{"status":"ok","scenario":NAME}`.
    var health: RouteHandler {
        { _, _ in .json(["status": "ok", "scenario": nil]) }
    }

    /// The admin error shape.
    static func error(_ status: HTTPStatus, _ message: String, details: [JSONValue] = []) -> HTTPResponse {
        .json(["error": .string(message), "details": .array(details)], status: status)
    }
}
