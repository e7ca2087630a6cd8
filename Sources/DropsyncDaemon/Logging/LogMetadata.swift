import DropsyncCore
import Logging

/// The metadata of one log message, merged and in the order every format shows it.
enum LogMetadata {
    /// The keys the daemon logs with, first and in this order; other keys follow sorted.
    static let leadingKeys = ["dataflow", "job", "step", "file", "code"]

    /// The handler's metadata, then the provider's, then the message's (a later key wins), in the
    /// stable order: `leadingKeys`, then the others sorted.
    static func merged(
        handler: Logger.Metadata, provider: Logger.MetadataProvider?, message: Logger.Metadata?
    ) -> [(key: String, value: Logger.MetadataValue)] {
        var all = handler
        if let provided = provider?.get() { all.merge(provided) { _, new in new } }
        if let message { all.merge(message) { _, new in new } }
        let leading = leadingKeys.compactMap { key in all[key].map { (key: key, value: $0) } }
        let others = all.filter { !leadingKeys.contains($0.key) }.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        return leading + others
    }

    /// The value as text: strings as they are, other values as swift-log describes them.
    static func text(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array, .dictionary: value.description
        }
    }

    /// The value as JSON: arrays and dictionaries (keys sorted) keep their structure.
    static func json(_ value: Logger.MetadataValue) -> Value {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let entries):
            .object(Record(entries.sorted { $0.key < $1.key }.map { Record.Field(name: $0.key, value: json($0.value)) }))
        }
    }
}

extension Logger.Level {
    /// The syslog(3) priority journald stores: 2 (critical) to 7 (debug and trace).
    var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
