// DATABASE_URL parsing: the SQLite and PostgreSQL forms, the default, and clear errors (without
// the password) for everything else.

import Storage
import Testing

struct DatabaseURLTests {
    @Test func sqliteForms() throws {
        #expect(try DatabaseLocation(url: "sqlite:///data/app.db") == .sqlite(path: "data/app.db"))
        #expect(try DatabaseLocation(url: "sqlite:////var/lib/app/app.db") == .sqlite(path: "/var/lib/app/app.db"))
        #expect(try DatabaseLocation(url: "sqlite:///app.db?mode=rw") == .sqlite(path: "app.db"))
    }

    @Test func unsetOrEmptyMeansTheDefaultFile() throws {
        #expect(try DatabaseLocation(url: nil) == .sqlite(path: "data/app.db"))
        #expect(try DatabaseLocation(url: "  ") == .sqlite(path: "data/app.db"))
    }

    /// The template's forms, as SQLAlchemy and libpq read them.
    @Test func postgresqlForms() throws {
        #expect(
            try DatabaseLocation(url: "postgresql+psycopg://postgres:changethis@db:5432/app")
                == .postgresql(
                    PostgresURL(user: "postgres", password: "changethis", host: "db", port: 5432, database: "app")))
        #expect(
            try DatabaseLocation(url: "postgres://app@db/app")
                == .postgresql(PostgresURL(user: "app", host: "db", database: "app")))
        // Percent-encoded user and password (an '@', a ':' and a '/' in the password), IPv6.
        #expect(
            try DatabaseLocation(url: "postgresql://us%40er:p%40ss%3Aw%2Frd@[::1]:6543/my%20db")
                == .postgresql(
                    PostgresURL(user: "us@er", password: "p@ss:w/rd", host: "::1", port: 6543, database: "my db")))
        // A socket directory and libpq parameters in the query, in their order.
        let socket = try DatabaseLocation(
            url: "postgresql:///app?host=/var/run/postgresql&sslmode=disable&connect_timeout=5&application_name=api")
        #expect(
            socket
                == .postgresql(
                    PostgresURL(
                        database: "app",
                        parameters: [
                            .init(keyword: "host", value: "/var/run/postgresql"),
                            .init(keyword: "sslmode", value: "disable"), .init(keyword: "connect_timeout", value: "5"),
                            .init(keyword: "application_name", value: "api"),
                        ])))
    }

    /// What the URL prints, and every error about it, leaves the password out.
    @Test func thePasswordIsNeverShown() throws {
        guard case .postgresql(let url) = try DatabaseLocation(url: "postgresql://app:s3cr%21t@db/app?sslmode=require")
        else {
            Issue.record("not PostgreSQL")
            return
        }
        #expect(url.password == "s3cr!t")
        #expect(url.description == "postgresql://app:***@db/app?sslmode=require")
        for bad in [
            "postgresql://app:s3cr%2@db/app", "postgresql://app:s3cret@db:port/app",
            "postgresql://app:s3cret@db/app?sslmod=x",
        ] {
            #expect {
                try DatabaseLocation(url: bad)
            } throws: { error in
                "\(error)".hasPrefix("invalid DATABASE_URL: ") && !"\(error)".contains("s3cr")
            }
        }
    }

    @Test func badURLsNameTheProblem() {
        for (url, fragment) in [
            ("mysql://db/app", "unknown scheme 'mysql'"), ("sqlite://host/app.db", "no host"),
            ("sqlite:///", "names no file"), ("sqlite:///:memory:", "in-memory"),
            ("postgresql+asyncpg://db/app", "unknown scheme 'postgresql+asyncpg'"),
            ("postgresql://db:99999/app", "the port '99999' is not a number from 1 to 65535"),
            ("postgresql://db/app?colour=blue", "'colour' is not a libpq connection parameter"),
            ("postgresql:db/app", "starts with postgresql://"), ("postgresql://[::1/app", "lacks its ']'"),
        ] {
            #expect {
                try DatabaseLocation(url: url)
            } throws: { error in
                "\(error)".contains(fragment)
            }
        }
    }
}
