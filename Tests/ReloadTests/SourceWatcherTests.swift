// The reloader's watcher on real folders: inotify and polling both see an edit, a new folder's
// file, and ignore files that are not build inputs; a wake-up ends a wait.

import Foundation
import Testing

@testable import Backend

@Suite struct SourceWatcherTests {
    /// A temporary package-like folder with one source file, and a pipe standing in for the eventfd.
    final class Fixture: Sendable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)")
        let wake: [Int32]

        init() throws {
            var fds: [Int32] = [0, 0]
            pipe(&fds)
            wake = fds
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("packages/App"), withIntermediateDirectories: true)
            try write("packages/App/Route.swift", "let body = 1\n")
        }

        deinit {
            try? FileManager.default.removeItem(at: root)
            wake.forEach { close($0) }
        }

        func watcher(polling: Bool) -> SourceWatcher {
            SourceWatcher(roots: [root.appendingPathComponent("packages").path], forcePolling: polling, wakeFD: wake[0])
        }

        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }

        /// Runs `change` on another thread after `delay` (the watcher blocks this one).
        func later(_ delay: Duration = .milliseconds(300), _ change: @escaping @Sendable () throws -> Void) {
            Thread {
                Thread.sleep(
                    forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
                try? change()
            }.start()
        }

        func wakeUp() {
            var byte: UInt8 = 1
            _ = Glibc.write(wake[1], &byte, 1)
        }
    }

    /// Runs `body` on a thread of its own and awaits its result: the watcher blocks in poll(2),
    /// which must not hold a thread of the cooperative pool that the other suites share.
    func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    @Test(arguments: [false, true])
    func seesAnEditedSourceFile(polling: Bool) async throws {
        let fixture = try Fixture()
        let (mode, before, after, now) = await onOwnThread {
            let watcher = fixture.watcher(polling: polling)
            let before = watcher.snapshot()
            fixture.later { try fixture.write("packages/App/Route.swift", "let body = 22\n") }
            return (watcher.mode, before, watcher.waitForChange(from: before), watcher.snapshot())
        }
        #expect(mode == (polling ? .polling : .inotify))
        let changed = try #require(after)
        #expect(changed != before)
        #expect(changed == now)
    }

    @Test(arguments: [false, true])
    func seesASourceFileInANewFolder(polling: Bool) async throws {
        let fixture = try Fixture()
        let after = await onOwnThread {
            let watcher = fixture.watcher(polling: polling)
            let before = watcher.snapshot()
            fixture.later { try fixture.write("packages/Storage/Nested/Model.swift", "struct Model {}\n") }
            return watcher.waitForChange(from: before)
        }
        let changed = try #require(after)
        #expect(changed.files.contains { $0.path.hasSuffix("packages/Storage/Nested/Model.swift") })
    }

    @Test func ignoresFilesThatAreNotBuildInputsAndWakesUpOnRequest() async throws {
        let fixture = try Fixture()
        let after = await onOwnThread {
            let watcher = fixture.watcher(polling: false)
            let before = watcher.snapshot()
            fixture.later {
                try fixture.write("packages/App/README.md", "docs\n")
                try fixture.write("packages/App/.Route.swift.swp", "editor state\n")
            }
            fixture.later(.seconds(3)) { fixture.wakeUp() }
            return watcher.waitForChange(from: before)
        }
        #expect(after == nil)
    }
}
