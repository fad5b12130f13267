// Waits for the build inputs to change: inotify events on Linux, or polling where a bind mount
// delivers none (Docker Desktop), then a quiet period (debounce) before a build starts.

#if canImport(Glibc)
    import CLinuxShims
    import Glibc
#endif

final class SourceWatcher {
    enum Mode: String {
        case inotify, polling
    }

    let roots: [String]
    let mode: Mode
    /// Without events, look anyway this often (inotify: a safety net for missed events).
    let interval: Int32
    let debounceMilliseconds: Int32
    private let inotifyFD: Int32
    private let wakeFD: Int32

    /// `wakeFD` (an eventfd) becoming readable interrupts every wait: the supervisor is stopping.
    init(roots: [String], forcePolling: Bool, wakeFD: Int32, debounceMilliseconds: Int32 = 300) {
        self.roots = roots
        self.wakeFD = wakeFD
        self.debounceMilliseconds = debounceMilliseconds
        inotifyFD = forcePolling ? -1 : inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        mode = inotifyFD >= 0 ? .inotify : .polling
        interval = mode == .inotify ? 2000 : 500
    }

    deinit {
        if inotifyFD >= 0 { close(inotifyFD) }
    }

    /// A snapshot of the inputs now; with inotify, also watches every folder in it (new ones too).
    func snapshot() -> SourceSnapshot {
        let snapshot = SourceSnapshot(roots: roots)
        if inotifyFD >= 0 {
            let events = UInt32(
                IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
            for folder in snapshot.folders { _ = inotify_add_watch(inotifyFD, folder, events) }
        }
        return snapshot
    }

    /// Returns the inputs once they differ from `current` and then stay unchanged for the debounce
    /// interval; nil when woken through `wakeFD`.
    func waitForChange(from current: SourceSnapshot) -> SourceSnapshot? {
        var candidate = current
        while candidate == current {
            guard wait(milliseconds: interval) else { return nil }
            candidate = snapshot()
        }
        while true {
            guard wait(milliseconds: debounceMilliseconds, returnOnEvent: false) else { return nil }
            let settled = snapshot()
            if settled == candidate { return settled }
            candidate = settled
        }
    }

    /// Sleeps up to `milliseconds` (returning early on an inotify event unless told not to) and
    /// drains pending events. False when woken through `wakeFD`.
    private func wait(milliseconds: Int32, returnOnEvent: Bool = true) -> Bool {
        var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        if inotifyFD >= 0 && returnOnEvent { fds.append(pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        if fds[0].revents != 0 { return false }
        drainEvents()
        return true
    }

    private func drainEvents() {
        guard inotifyFD >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while buffer.withUnsafeMutableBytes({ read(inotifyFD, $0.baseAddress, $0.count) }) > 0 {}
    }
}
