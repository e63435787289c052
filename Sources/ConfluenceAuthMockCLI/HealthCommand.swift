import AuthMockHTTP

/// `health --url URL`: one GET, as a container's health check runs it, so the image needs no curl.
/// Exit 0 when the URL answers 2xx; 1 with the reason on standard error otherwise.
enum HealthCommand {
    struct Request: Equatable {
        var url: String
        var caFile: String?
        var timeoutSeconds: Double
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var arguments = Arguments(arguments)
        guard let url = try arguments.value("--url") else { throw UsageError("health needs --url URL") }
        let caFile = try arguments.value("--ca")
        let timeoutText = try arguments.value("--timeout") ?? "5"
        // `!(x > 0)` also refuses "nan", which Double(_:) accepts.
        guard let timeout = Double(timeoutText), timeout > 0, timeout <= 3600 else {
            throw UsageError("--timeout must be a number of seconds above 0 and at most 3600, not \"\(timeoutText)\"")
        }
        try arguments.finish()
        return Request(url: url, caFile: caFile, timeoutSeconds: timeout)
    }

    /// The exit status: 0 for a 2xx answer, 1 for any other answer or none.
    static func run(_ request: Request) -> Int32 {
        let tls = OutboundTLS(caFile: request.caFile)
        let response: HTTPClientResponse
        do {
            try tls.validate()
            response = try HTTPClient.send(method: "GET", url: request.url, timeoutSeconds: request.timeoutSeconds, tls: tls)
        } catch {
            emit("confluence-auth-mock health: \(error)\n", to: 2)
            return 1
        }
        guard (200..<300).contains(response.status) else {
            emit("confluence-auth-mock health: \(request.url) answered \(response.status): \(excerpt(of: response))\n", to: 2)
            return 1
        }
        emit("\(request.url) answered \(response.status)\n", to: 1)
        return 0
    }

    /// The body's first line, short enough for a health-check log (Docker keeps 4 KiB of it).
    private static func excerpt(of response: HTTPClientResponse) -> String {
        let firstLine = response.bodyText.prefix { $0 != "\n" && $0 != "\r" }
        return firstLine.isEmpty ? "(no body)" : String(firstLine.prefix(200))
    }
}
