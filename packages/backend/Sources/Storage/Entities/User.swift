// The `user` row and the inputs for creating and partially updating one.

public import FoundationEssentials

public struct User: Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var isActive: Bool
    public var isSuperuser: Bool
    public var fullName: String?
    public var hashedPassword: String
    /// Nullable in the schema; every row this backend writes has one.
    public var createdAt: Timestamp?
}

public struct NewUser: Sendable {
    public var email: String
    public var hashedPassword: String
    public var fullName: String?
    public var isActive: Bool
    public var isSuperuser: Bool

    public init(
        email: String, hashedPassword: String, fullName: String? = nil, isActive: Bool = true,
        isSuperuser: Bool = false
    ) {
        self.email = email
        self.hashedPassword = hashedPassword
        self.fullName = fullName
        self.isActive = isActive
        self.isSuperuser = isSuperuser
    }
}

/// A partial update: nil leaves a column unchanged. `fullName: .some(nil)` clears the full name.
public struct UserChanges: Sendable {
    public var email: String?
    public var isActive: Bool?
    public var isSuperuser: Bool?
    public var fullName: String??
    public var hashedPassword: String?

    public init(
        email: String? = nil, isActive: Bool? = nil, isSuperuser: Bool? = nil, fullName: String?? = nil,
        hashedPassword: String? = nil
    ) {
        self.email = email
        self.isActive = isActive
        self.isSuperuser = isSuperuser
        self.fullName = fullName
        self.hashedPassword = hashedPassword
    }
}
