// Durability: a child process signs users up from concurrent tasks and acknowledges each commit,
// gets SIGKILLed mid-stream, and every acknowledged user is still in the database afterwards, on
// either engine.

import Foundation
import Storage
import StoragePostgres
import StorageSQLite
import TestSupport
import Testing

struct DurabilityTests {
    @Test(arguments: [DatabaseEngine.sqlite, .postgresql])
    func everyAcknowledgedSignUpSurvivesKill9(engine: DatabaseEngine) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let url =
            engine == .sqlite
            ? "sqlite:///" + directory.path + "/durable.db" : try await TestPostgres.shared.value.newDatabase()
        let probe = Process()
        probe.executableURL = try probeExecutable()
        probe.arguments = [url]
        let output = Pipe()
        probe.standardOutput = output
        try probe.run()

        var acknowledged: [String] = []
        var buffer = Data()
        while acknowledged.count < 100 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // the probe died early; the assertion below reports it
            buffer.append(chunk)
            acknowledged = completeLines(buffer)
        }
        kill(probe.processIdentifier, SIGKILL)
        probe.waitUntilExit()
        buffer.append(output.fileHandleForReading.readDataToEndOfFile())
        acknowledged = completeLines(buffer)
        #expect(probe.terminationReason == .uncaughtSignal)
        try #require(acknowledged.count >= 100)

        let database: any Database =
            switch try DatabaseLocation(url: url) {
            case .sqlite(let path): try await SQLiteDatabase.open(path: path)
            case .postgresql(let location): try await PostgresDatabase.open(url: location)
            }
        let stored = Set(try await UserRepository(database: database).list(skip: 0, limit: -1).data.map(\.email))
        await database.close()
        let lost = acknowledged.map { String($0.dropFirst("ack ".count)) }.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost)")
    }

    /// The lines of `buffer` that are complete (newline-terminated).
    private func completeLines(_ buffer: Data) -> [String] {
        let text = String(decoding: buffer, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).dropLast(text.hasSuffix("\n") ? 0 : 1)
            .map(String.init)
    }

    /// The probe is built next to the test bundle (StorageTests depends on it).
    private func probeExecutable() throws -> URL {
        let binDirectory = URL(
            fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        )
        .deletingLastPathComponent()
        let candidates = [binDirectory, binDirectory.deletingLastPathComponent()].map {
            $0.appendingPathComponent("StorageDurabilityProbe")
        }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
    }
}
