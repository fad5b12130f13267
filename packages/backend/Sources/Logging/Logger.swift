// Leveled log lines to standard output (warnings and worse to standard error), one write(2)
// each; the level comes from LOG_LEVEL. Tests may take the lines instead.

#if canImport(Glibc)
    import Glibc
#endif

public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case debug, info, warning, error, critical

        public init?(name: String) {
            switch name.lowercased() {
            case "debug", "trace": self = .debug
            case "info": self = .info
            case "warning", "warn": self = .warning
            case "error": self = .error
            case "critical": self = .critical
            default: return nil
            }
        }

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        var label: String {
            switch self {
            case .debug: "DEBUG"
            case .info: "INFO"
            case .warning: "WARNING"
            case .error: "ERROR"
            case .critical: "CRITICAL"
            }
        }
    }

    public let level: Level
    /// Where lines go instead of standard output and error (tests read them).
    private let sink: (@Sendable (Level, String) -> Void)?

    public init(level: Level = .info) {
        self.level = level
        sink = nil
    }

    /// A logger that hands each enabled line's level and message to `sink`.
    public init(level: Level = .info, sink: @escaping @Sendable (Level, String) -> Void) {
        self.level = level
        self.sink = sink
    }

    public func isEnabled(_ level: Level) -> Bool { level >= self.level }

    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        guard isEnabled(level) else { return }
        if let sink { return sink(level, message()) }
        var line = "\(level.label):\(String(repeating: " ", count: max(1, 10 - level.label.count)))\(message())\n"
        line.withUTF8 { _ = write(level >= .warning ? 2 : 1, $0.baseAddress, $0.count) }
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }
}
