// The frozen routes as a trie by path segment: lookup cost follows the path's depth, not the
// number of routes. Matching follows Starlette: the first declared route matching path and
// method wins; a path match alone gives 405 with the first such route's methods; no match
// tries the other trailing-slash form (307), else 404.

import HTTPServer

struct RouteTable: Sendable {
    enum Match {
        case route(Route, parameters: [Substring])
        case methodNotAllowed(allow: String)
        case notFound
    }

    fileprivate struct Node: Sendable {
        /// Child nodes by literal segment (UTF-8), sorted bytewise for a binary search (no hashing).
        var literals: [(segment: [UInt8], node: Int)] = []
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
                let bytes = Array(literal.utf8)
                if let next = bytes.withUnsafeBufferPointer({ nodes[node].child($0) }) {
                    node = next
                } else {
                    nodes.append(Node())
                    let position = bytes.withUnsafeBufferPointer { nodes[node].position(of: $0) }
                    nodes[node].literals.insert((bytes, nodes.count - 1), at: position)
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
        var path = request.path
        let encoded = path.withUTF8 { UnsafeRawBufferPointer($0).firstIndex(ofByte: UInt8(ascii: "%")) != nil }
        guard encoded else { return path }
        return Substring(PercentDecoding.decode(path, plusAsSpace: false))
    }

    func match(_ method: HTTPMethod, _ path: Substring) -> Match {
        var utf8 = path
        let search = utf8.withUTF8 { bytes -> Search? in
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            var search = Search(method: method)
            walk(0, bytes, from: 1, &search)
            return search
        }
        guard let search else { return .notFound }
        if let full = search.full {
            let parameters = full.parameters.map { range in
                path[
                    path.utf8.index(
                        path.startIndex, offsetBy: range.lowerBound)..<path.utf8.index(
                            path.startIndex, offsetBy: range.upperBound)]
            }
            return .route(routes[full.index], parameters: parameters)
        }
        if let partial = search.firstPartial { return .methodNotAllowed(allow: routes[partial].allow) }
        return .notFound
    }

    private struct Search {
        let method: HTTPMethod
        /// The byte ranges of the parameter segments on the current branch.
        var captures: [Range<Int>] = []
        var full: (index: Int, parameters: [Range<Int>])?
        var firstPartial: Int?
    }

    /// Matches the segment of `path` starting at `start` (after a `/`) below `node`.
    private func walk(_ node: Int, _ path: UnsafeBufferPointer<UInt8>, from start: Int, _ search: inout Search) {
        var end = start
        while end < path.count && path[end] != UInt8(ascii: "/") { end += 1 }
        let next = end == path.count ? nil : end + 1
        if let child = nodes[node].child(UnsafeBufferPointer(rebasing: path[start..<end])) {
            visit(child, path, from: next, &search)
        }
        if end > start, let child = nodes[node].parameter {
            search.captures.append(start..<end)
            visit(child, path, from: next, &search)
            search.captures.removeLast()
        }
    }

    private func visit(_ node: Int, _ path: UnsafeBufferPointer<UInt8>, from next: Int?, _ search: inout Search) {
        if let next { return walk(node, path, from: next, &search) }
        for index in nodes[node].routes {
            if routes[index].answers(search.method) {
                if index < search.full?.index ?? .max { search.full = (index, search.captures) }
            } else if index < search.firstPartial ?? .max {
                search.firstPartial = index
            }
        }
    }

    /// The response for `request` when no route takes it: 307 to the other trailing-slash form
    /// (`/a/` and `/a//` to `/a`, `/a` to `/a/`) if that one matches (its scheme `http` unless a
    /// trusted proxy says otherwise), 405, or 404.
    func unmatchedResponse(_ request: HTTPRequest, _ match: Match, trustedProxies: TrustedProxies) -> HTTPResponse {
        if case .methodNotAllowed(let allow) = match {
            var response = HTTPError.methodNotAllowed.response
            response.headers.add("Allow", allow)
            return response
        }
        let path = Self.matchedPath(request)
        guard path != "/" else { return HTTPError.notFound.response }
        // As Starlette: without every trailing slash, or with one more.
        var other = path
        if path.hasSuffix("/") {
            while other.hasSuffix("/") { other.removeLast() }
        } else {
            other += "/"
        }
        if case .notFound = self.match(request.method, other) { return HTTPError.notFound.response }
        let host = request.headers["host"] ?? "localhost"
        let query = request.query.map { $0.isEmpty ? "" : "?" + $0 } ?? ""
        let scheme = trustedProxies.scheme(of: request)
        return HTTPResponse(status: .temporaryRedirect, headers: ["Location": "\(scheme)://\(host)\(other)\(query)"])
    }
}

extension RouteTable.Node {
    /// The node under the literal segment `bytes`, if any.
    fileprivate func child(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let position = position(of: bytes)
        guard position < literals.count,
            literals[position].segment.withUnsafeBufferPointer({ $0.elementsEqual(bytes) })
        else { return nil }
        return literals[position].node
    }

    /// Where the literal segment `bytes` is or would be in `literals`.
    fileprivate func position(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var (low, high) = (0, literals.count)
        while low < high {
            let middle = (low + high) / 2
            if literals[middle].segment.withUnsafeBufferPointer({ $0.lexicographicallyPrecedes(bytes) }) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
