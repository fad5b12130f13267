// The platform's readiness API behind one small type: epoll on Linux. A kqueue or poll(2)
// backend would implement the same five calls.

#if canImport(Glibc)
    import CLinuxShims
    import Glibc

    /// What a registered descriptor should be watched for.
    struct PollInterest: OptionSet {
        let rawValue: UInt32
        static let readable = PollInterest(rawValue: EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
        static let writable = PollInterest(rawValue: EPOLLOUT.rawValue)
        /// A listening socket shared by several pollers: each connection wakes one of them, not all.
        static let connections = PollInterest(rawValue: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    /// One readiness notification.
    struct PollEvent {
        let fd: Int32
        let readable: Bool
        let writable: Bool
        /// The peer hung up or the socket failed: a read will say which.
        let hangup: Bool
    }

    final class Poller {
        private let epollFD: Int32
        private var events: [epoll_event]

        init(capacity: Int = 256) throws(SocketError) {
            epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
            guard epollFD >= 0 else { throw SocketError("epoll_create1") }
            events = Array(repeating: epoll_event(), count: capacity)
        }

        deinit { close(epollFD) }

        func add(_ fd: Int32, _ interest: PollInterest) throws(SocketError) {
            try control(EPOLL_CTL_ADD, fd, interest)
        }

        func modify(_ fd: Int32, _ interest: PollInterest) throws(SocketError) {
            try control(EPOLL_CTL_MOD, fd, interest)
        }

        func remove(_ fd: Int32) {
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        }

        /// Waits up to `timeoutMS` (-1: forever) and calls `body` for each event.
        func wait(timeoutMS: Int32, _ body: (PollEvent) -> Void) {
            let n = events.withUnsafeMutableBufferPointer {
                epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeoutMS)
            }
            guard n > 0 else { return }
            for i in 0..<Int(n) {
                let e = events[i]
                let hangup = e.events & (EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0
                body(
                    PollEvent(
                        fd: e.data.fd, readable: e.events & EPOLLIN.rawValue != 0,
                        writable: e.events & EPOLLOUT.rawValue != 0, hangup: hangup))
            }
        }

        private func control(_ op: Int32, _ fd: Int32, _ interest: PollInterest) throws(SocketError) {
            var event = epoll_event()
            event.events = interest.rawValue
            event.data.fd = fd
            guard epoll_ctl(epollFD, op, fd, &event) == 0 else { throw SocketError("epoll_ctl") }
        }
    }
#endif
