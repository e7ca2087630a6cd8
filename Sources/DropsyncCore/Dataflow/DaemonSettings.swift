/// Daemon-wide settings from `conf.d/dropsync.json`.
public struct DaemonSettings: Sendable {
    public var stateDirectory: String?
    public var logLevel = "info"
    public var maxConcurrentJobs = 2
    /// Seconds between full listings of every drop zone (events are hints; the listing is truth).
    public var reconciliationIntervalSeconds = 300

    public init() {}

    static let fileName = "dropsync.json"

    static func decode(_ document: Value, file: String, into diagnostics: inout [Diagnostic]) -> DaemonSettings {
        var settings = DaemonSettings()
        guard case .object(let object) = document else {
            diagnostics.append(Diagnostic(file: file, message: "daemon settings must be a JSON object"))
            return settings
        }
        for field in object.fields {
            func problem(_ expected: String) {
                diagnostics.append(Diagnostic(file: file, param: field.name, message: "expected \(expected), got \(field.value.typeName)"))
            }
            switch field.name {
            case "stateDirectory":
                if let text = field.value.stringValue { settings.stateDirectory = text } else { problem("a string") }
            case "logLevel":
                if let text = field.value.stringValue, ["debug", "info", "warning", "error"].contains(text) {
                    settings.logLevel = text
                } else {
                    problem("one of \"debug\", \"info\", \"warning\", \"error\"")
                }
            case "maxConcurrentJobs":
                if let number = field.value.intValue, number > 0 { settings.maxConcurrentJobs = Int(number) } else { problem("a positive integer") }
            case "reconciliationIntervalSeconds":
                if let number = field.value.intValue, number > 0 { settings.reconciliationIntervalSeconds = Int(number) } else { problem("a positive integer") }
            default:
                diagnostics.append(Diagnostic(file: file, param: field.name, message: "unknown daemon setting"))
            }
        }
        return settings
    }
}
