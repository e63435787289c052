/// A path pattern: literal segments, `{name}` parameters (exactly one segment each), and an
/// optional final `*` that matches the rest of the path, however many segments (zero included).
public struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    @usableFromInline enum Segment: Sendable, Equatable {
        /// A Substring so matching compares Substring with Substring (the concrete, fast `==`).
        case literal(Substring)
        case parameter(String)
        case rest
    }

    @usableFromInline let segments: [Segment]
    public let description: String

    /// Parses a pattern such as `/wiki/rest/api/content/{id}` or `/ex/confluence/{cloudId}/*`.
    public init(_ pattern: String) {
        precondition(pattern.hasPrefix("/"), "route pattern must start with /: \(pattern)")
        description = pattern
        let parts = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        segments = parts.enumerated().map { index, part in
            if part == "*" {
                precondition(index == parts.count - 1, "* must be the last segment: \(pattern)")
                return .rest
            }
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(part)
        }
    }

    /// `/a/b/` → `["a", "b", ""]`, split on UTF-8 bytes (splitting on Characters is several times slower).
    @usableFromInline static func segments(of path: String) -> [Substring] {
        var segments: [Substring] = []
        let utf8 = path.utf8
        // Sized up front: growing the array one segment at a time cost four reallocations a path.
        segments.reserveCapacity(utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) })
        var start = utf8.isEmpty ? utf8.endIndex : utf8.index(after: utf8.startIndex)
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                segments.append(path[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        segments.append(path[start..<utf8.endIndex])
        return segments
    }

    /// The first segment of `path` (`/wiki/x` → `wiki`), as `segments(of:)` would split it.
    @usableFromInline static func firstSegment(of path: String) -> Substring {
        let utf8 = path.utf8
        let start = utf8.isEmpty ? utf8.endIndex : utf8.index(after: utf8.startIndex)
        let end = utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
        return path[start..<end]
    }

    /// The parameters when `path` (decoded, starting with `/`) matches.
    @usableFromInline func match(_ path: [Substring]) -> RouteParameters? {
        var values: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .rest:
                values["*"] = path[min(index, path.count)...].joined(separator: "/")
                return RouteParameters(values: values)
            case .literal(let text):
                guard index < path.count, path[index] == text else { return nil }
            case .parameter(let name):
                guard index < path.count, !path[index].isEmpty else { return nil }
                values[name] = String(path[index])
            }
        }
        return path.count == segments.count ? RouteParameters(values: values) : nil
    }
}

/// Values taken from the path by a route's `{name}` segments; `*` holds the rest-of-path match.
public struct RouteParameters: Sendable, Equatable {
    let values: [String: String]

    public init(values: [String: String] = [:]) { self.values = values }
    public subscript(name: String) -> String? { values[name] }
}

/// One line of a routes table: a method (or any method), a pattern, and what serves it.
public struct Route<Handler: Sendable>: Sendable {
    public let method: String?
    public let pattern: RoutePattern
    public let handler: Handler

    /// `method` nil matches every method.
    public init(_ method: String?, _ pattern: String, _ handler: Handler) {
        self.method = method
        self.pattern = RoutePattern(pattern)
        self.handler = handler
    }
}

/// Finds the first route in table order whose pattern and method match a request.
public struct Router<Handler: Sendable>: Sendable {
    public let routes: [Route<Handler>]
    /// The routes' patterns and methods apart from their handlers, so matching walks small values
    /// instead of copying each route (and retaining its handler) per candidate.
    @usableFromInline let patterns: [RoutePattern]
    @usableFromInline let methods: [String?]
    /// For each path length (in segments) some route has, the routes that can match a path that
    /// long, in table order; `restRoutes` (patterns ending in `*`) for any other length.
    @usableFromInline let candidatesByLength: [Int: [Int]]
    @usableFromInline let restRoutes: [Int]
    /// Every route's first literal segment, when all routes start with one: a path starting
    /// elsewhere is answered "not found" without trying each route.
    @usableFromInline let firstSegments: Set<Substring>?

    public init(_ routes: [Route<Handler>]) {
        self.routes = routes
        patterns = routes.map(\.pattern)
        methods = routes.map(\.method)
        let rest = routes.indices.filter { routes[$0].pattern.segments.last == .rest }
        var byLength: [Int: [Int]] = [:]
        for index in routes.indices where routes[index].pattern.segments.last != .rest {
            byLength[routes[index].pattern.segments.count, default: []].append(index)
        }
        candidatesByLength = byLength.mapValues { ($0 + rest).sorted() }
        restRoutes = rest
        var firsts = Set<Substring>()
        var allLiteral = true
        for route in routes {
            if case .literal(let text)? = route.pattern.segments.first { firsts.insert(text) } else { allLiteral = false }
        }
        firstSegments = allLiteral ? firsts : nil
    }

    public enum Match {
        case found(Handler, RouteParameters)
        /// The path exists under other methods (answer 405 with `Allow`).
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Matches a decoded path. HEAD falls back to a GET route (RFC 9110 §9.3.2). Inlinable so the
    /// caller's module specializes it for its handler type (generic code costs metadata lookups
    /// on every request otherwise).
    @inlinable
    public func match(method: String, path: String) -> Match {
        // A path whose first segment starts no route is refused before it is split: the global
        // table sees every site request, and almost none of them is its.
        if let firstSegments, !firstSegments.contains(RoutePattern.firstSegment(of: path)) { return .notFound }
        let segments = RoutePattern.segments(of: path)
        var allowed: [String] = []
        for index in candidatesByLength[segments.count] ?? restRoutes {
            guard let parameters = patterns[index].match(segments) else { continue }
            guard let routeMethod = methods[index] else { return .found(routes[index].handler, parameters) }
            if routeMethod == method || (method == "HEAD" && routeMethod == "GET") { return .found(routes[index].handler, parameters) }
            if !allowed.contains(routeMethod) { allowed.append(routeMethod) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}
