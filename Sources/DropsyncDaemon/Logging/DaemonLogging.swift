import Foundation
import Logging
import Synchronization

/// Where and how the daemon's log goes (`--log-format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// The journal when standard error is connected to it, text otherwise.
    case auto
    /// journald's native protocol, with fields (`journalctl DATAFLOW=…`).
    case journal
    /// One readable line per message on standard error.
    case text
    /// One JSON object per line on standard error.
    case json
}

/// The process's swift-log setup.
public enum DaemonLogging {
    private static let isBootstrapped = Mutex(false)

    /// Installs the process's LoggingSystem once. `auto`: the journal's native protocol when stderr is
    /// connected to the journal ($JOURNAL_STREAM's "dev:inode" equals fstat(2)'s st_dev:st_ino) and
    /// /run/systemd/journal/socket exists, readable text on stderr otherwise.
    /// Later calls do nothing (swift-log allows one bootstrap per process).
    public static func bootstrap(format: LogFormat, level: Logger.Level, journalSocket: String = "/run/systemd/journal/socket") {
        let isFirst = isBootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard isFirst else { return }
        let factory = HandlerFactory(format: format, level: level, journalSocket: journalSocket)
        LoggingSystem.bootstrap { _ in factory.makeHandler() }
    }

    /// A handler as `bootstrap` would install it, with its own journal socket (for tests). The
    /// label is not shown: every line is the daemon's.
    public static func makeHandler(
        label: String, format: LogFormat, level: Logger.Level, journalSocket: String = "/run/systemd/journal/socket"
    ) -> any LogHandler {
        HandlerFactory(format: format, level: level, journalSocket: journalSocket).makeHandler()
    }

    /// `format` with `auto` decided: `journal` when `errorOutput` is the stream `JOURNAL_STREAM`
    /// names and `journalSocket` exists, `text` otherwise.
    static func resolved(_ format: LogFormat, environment: [String: String], errorOutput: Int32, journalSocket: String) -> LogFormat {
        guard format == .auto else { return format }
        guard let stream = environment["JOURNAL_STREAM"], FileManager.default.fileExists(atPath: journalSocket) else { return .text }
        var status = stat()
        guard fstat(errorOutput, &status) == 0 else { return .text }
        return stream == "\(status.st_dev):\(status.st_ino)" ? .journal : .text
    }
}

/// Makes the handlers for one resolved format; all journal handlers share one socket.
private struct HandlerFactory: Sendable {
    let level: Logger.Level
    let format: LogFormat
    let journal: JournalConnection?

    init(format: LogFormat, level: Logger.Level, journalSocket: String) {
        self.level = level
        self.format = DaemonLogging.resolved(
            format, environment: ProcessInfo.processInfo.environment, errorOutput: STDERR_FILENO, journalSocket: journalSocket)
        journal = self.format == .journal ? JournalConnection(path: journalSocket) : nil
    }

    func makeHandler() -> any LogHandler {
        switch format {
        case .json: StderrLogHandler(level: level, style: .json)
        case .journal: journal.map { JournaldLogHandler(level: level, journal: $0) } ?? StderrLogHandler(level: level, style: .text)
        case .auto, .text: StderrLogHandler(level: level, style: .text)
        }
    }
}
