// DATABASE_URL parsing: the SQLite forms, the default, and clear errors for everything else.

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

    @Test func postgresqlIsRecognised() throws {
        #expect(try DatabaseLocation(url: "postgresql://app:secret@db:5432/app") == .postgresql)
        #expect(try DatabaseLocation(url: "postgres://app@db/app") == .postgresql)
    }

    @Test func badURLsNameTheProblem() {
        for (url, fragment) in [
            ("mysql://db/app", "unknown scheme 'mysql'"), ("sqlite://host/app.db", "no host"),
            ("sqlite:///", "names no file"), ("sqlite:///:memory:", "in-memory"),
        ] {
            #expect {
                try DatabaseLocation(url: url)
            } throws: { error in
                "\(error)".contains(fragment)
            }
        }
    }
}
