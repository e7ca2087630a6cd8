import Foundation
import Logging

/// Writes each message as one line on standard error: readable text, or a JSON object.
public struct StderrLogHandler: LogHandler {
    enum Style: Sendable { case text, json }

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let style: Style
    private let output: LogOutput
    private let clock: @Sendable () -> Date

    /// `output` and `clock` are for tests; the daemon writes to standard error at the current time.
    init(level: Logger.Level, style: Style, output: LogOutput = .standardError, clock: @escaping @Sendable () -> Date = Date.init) {
        logLevel = level
        self.style = style
        self.output = output
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output.write(line(for: event))
    }

    private func line(for event: LogEvent) -> [UInt8] {
        let merged = LogMetadata.merged(handler: metadata, provider: metadataProvider, message: event.metadata)
        switch style {
        case .text: return Array(LogLine.text(time: clock(), level: event.level, message: event.message.description, metadata: merged).utf8)
        case .json: return LogLine.json(time: clock(), level: event.level, message: event.message.description, metadata: merged)
        }
    }
}
