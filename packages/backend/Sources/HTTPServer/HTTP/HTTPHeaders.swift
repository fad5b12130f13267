// An ordered list of header fields; names compare case-insensitively, as HTTP requires. Each
// field keeps a folded form of its name (length and first bytes, case dropped), so a lookup
// compares one integer per field and the names themselves only when those agree.

public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    struct Field: Sendable {
        let name: String
        let value: String
        let folded: UInt64

        init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
            folded = HTTPHeaders.fold(name)
        }

        init(_ name: String, bytes: UnsafeRawBufferPointer, _ value: String) {
            self.name = name
            self.value = value
            folded = HTTPHeaders.fold(bytes)
        }

        /// Whether this field is named `name` (folded as `folded`), in any case.
        func isNamed(_ name: String, folded: UInt64) -> Bool {
            self.folded == folded && self.name.equalsIgnoringASCIICase(name)
        }
    }

    private var storage: [Field]

    public init() { storage = [] }

    public init(_ fields: [(name: String, value: String)]) { storage = fields.map { Field($0.name, $0.value) } }

    /// Empty, with room for `capacity` fields.
    public init(capacity: Int) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        storage = elements.map { Field($0.0, $0.1) }
    }

    public var count: Int { storage.count }

    /// The fields in order.
    public var fields: [(name: String, value: String)] { storage.map { ($0.name, $0.value) } }

    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Field]>

        public mutating func next() -> (name: String, value: String)? {
            base.next().map { ($0.name, $0.value) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: storage.makeIterator()) }

    /// The first value of the field `name`, if present.
    public subscript(name: String) -> String? {
        firstIndex(of: name).map { storage[$0].value }
    }

    /// Every value of the field `name`, in order.
    public func values(_ name: String) -> [String] {
        let folded = Self.fold(name)
        return storage.filter { $0.isNamed(name, folded: folded) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { firstIndex(of: name) != nil }

    public mutating func add(_ name: String, _ value: String) {
        storage.append(Field(name, value))
    }

    /// Adds a field whose name was decoded from `nameBytes` (the request parser has them).
    mutating func add(_ name: String, bytes nameBytes: UnsafeRawBufferPointer, _ value: String) {
        storage.append(Field(name, bytes: nameBytes, value))
    }

    /// Replaces every field `name` with one field holding `value`.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        storage.append(Field(name, value))
    }

    public mutating func remove(_ name: String) {
        let folded = Self.fold(name)
        storage.removeAll { $0.isNamed(name, folded: folded) }
    }

    private func firstIndex(of name: String) -> Int? {
        let folded = Self.fold(name)
        // By index: iterating the fields would copy (and retain) every name and value on the way.
        for index in storage.indices where storage[index].isNamed(name, folded: folded) { return index }
        return nil
    }

    /// A name's length and its first seven bytes with bit 0x20 set (ASCII letters lower-cased):
    /// equal for names equal in any case (the converse needs a comparison).
    static func fold(_ name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { fold(UnsafeRawBufferPointer($0)) }
    }

    static func fold(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var folded = UInt64(truncatingIfNeeded: bytes.count) << 56
        for index in 0..<Swift.min(bytes.count, 7) {
            folded |= UInt64(bytes[index] | 0x20) << (index * 8)
        }
        return folded
    }
}

extension String {
    /// ASCII case-insensitive equality, without allocating.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var a = self
        var b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for i in 0..<x.count where x[i] != y[i] {
                    let lower = x[i] | 0x20
                    guard lower == y[i] | 0x20, lower >= 0x61, lower <= 0x7A else { return false }
                }
                return true
            }
        }
    }
}
