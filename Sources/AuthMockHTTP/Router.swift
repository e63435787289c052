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

    /// The end of the segment starting at `start`: the next `/`, or the end of the path.
    @usableFromInline static func segmentEnd(_ path: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < path.count && path[end] != UInt8(ascii: "/") { end += 1 }
        return end
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

/// Finds the route for a request through a tree of path segments (a trie): each step follows the
/// segment's literal child, then a `{name}` child, then routes ending in `*`, so a literal route
/// (`/content/search`) wins over a pattern that would also match (`/content/{id}`) whatever the
/// table order, and finding a route costs the path's length, not the table's.
public struct Router<Handler: Sendable>: Sendable {
    public let routes: [Route<Handler>]
    @usableFromInline let nodes: [RouteTrieNode]
    @usableFromInline let methods: [String?]
    /// Each route's parameter names in path order (`*` last for a rest route).
    @usableFromInline let parameterNames: [[String]]

    public init(_ routes: [Route<Handler>]) {
        self.routes = routes
        methods = routes.map(\.method)
        var nodes = [RouteTrieNode()]
        var names: [[String]] = []
        for (index, route) in routes.enumerated() {
            var node = 0
            var routeNames: [String] = []
            for segment in route.pattern.segments {
                switch segment {
                case .literal(let bytes):
                    if let child = nodes[node].literals.first(where: { $0.bytes == bytes })?.child {
                        node = child
                    } else {
                        nodes.append(RouteTrieNode())
                        nodes[node].literals.append(RouteTrieNode.Literal(bytes: bytes, child: nodes.count - 1))
                        node = nodes.count - 1
                    }
                case .parameter(let name):
                    routeNames.append(name)
                    if let child = nodes[node].parameter {
                        node = child
                    } else {
                        nodes.append(RouteTrieNode())
                        nodes[node].parameter = nodes.count - 1
                        node = nodes.count - 1
                    }
                case .rest:
                    routeNames.append("*")
                }
            }
            if route.pattern.segments.last == .rest { nodes[node].restRoutes.append(index) } else { nodes[node].routes.append(index) }
            names.append(routeNames)
        }
        self.nodes = nodes
        parameterNames = names
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
        // A path whose first segment starts no route is refused before a walk: the global table
        // sees every site request, and almost none of them is its.
        if nodes[0].parameter == nil && nodes[0].restRoutes.isEmpty {
            let start = min(1, path.count)
            let first = UnsafeBufferPointer(rebasing: path[start..<RoutePattern.segmentEnd(path, from: start)])
            let head = RouteTrieNode.Literal.head(of: first)
            guard nodes[0].literals.contains(where: { $0.matches(first, head: head) }) else { return .notFound }
        }
        var search = RouteSearch(method: method)
        guard let (index, captured) = search.walk(self, node: 0, from: path.isEmpty ? 0 : 1, in: path) else {
            return search.allowed.isEmpty ? .notFound : .methodNotAllowed(search.allowed)
        }
        return .found(index, RouteParameters(path, zip(parameterNames[index], captured).map { (name: $0, range: $1) }))
    }
}

/// One node of a router's segment tree: its literal children, its `{name}` child, and the routes
/// that end here (exactly, or with a final `*`).
@usableFromInline struct RouteTrieNode: Sendable {
    @usableFromInline struct Literal: Sendable {
        @usableFromInline let bytes: [UInt8]
        /// The segment's length and first eight bytes (zero-padded): most children differ from a
        /// path's segment in these, so their bytes are rarely compared.
        @usableFromInline let length: Int
        @usableFromInline let head: UInt64
        @usableFromInline let child: Int

        init(bytes: [UInt8], child: Int) {
            self.bytes = bytes
            length = bytes.count
            head = bytes.withUnsafeBufferPointer { Self.head(of: $0) }
            self.child = child
        }

        @inlinable static func head(of segment: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var head: UInt64 = 0
            for offset in 0..<min(segment.count, 8) { head |= UInt64(segment[offset]) &<< UInt64(truncatingIfNeeded: offset &* 8) }
            return head
        }

        @inlinable func matches(_ segment: UnsafeBufferPointer<UInt8>, head segmentHead: UInt64) -> Bool {
            length == segment.count && head == segmentHead && (length <= 8 || bytes.withUnsafeBufferPointer { $0.elementsEqual(segment) })
        }
    }

    @usableFromInline var literals: [Literal] = []
    @usableFromInline var parameter: Int?
    @usableFromInline var routes: [Int] = []
    @usableFromInline var restRoutes: [Int] = []
}

/// One walk down a router's tree: the first route whose method fits, in the tree's order; the
/// methods of the routes whose path fitted but whose method did not, for a 405's `Allow`.
@usableFromInline struct RouteSearch {
    @usableFromInline let method: String
    @usableFromInline var allowed: [String] = []
    /// The ranges the walk's `{name}` segments took, deepest last.
    @usableFromInline var captured: [Range<Int>] = []

    @inlinable init(method: String) { self.method = method }

    /// Whether route `index` answers this method; notes its method for `Allow` when not.
    @inlinable mutating func accepts<Handler>(_ router: Router<Handler>, _ index: Int) -> Bool {
        guard let routeMethod = router.methods[index] else { return true }
        if routeMethod == method || (method == "HEAD" && routeMethod == "GET") { return true }
        if !allowed.contains(routeMethod) { allowed.append(routeMethod) }
        return false
    }

    /// The route found below `node` for the path from byte `start` on, with its captured ranges.
    @inlinable mutating func walk<Handler>(_ router: Router<Handler>, node: Int, from start: Int,
                                           in path: UnsafeBufferPointer<UInt8>) -> (Int, [Range<Int>])? {
        if start == path.count + 1 {
            for index in router.nodes[node].routes where accepts(router, index) { return (index, captured) }
        } else if start <= path.count {
            let end = RoutePattern.segmentEnd(path, from: start)
            let segment = UnsafeBufferPointer(rebasing: path[start..<end])
            let head = RouteTrieNode.Literal.head(of: segment)
            // Through the buffer: iterating the array would copy (retain) every child it passes.
            let child = router.nodes[node].literals.withUnsafeBufferPointer { literals in
                literals.firstIndex { $0.matches(segment, head: head) }.map { literals[$0].child }
            }
            if let child, let found = walk(router, node: child, from: end + 1, in: path) { return found }
            if let child = router.nodes[node].parameter, end > start {
                captured.append(start..<end)
                if let found = walk(router, node: child, from: end + 1, in: path) { return found }
                captured.removeLast()
            }
        }
        for index in router.nodes[node].restRoutes where accepts(router, index) {
            return (index, captured + [min(start, path.count)..<path.count])
        }
        return nil
    }
}
