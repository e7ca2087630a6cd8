import Foundation
import Logging

/// Sends each message to journald in its native protocol, so `journalctl DATAFLOW=acme-import`
/// finds it: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER=dropsync`, `CODE_FILE`/`CODE_LINE`/
/// `CODE_FUNC` and the metadata as fields (see `JournalEntry.fieldName(forMetadataKey:)`).
///
/// An entry too large for one datagram (`EMSGSIZE`) is sent again with each value cut to a share
/// of 96 KiB and marked truncated: dropsync logs lines, not documents, and journald's other way in
/// (a sealed memfd passed with SCM_RIGHTS) needs `memfd_create`, which Swift cannot call without a
/// C shim. When journald cannot be reached at all, the message goes to standard error as text.
public struct JournaldLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let journal: JournalConnection
    private let fallback: StderrLogHandler

    /// `fallbackOutput` is for tests; the daemon falls back to standard error.
    init(level: Logger.Level, journal: JournalConnection, fallbackOutput: LogOutput = .standardError) {
        logLevel = level
        self.journal = journal
        fallback = StderrLogHandler(level: level, style: .text, output: fallbackOutput)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = LogMetadata.merged(handler: metadata, provider: metadataProvider, message: event.metadata)
        var entry = JournalEntry()
        entry.append("MESSAGE", event.message.description)
        entry.append("PRIORITY", String(event.level.syslogPriority))
        entry.append("SYSLOG_IDENTIFIER", "dropsync")
        entry.append("CODE_FILE", event.file)
        entry.append("CODE_LINE", String(event.line))
        entry.append("CODE_FUNC", event.function)
        for (key, value) in merged {
            entry.append(JournalEntry.fieldName(forMetadataKey: key), LogMetadata.text(value))
        }
        if !journal.send(entry) {
            var unsent = event
            unsent.metadata = merged.reduce(into: [:]) { $0[$1.key] = $1.value }
            fallback.log(event: unsent)
        }
    }
}

/// The process's socket to journald and the address it sends to.
final class JournalConnection: Sendable {
    private let socket: UnixDatagramSocket
    private let address: UnixSocketAddress

    /// Nil when `path` is not a usable socket address or no socket can be made.
    init?(path: String) {
        guard let address = UnixSocketAddress(path), let socket = try? UnixDatagramSocket() else { return nil }
        self.socket = socket
        self.address = address
    }

    /// Sends `entry`, cut to fit when it is too large for one datagram; false when journald did not take it.
    func send(_ entry: JournalEntry) -> Bool {
        do throws(SocketError) {
            try socket.send(entry.serialized(), to: address)
            return true
        } catch {
            guard error.code == EMSGSIZE else { return false }
            let limit = max(256, 96 * 1024 / entry.fields.count)
            return (try? socket.send(entry.serialized(valueLimit: limit), to: address)) != nil
        }
    }
}
