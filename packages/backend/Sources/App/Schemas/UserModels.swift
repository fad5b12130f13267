// The user shapes of the API (CONTRACT A.3): what is returned, and what each route accepts.

import FoundationEssentials
import Storage
import Web

public struct UserPublic: Model {
    public var email: String
    public var isActive: Bool
    public var isSuperuser: Bool
    public var fullName: String?
    public var id: UUID
    public var createdAt: Timestamp?

    public static let fields = ModelFields(
        UserPublic.init,
        Field("email", \.email, .email, .maxLength(255)),
        Field("is_active", \.isActive, default: true),
        Field("is_superuser", \.isSuperuser, default: false),
        Field("full_name", \.fullName, .maxLength(255)),
        Field("id", \.id),
        Field("created_at", \.createdAt))
}

extension UserPublic {
    init(_ user: User) {
        self.init(
            email: user.email, isActive: user.isActive, isSuperuser: user.isSuperuser, fullName: user.fullName,
            id: user.id, createdAt: user.createdAt)
    }
}

public struct UsersPublic: Model {
    public var data: [UserPublic]
    public var count: Int

    public static let fields = ModelFields(UsersPublic.init, Field("data", \.data), Field("count", \.count))
}

public struct UserCreate: Model {
    public var email: String
    public var isActive: Bool
    public var isSuperuser: Bool
    public var fullName: String?
    public var password: String

    public static let fields = ModelFields(
        UserCreate.init,
        Field("email", \.email, .email, .maxLength(255)),
        Field("is_active", \.isActive, default: true),
        Field("is_superuser", \.isSuperuser, default: false),
        Field("full_name", \.fullName, .maxLength(255)),
        Field("password", \.password, .minLength(8), .maxLength(128)))
}

public struct UserRegister: Model {
    public var email: String
    public var password: String
    public var fullName: String?

    public static let fields = ModelFields(
        UserRegister.init,
        Field("email", \.email, .email, .maxLength(255)),
        Field("password", \.password, .minLength(8), .maxLength(128)),
        Field("full_name", \.fullName, .maxLength(255)))
}

/// A superuser's partial update: only the keys sent are applied.
public struct UserUpdate: Model {
    public var email: Omittable<String?>
    public var isActive: Omittable<Bool?>
    public var isSuperuser: Omittable<Bool?>
    public var fullName: Omittable<String?>
    public var password: Omittable<String?>

    public static let fields = ModelFields(
        UserUpdate.init,
        Field("email", \.email, .email, .maxLength(255)),
        Field("is_active", \.isActive),
        Field("is_superuser", \.isSuperuser),
        Field("full_name", \.fullName, .maxLength(255)),
        Field("password", \.password, .minLength(8), .maxLength(128)))
}

public struct UserUpdateMe: Model {
    public var fullName: Omittable<String?>
    public var email: Omittable<String?>

    public static let fields = ModelFields(
        UserUpdateMe.init,
        Field("full_name", \.fullName, .maxLength(255)),
        Field("email", \.email, .email, .maxLength(255)))
}

public struct UpdatePassword: Model {
    public var currentPassword: String
    public var newPassword: String

    public static let fields = ModelFields(
        UpdatePassword.init,
        Field("current_password", \.currentPassword, .minLength(8), .maxLength(128)),
        Field("new_password", \.newPassword, .minLength(8), .maxLength(128)))
}

public struct NewPassword: Model {
    public var token: String
    public var newPassword: String

    public static let fields = ModelFields(
        NewPassword.init,
        Field("token", \.token),
        Field("new_password", \.newPassword, .minLength(8), .maxLength(128)))
}

/// The development-only route's input: nothing is validated but the types.
public struct PrivateUserCreate: Model {
    public var email: String
    public var password: String
    public var fullName: String
    public var isVerified: Bool

    public static let fields = ModelFields(
        PrivateUserCreate.init,
        Field("email", \.email),
        Field("password", \.password),
        Field("full_name", \.fullName),
        Field("is_verified", \.isVerified, default: false))
}
