// Users: create, look up by id or email, list newest first with a total count, update, delete.

public import FoundationEssentials

public struct UserRepository: Sendable {
    private let database: any Database
    static let table = Table(
        name: "\"user\"",
        columns: ["id", "email", "is_active", "is_superuser", "full_name", "hashed_password", "created_at"]
    ) { row in
        User(
            id: try row.uuid("id"), email: try row.text("email"), isActive: try row.bool("is_active"),
            isSuperuser: try row.bool("is_superuser"), fullName: try row.optionalText("full_name"),
            hashedPassword: try row.text("hashed_password"), createdAt: try row.optionalTimestamp("created_at"))
    }

    public init(database: any Database) { self.database = database }

    /// Inserts a user with a new id, created now. A taken email fails with `StorageError.duplicate`.
    public func create(_ new: NewUser) async throws -> User {
        let user = User(
            id: .random(), email: new.email, isActive: new.isActive, isSuperuser: new.isSuperuser,
            fullName: new.fullName, hashedPassword: new.hashedPassword, createdAt: .now())
        return try await database.write { try Self.insert($0, user) }
    }

    /// Inserts `user` as it is (its id, hash and time included).
    static func insert(_ connection: any SQLConnection, _ user: User) throws -> User {
        let values: KeyValuePairs<String, SQLValue> = [
            "id": .uuid(user.id), "email": .text(user.email), "is_active": .bool(user.isActive),
            "is_superuser": .bool(user.isSuperuser), "full_name": .optionalText(user.fullName),
            "hashed_password": .text(user.hashedPassword), "created_at": .optionalTimestamp(user.createdAt),
        ]
        return try table.insert(connection, values, as: user)
    }

    public func find(id: UUID) async throws -> User? {
        try await database.read { try Self.table.find($0, "id", .uuid(id)) }
    }

    /// Exact, case-sensitive match (the reference compares emails as stored).
    public func find(email: String) async throws -> User? {
        try await database.read { try Self.table.find($0, "email", .text(email)) }
    }

    /// Newest first; a negative skip counts as 0 and a negative limit as no limit.
    public func list(skip: Int, limit: Int) async throws -> Page<User> {
        try await database.read { try Self.table.page($0, skip: skip, limit: limit) }
    }

    /// Applies `changes` and returns the updated user, or nil when there is no such user. A taken
    /// email fails with `StorageError.duplicate`.
    public func update(id: UUID, _ changes: UserChanges) async throws -> User? {
        var assignments: [(column: String, value: SQLValue)] = []
        if let email = changes.email { assignments.append(("email", .text(email))) }
        if let isActive = changes.isActive { assignments.append(("is_active", .bool(isActive))) }
        if let isSuperuser = changes.isSuperuser { assignments.append(("is_superuser", .bool(isSuperuser))) }
        if let fullName = changes.fullName { assignments.append(("full_name", .optionalText(fullName))) }
        if let hash = changes.hashedPassword { assignments.append(("hashed_password", .text(hash))) }
        let changed = assignments
        return try await database.write { try Self.table.update($0, id: id, changed) }
    }

    /// Stores a new password hash (a password change, or an upgrade of an old hash at login).
    public func updatePasswordHash(id: UUID, to hash: String) async throws -> User? {
        try await update(id: id, UserChanges(hashedPassword: hash))
    }

    /// Deletes the user and, by cascade, their items. False when there was no such user.
    public func delete(id: UUID) async throws -> Bool {
        try await database.write { try Self.table.delete($0, id: id) }
    }
}
