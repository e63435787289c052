/// A path pattern: literal segments, `{name}` parameters (exactly one segment each), and an
/// optional final `*` that matches the rest of the path, however many segments (zero included).
public struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    @usableFromInline enum Segment: Sendable, Equatable {
        /// The segment's UTF-8 bytes: matching compares them with the path's bytes in place.
        case literal([UInt8])
        case parameter(String)
        case rest
    }

    @usableFromInline let segments: [Segment]
    public let description: String

    /// Parses a pattern such as `/wiki/rest/api/content/{id}` or `/ex/confluence/{cloudId}/*`.
    ///
    /// Never traps: patterns can come from input (a scenario's custom resources), which is checked
    /// with ``problem(in:)`` first. A pattern it would refuse is still read, as literally as it can
    /// be: a missing leading `/` is assumed, and a `*` before the last segment matches only `*`.
    public init(_ pattern: String) {
        description = pattern
        let parts = Self.segmentTexts(pattern)
        segments = parts.enumerated().map { index, part in
            if part == "*" && index == parts.count - 1 { return .rest }
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(Array(part.utf8))
        }
    }

    /// What keeps `pattern` from being a route pattern, in words, or `nil` when it is one.
    public static func problem(in pattern: String) -> String? {
        guard pattern.hasPrefix("/") else { return "a route pattern starts with /" }
        let parts = segmentTexts(pattern)
        if parts.dropLast().contains("*") { return "* may only be the last segment (it matches the rest of the path)" }
        return nil
    }

    private static func segmentTexts(_ pattern: String) -> [Substring] {
        (pattern.hasPrefix("/") ? pattern.dropFirst() : Substring(pattern)).split(separator: "/", omittingEmptySubsequences: false)
    }

    /// How many segments `/a/b/` has (`a`, `b` and an empty one: 3), as the path is split on `/`
    /// after its first byte.
    @usableFromInline static func segmentCount(_ path: UnsafeBufferPointer<UInt8>) -> Int {
        path.dropFirst().reduce(1) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
    }

    /// The end of the segment starting at `start`: the next `/`, or the end of the path.
    @usableFromInline static func segmentEnd(_ path: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < path.count && path[end] != UInt8(ascii: "/") { end += 1 }
        return end
    }

    /// The parameters when `path` (decoded, starting with `/`, as UTF-8 bytes) matches. Works on
    /// the bytes in place: only a match builds strings, for its parameters.
    @usableFromInline func match(_ path: UnsafeBufferPointer<UInt8>) -> RouteParameters? {
        var captured: [(name: String, range: Range<Int>)] = []
        var start = path.isEmpty ? 0 : 1
        for segment in segments {
            if case .rest = segment {
                captured.append(("*", min(start, path.count)..<path.count))
                return RouteParameters(path, captured)
            }
            guard start <= path.count else { return nil }
            let end = Self.segmentEnd(path, from: start)
            if case .literal(let bytes) = segment {
                guard end - start == bytes.count, bytes.withUnsafeBufferPointer({ $0.elementsEqual(path[start..<end]) }) else { return nil }
            } else if case .parameter(let name) = segment {
                guard end > start else { return nil }
                captured.append((name, start..<end))
            }
            start = end + 1
        }
        return start == path.count + 1 ? RouteParameters(path, captured) : nil
    }
}

/// Values taken from the path by a route's `{name}` segments; `*` holds the rest-of-path match.
public struct RouteParameters: Sendable, Equatable {
    /// A route has a parameter or two: a list searched in order beats a dictionary.
    let values: [Pair]

    struct Pair: Sendable, Equatable {
        let name: String
        let value: String
    }

    public init(values: [String: String] = [:]) { self.values = values.sorted { $0.key < $1.key }.map { Pair(name: $0.key, value: $0.value) } }

    @usableFromInline init(_ path: UnsafeBufferPointer<UInt8>, _ captured: [(name: String, range: Range<Int>)]) {
        values = captured.map { Pair(name: $0.name, value: String(decoding: UnsafeBufferPointer(rebasing: path[$0.range]), as: UTF8.self)) }
    }

    public subscript(name: String) -> String? { values.first { $0.name == name }?.value }
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
    @usableFromInline let firstSegments: [[UInt8]]?

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
        var firsts: [[UInt8]] = []
        var allLiteral = true
        for route in routes {
            if case .literal(let bytes)? = route.pattern.segments.first { if !firsts.contains(bytes) { firsts.append(bytes) } } else { allLiteral = false }
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
        var path = path
        return path.withUTF8 { match(method: method, bytes: $0) }
    }

    /// The route `match` finds for a request, whole (its pattern names the operation that answered,
    /// `/wiki/rest/api/content/{id}`), with the values it took from the path; `nil` when none does.
    public func route(method: String, path: String) -> (route: Route<Handler>, parameters: RouteParameters)? {
        var path = path
        guard case .found(let index, let parameters) = path.withUTF8({ locate(method: method, bytes: $0) }) else { return nil }
        return (routes[index], parameters)
    }

    @inlinable
    func match(method: String, bytes path: UnsafeBufferPointer<UInt8>) -> Match {
        switch locate(method: method, bytes: path) {
        case .found(let index, let parameters): .found(routes[index].handler, parameters)
        case .methodNotAllowed(let allowed): .methodNotAllowed(allowed: allowed)
        case .notFound: .notFound
        }
    }

    /// Where a route matched: its index in the table.
    @usableFromInline enum Located {
        case found(Int, RouteParameters)
        case methodNotAllowed([String])
        case notFound
    }

    @inlinable
    func locate(method: String, bytes path: UnsafeBufferPointer<UInt8>) -> Located {
        // A path whose first segment starts no route is refused before anything else: the global
        // table sees every site request, and almost none of them is its.
        if let firstSegments {
            let first = UnsafeBufferPointer(rebasing: path[min(1, path.count)..<RoutePattern.segmentEnd(path, from: min(1, path.count))])
            guard firstSegments.contains(where: { $0.elementsEqual(first) }) else { return .notFound }
        }
        var allowed: [String] = []
        for index in candidatesByLength[RoutePattern.segmentCount(path)] ?? restRoutes {
            guard let parameters = patterns[index].match(path) else { continue }
            guard let routeMethod = methods[index] else { return .found(index, parameters) }
            if routeMethod == method || (method == "HEAD" && routeMethod == "GET") { return .found(index, parameters) }
            if !allowed.contains(routeMethod) { allowed.append(routeMethod) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }
}
