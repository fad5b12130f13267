// Test-only: signs up users from 8 concurrent tasks in the database DATABASE_URL-style URL given
// as the first argument (SQLite or PostgreSQL) and prints "ack <email>" after each committed
// insert, until it is killed (StorageTests' durability test SIGKILLs it).

import App
import Glibc
import Storage

guard CommandLine.arguments.count == 2 else {
    print("usage: StorageDurabilityProbe <database URL>")
    exit(2)
}
let database = try await openDatabase(try DatabaseLocation(url: CommandLine.arguments[1]))
try await Migrator.migrate(database)
let users = UserRepository(database: database)
try await withThrowingTaskGroup(of: Void.self) { group in
    for writer in 0..<8 {
        group.addTask {
            for number in 0... {
                let user = try await users.create(
                    NewUser(email: "probe-\(writer)-\(number)@example.com", hashedPassword: "-"))
                print("ack \(user.email)")
                fflush(nil)
            }
        }
    }
    try await group.waitForAll()
}
