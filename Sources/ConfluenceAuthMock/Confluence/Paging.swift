import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// v1's `start`/`limit` and v2's opaque `cursor`/`limit`.
struct ResultPage<Element> {
    let items: [Element]
    let start: Int
    let limit: Int
    let nextStart: Int?

    init(_ all: [Element], start: Int, limit: Int) {
        self.start = min(max(start, 0), all.count)
        self.limit = limit
        let end = min(self.start + limit, all.count)
        items = Array(all[self.start..<end])
        nextStart = end < all.count ? end : nil
    }

    /// v1: `start` (default 0) and `limit` (default 25, at most `maximum`).
    static func v1(_ all: [Element], _ request: HTTPRequest, maximum: Int = 100) -> ResultPage {
        let start = request.queryValue("start").flatMap(Int.init) ?? 0
        let limit = min(max(request.queryValue("limit").flatMap(Int.init) ?? 25, 1), maximum)
        return ResultPage(all, start: start, limit: limit)
    }

    /// v2: `cursor` (opaque, from a `next` link) and `limit` (default 25, at most 250).
    static func v2(_ all: [Element], _ request: HTTPRequest) -> ResultPage {
        let start = request.queryValue("cursor").flatMap { Base64URL.decode($0) }.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        let limit = min(max(request.queryValue("limit").flatMap(Int.init) ?? 25, 1), 250)
        return ResultPage(all, start: start, limit: limit)
    }

    /// v2's next link: the same query with a new cursor, or `nil` on the last page.
    func v2NextLink(path: String, request: HTTPRequest) -> String? {
        guard let nextStart else { return nil }
        var query = request.query.filter { $0.name != "cursor" }.map { "\(PercentEncoding.encodeUnreserved($0.name))=\(PercentEncoding.encodeUnreserved($0.value))" }
        query.append("cursor=\(Base64URL.encode(Array(String(nextStart).utf8)))")
        return "\(path)?\(query.joined(separator: "&"))"
    }
}
