// A page of a listing (users or items) with the total row count, as the API's {data, count} bodies need.

/// One page of a listing plus the total number of rows the listing has.
public struct Page<Element: Sendable>: Sendable {
    public var data: [Element]
    public var count: Int

    public init(data: [Element], count: Int) {
        self.data = data
        self.count = count
    }
}

extension Page: Equatable where Element: Equatable {}
