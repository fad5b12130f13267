// The frozen routes as a trie by path segment: lookup cost follows the path's depth, not the
// number of routes. Matching follows Starlette: the first declared route matching path and
// method wins; a path match alone gives 405 with the first such route's method; no match
// tries the other trailing-slash form (307), else 404.

import HTTPServer

struct RouteTable: Sendable {
    enum Match {
        case route(Route, parameters: [Substring])
        case methodNotAllowed(allow: HTTPMethod)
        case notFound
    }

    private struct Node: Sendable {
        var literals: [Substring: Int] = [:]
        var parameter: Int?
        /// Indices into `routes` of the routes ending here, in declaration order.
        var routes: [Int] = []
    }

    let routes: [Route]
    private var nodes = [Node()]

    init(_ routes: [Route]) {
        self.routes = routes
        for (index, route) in routes.enumerated() { insert(index, path: route.path) }
    }

    private mutating func insert(_ routeIndex: Int, path: String) {
        var node = 0
        for segment in PathTemplate.segments(path) {
            switch segment {
            case .literal(let literal):
                if let next = nodes[node].literals[Substring(literal)] {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].literals[Substring(literal)] = nodes.count - 1
                    node = nodes.count - 1
                }
            case .parameter:
                if let next = nodes[node].parameter {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].parameter = nodes.count - 1
                    node = nodes.count - 1
                }
            }
        }
        nodes[node].routes.append(routeIndex)
    }

    /// The path routes are matched against: percent-decoded, as uvicorn hands it to Starlette.
    static func matchedPath(_ request: HTTPRequest) -> Substring {
        let path = request.path
        guard path.utf8.contains(UInt8(ascii: "%")) else { return path }
        return Substring(PercentDecoding.decode(path, plusAsSpace: false))
    }

    func match(_ method: HTTPMethod, _ path: Substring) -> Match {
        guard path.utf8.first == UInt8(ascii: "/") else { return .notFound }
        var search = Search(method: method)
        walk(0, path.dropFirst(), &search)
        if let full = search.full { return .route(routes[full.index], parameters: full.parameters) }
        if let partial = search.firstPartial { return .methodNotAllowed(allow: routes[partial].method) }
        return .notFound
    }

    private struct Search {
        let method: HTTPMethod
        var captures: [Substring] = []
        var full: (index: Int, parameters: [Substring])?
        var firstPartial: Int?
    }

    private func walk(_ node: Int, _ rest: Substring, _ search: inout Search) {
        let end = rest.utf8.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        let segment = rest[..<end]
        let remainder: Substring? = end == rest.endIndex ? nil : rest[rest.index(after: end)...]
        if let child = nodes[node].literals[segment] { visit(child, remainder, &search) }
        if !segment.isEmpty, let child = nodes[node].parameter {
            search.captures.append(segment)
            visit(child, remainder, &search)
            search.captures.removeLast()
        }
    }

    private func visit(_ node: Int, _ remainder: Substring?, _ search: inout Search) {
        if let remainder { return walk(node, remainder, &search) }
        for index in nodes[node].routes {
            if routes[index].method == search.method {
                if index < search.full?.index ?? .max { search.full = (index, search.captures) }
            } else if index < search.firstPartial ?? .max {
                search.firstPartial = index
            }
        }
    }

    /// The response for `request` when no route takes it: 307 to the other trailing-slash
    /// form if that one matches (its scheme `http` unless a trusted proxy says otherwise), 405, or 404.
    func unmatchedResponse(_ request: HTTPRequest, _ match: Match, trustedProxies: TrustedProxies) -> HTTPResponse {
        if case .methodNotAllowed(let allow) = match {
            var response = HTTPError.methodNotAllowed.response
            response.headers.add("Allow", allow.rawValue)
            return response
        }
        let path = Self.matchedPath(request)
        guard path != "/" else { return HTTPError.notFound.response }
        let other = path.hasSuffix("/") ? String(path.dropLast()) : path + "/"
        if case .notFound = self.match(request.method, Substring(other)) { return HTTPError.notFound.response }
        let host = request.headers["host"] ?? "localhost"
        let query = request.query.map { $0.isEmpty ? "" : "?" + $0 } ?? ""
        let scheme = trustedProxies.scheme(of: request)
        return HTTPResponse(status: .temporaryRedirect, headers: ["Location": "\(scheme)://\(host)\(other)\(query)"])
    }
}
