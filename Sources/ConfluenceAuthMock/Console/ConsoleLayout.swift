import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// The frame every console page shares: the navigation, the inline style sheet, and the one inline
/// script (live updates), which the Content-Security-Policy admits by its hash and nothing else.
enum ConsoleLayout {
    enum Section: CaseIterable {
        case overview, requests, tokens, consents, scopes, faults

        var title: String {
            switch self {
            case .overview: "Overview"
            case .requests: "Requests"
            case .tokens: "Tokens"
            case .consents: "Consents"
            case .scopes: "Scopes"
            case .faults: "Faults"
            }
        }

        var link: HTML {
            switch self {
            case .overview: "/__admin/ui"
            case .requests: "/__admin/ui/requests"
            case .tokens: "/__admin/ui/tokens"
            case .consents: "/__admin/ui/consents"
            case .scopes: "/__admin/ui/scopes"
            case .faults: "/__admin/ui/faults"
            }
        }
    }

    /// A whole page: `live` adds the script that refreshes the element with id `live-region` as
    /// requests arrive (the page works the same without it).
    static func page(_ title: String, section: Section?, status: HTTPStatus = .ok, live: Bool = false, _ content: HTML) -> HTTPResponse {
        let navigation = Section.allCases.map { item -> HTML in
            item == section ? "<a href=\"\(item.link)\" aria-current=\"page\">\(item.title)</a>" : "<a href=\"\(item.link)\">\(item.title)</a>"
        }.concatenated()
        let script: HTML = live ? "<script>\(liveScript)</script>" : .empty
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · confluence-auth-mock</title><style>\(styleSheet)</style></head>
            <body><header><strong>confluence-auth-mock</strong><nav>\(navigation)</nav></header>
            <main><h1>\(title)</h1>\(content)</main>\(script)</body></html>
            """
        return HTTPResponse(status: status, headers: headers, body: Array(page.markup.utf8))
    }

    /// A page's headers: HTML, never cached, and a policy that runs no script but the console's own.
    static let headers: HTTPHeaders = [
        "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src '\(scriptHash)'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ]

    private static let scriptHash = "sha256-" + Base64.encode(SHA256.hash(Array(liveScript.markup.utf8)))

    /// Follows the event stream and, a moment after each request, fetches the page again and swaps
    /// in its `live-region`. The fetched page is parsed inertly (DOMParser runs no script).
    private static let liveScript: HTML = """
        (function () {
          var region = document.getElementById('live-region'), state = document.getElementById('live-state');
          if (!region || !window.EventSource) return;
          var pending = null, source = new EventSource('/__admin/events');
          function refresh() {
            pending = null;
            fetch(location.href, {credentials: 'same-origin'}).then(function (r) { return r.text(); }).then(function (text) {
              var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('live-region');
              var current = document.getElementById('live-region');
              if (fresh && current) current.replaceWith(fresh);
            });
          }
          source.addEventListener('request', function () { if (!pending) pending = setTimeout(refresh, 200); });
          source.onopen = function () { if (state) state.textContent = 'Live: new requests appear as they arrive.'; };
          source.onerror = function () { if (state) state.textContent = 'Not live: reload to reconnect.'; };
        })();
        """

    private static let styleSheet: HTML = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#172b4d;background:#f7f8f9}
        header{display:flex;gap:24px;align-items:center;padding:10px 20px;background:#0c66e4;color:#fff}
        header a{color:#fff;text-decoration:none;padding:4px 8px;border-radius:4px}
        header a[aria-current]{background:rgba(255,255,255,.25)}
        main{padding:8px 20px 40px;max-width:1400px}
        h1{font-size:22px}h2{font-size:17px;margin-top:28px}
        table{border-collapse:collapse;background:#fff;width:100%;margin:6px 0}
        th,td{border:1px solid #dcdfe4;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f1f2f4;font-weight:600}
        td.wrap{word-break:break-all}
        table.fields th{width:14em}
        code,pre{font:12px/1.4 ui-monospace,monospace}
        pre{background:#fff;border:1px solid #dcdfe4;padding:8px;white-space:pre-wrap;word-break:break-all;max-height:360px;overflow:auto}
        .allowed{color:#216e4e}.denied{color:#ae2e24;font-weight:600}.pending{color:#a54800}
        .missing{background:#ffeceb;color:#ae2e24;padding:0 4px;border-radius:3px}
        .note{color:#626f86}
        form.inline{display:inline}
        fieldset{border:1px solid #dcdfe4;background:#fff;margin:8px 0}
        input[type=text],input[type=password],textarea,select{font:inherit;padding:3px 6px}
        textarea{width:100%;min-height:120px;font:12px ui-monospace,monospace}
        button{font:inherit;padding:3px 12px;cursor:pointer}
        dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px;background:#fff;padding:10px;border:1px solid #dcdfe4}
        dt{font-weight:600}dd{margin:0;word-break:break-all}
        """

    /// A hidden field carrying `token`, for a form the console will accept.
    static func csrfField(_ token: String) -> HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(token)\">" }

    /// `text`, or a dash when there is nothing to show.
    static func orDash(_ text: String?) -> HTML {
        guard let text, !text.isEmpty else { return "<span class=\"note\">–</span>" }
        return HTML(text: text)
    }

    /// A decision, coloured.
    static func decision(_ decision: AuthDecision?) -> HTML {
        switch decision {
        case .allowed: "<span class=\"allowed\">allowed</span>"
        case .denied: "<span class=\"denied\">denied</span>"
        case nil: orDash(nil)
        }
    }
}
