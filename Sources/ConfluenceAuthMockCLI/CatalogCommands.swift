import AuthMockFormats
import AuthMockHTTP
import ConfluenceAuthMock

/// `catalog [--markdown]`: the operation catalog as the mock serves it, as JSON
/// (`GET /__admin/catalog`'s answer) or as docs/catalog.md.
enum CatalogCommand {
    static func run(_ arguments: [String]) throws(UsageError) {
        var arguments = Arguments(arguments)
        let markdown = arguments.flag("--markdown")
        try arguments.finish()
        emit(markdown ? MockConfluence.catalogMarkdown() : MockConfluence.catalogJSON().serialized + "\n", to: 1)
    }
}

/// `scopes --url http://HOST:PORT (--client ID | --principal ACCOUNT) [--since ISO-8601] [--json]
/// [--admin-token T] [--ca FILE]`: asks a running mock (`GET /__admin/scopes`) which scopes the
/// caller's requests needed and prints a short report, or the JSON with `--json`.
enum ScopesCommand {
    struct Request: Equatable {
        var url: String
        var query: String
        var json = false
        var adminToken: String?
        var caFile: String?
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var arguments = Arguments(arguments)
        guard let url = try arguments.value("--url") else { throw UsageError("scopes needs --url http://HOST:PORT (the mock's address)") }
        let client = try arguments.value("--client"), principal = try arguments.value("--principal"), since = try arguments.value("--since")
        guard (client == nil) != (principal == nil) else { throw UsageError("scopes needs one of --client ID or --principal ACCOUNT_ID") }
        var query = client.map { "client=" + PercentEncoding.encodeUnreserved($0) } ?? "principal=" + PercentEncoding.encodeUnreserved(principal ?? "")
        if let since { query += "&since=" + PercentEncoding.encodeUnreserved(since) }
        let request = Request(url: url, query: query, json: arguments.flag("--json"), adminToken: try arguments.value("--admin-token"),
                              caFile: try arguments.value("--ca"))
        try arguments.finish()
        return request
    }

    /// The exit status: 0 with the advice printed, 1 when the mock could not be asked.
    static func run(_ request: Request) -> Int32 {
        let tls = OutboundTLS(caFile: request.caFile)
        var headers: HTTPHeaders = [:]
        if let token = request.adminToken { headers.set("Authorization", "Bearer \(token)") }
        let base = request.url.hasSuffix("/") ? String(request.url.dropLast()) : request.url
        do {
            try tls.validate()
            let response = try HTTPClient.send(method: "GET", url: "\(base)/__admin/scopes?\(request.query)", headers: headers, tls: tls)
            let advice = try JSONValue.parse(response.body)
            guard response.status == 200 else {
                emit("confluence-auth-mock scopes: the mock answered \(response.status): \(advice["error"]?.stringValue ?? response.bodyText)\n", to: 2)
                return 1
            }
            emit(request.json ? advice.serialized + "\n" : report(advice), to: 1)
            return 0
        } catch {
            emit("confluence-auth-mock scopes: \(error)\n", to: 2)
            return 1
        }
    }

    /// The advice in a few lines: the scope sets, then each operation with its count.
    static func report(_ advice: JSONValue) -> String {
        func list(_ value: JSONValue?) -> String {
            guard let items = value?.arrayValue else { return "none can cover these calls" }
            return items.isEmpty ? "(none needed)" : items.compactMap(\.stringValue).joined(separator: " ")
        }
        var text = "granular scopes: \(list(advice["granular"]))\nclassic scopes:  \(list(advice["classic"]))\n"
        text += "Connect scope:   \(advice["connect"]?.stringValue ?? "(none needed)")\n"
        let operations = advice["operations"]?.arrayValue ?? []
        text += "\(operations.count) operation\(operations.count == 1 ? "" : "s"):\n"
        for operation in operations {
            let allowed = operation["allowed"]?.boolValue == true ? "" : "  (some refused)"
            text += "  \(operation["count"]?.intValue ?? 0)×  \(operation["method"]?.stringValue ?? "") \(operation["path"]?.stringValue ?? "")"
                + "  \(operation["api"]?.stringValue ?? "") \(operation["operationId"]?.stringValue ?? "")\(allowed)\n"
        }
        return text
    }
}
