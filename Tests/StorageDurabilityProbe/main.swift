// Test-only: inserts users one by one into the SQLite file named by the first argument and prints
// "ack <email>" after each committed insert, until it is killed (StorageTests' durability test SIGKILLs it).

import Glibc
import Storage
import StorageSQLite

guard CommandLine.arguments.count == 2 else {
    print("usage: StorageDurabilityProbe <database file>")
    exit(2)
}
let database = try await SQLiteDatabase.open(path: CommandLine.arguments[1])
try await Migrator.migrate(database)
let users = UserRepository(database: database)
for number in 0... {
    let user = try await users.create(NewUser(email: "probe-\(number)@example.com", hashedPassword: "-"))
    print("ack \(user.email)")
    fflush(nil)
}
