// What the routes work with: the repositories over one database, the password hasher and the
// login throttle, the token signer, the mailer and the e-mail templates, the account rules and
// background tasks. Built once at start-up; a class, so that the routes and dependency resolvers
// that hold it (every authenticated request's does) retain one object instead of copying a
// struct of some thirty references.

import HTTPServer
import Logging
import Mail
import Security
import Storage
import StoragePostgres
import StorageSQLite
import Web

public final class AppServices: Sendable {
    public let settings: AppSettings
    public let database: any Database
    public let users: UserRepository
    public let items: ItemRepository
    public let hasher: PasswordHasher
    public let loginThrottle: LoginThrottle
    public let tokens: JWT
    public let mailer: Mailer
    public let emails: EmailTemplates
    public let background: BackgroundTasks
    /// The rules about user accounts that routes share (the template's crud.py).
    let accounts: UserAccounts
    public let logger: Logger

    /// The services over `database`; fails only when e-mail is enabled but its TLS set-up cannot
    /// be loaded.
    private init(settings: AppSettings, database: any Database, logger: Logger) throws {
        self.settings = settings
        self.database = database
        users = UserRepository(database: database)
        items = ItemRepository(database: database)
        hasher = PasswordHasher(queuePerThread: settings.passwordHashQueuePerCore)
        loginThrottle = LoginThrottle(settings.loginLimits)
        tokens = JWT(secret: settings.secretKey)
        mailer = try Mailer(settings: settings.mail, development: settings.development) { logger.info($0) }
        emails = EmailTemplates(projectName: settings.projectName, frontendHost: settings.frontendHost)
        background = BackgroundTasks(logger: logger)
        accounts = UserAccounts(users: users, hasher: hasher, mailer: mailer, emails: emails, logger: logger)
        self.logger = logger
    }

    /// Opens the database DATABASE_URL names and sets up the rest.
    public static func open(settings: AppSettings, logger: Logger) async throws -> AppServices {
        var sqlite = SQLiteDatabase.Options()
        sqlite.walLimitFrames = Int32(settings.sqliteWALLimitMB * 256)  // 4 KiB pages
        var postgres = PostgresDatabase.Options()
        postgres.connections = settings.databasePoolSize
        let database = try await openDatabase(settings.database, sqlite: sqlite, postgres: postgres, logger: logger)
        return try AppServices(settings: settings, database: database, logger: logger)
    }

    /// The services of a process that only describes the API: no database is opened.
    static func describing(settings: AppSettings, logger: Logger) throws -> AppServices {
        try AppServices(settings: settings, database: UnopenedDatabase(), logger: logger)
    }

    /// The template's prestart: apply the migrations, then create FIRST_SUPERUSER if no user has
    /// that e-mail (an existing user is never changed). Safe to run any number of times.
    public func prestart() async throws {
        let applied = try await Migrator.migrate(database)
        if !applied.isEmpty { logger.info("Applied migrations \(applied.map(String.init).joined(separator: ", "))") }
        guard try await users.find(email: settings.firstSuperuser) == nil else { return }
        let hash = try await hasher.hash(settings.firstSuperuserPassword)
        do {
            _ = try await users.create(
                NewUser(email: settings.firstSuperuser, hashedPassword: hash, isActive: true, isSuperuser: true))
            logger.info("Created the first superuser \(settings.firstSuperuser)")
        } catch StorageError.duplicate {
            // Another replica created it between the lookup and the insert.
        }
    }
}
