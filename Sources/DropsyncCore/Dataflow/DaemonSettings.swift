/// Daemon-wide settings from `conf.d/dropsync.json`.
public struct DaemonSettings: Sendable, Equatable {
    public var stateDirectory: String?
    public var logLevel = "info"
    public var maxConcurrentJobs = 2
    /// Seconds between full listings of every drop zone (events are hints; the listing is truth).
    public var reconciliationIntervalSeconds = 300
    /// Seconds running jobs get to finish at shutdown before they are cancelled (and roll back).
    public var shutdownGraceSeconds = 30
    /// Claims of a file before a transient failure counts as final.
    public var maxAttempts = 3
    /// The first retry's delay in seconds; each further retry waits twice as long.
    public var retryBackoffSeconds = 10
    /// The most files one job takes from a drop zone (more wait for the next job).
    public var maxFilesPerJob = 200

    public init() {}

    static let fileName = "dropsync.json"

    private nonisolated(unsafe) static let numbers: [String: WritableKeyPath<DaemonSettings, Int>] = [
        "maxConcurrentJobs": \.maxConcurrentJobs, "reconciliationIntervalSeconds": \.reconciliationIntervalSeconds, "shutdownGraceSeconds": \.shutdownGraceSeconds,
        "maxAttempts": \.maxAttempts, "retryBackoffSeconds": \.retryBackoffSeconds, "maxFilesPerJob": \.maxFilesPerJob,
    ]

    private static let logLevels = ["debug", "info", "warning", "error"]

    /// The settings `document` gives, defaults for the rest; every problem is noted, quoting the
    /// value. A relative `stateDirectory` is taken from `file`'s directory (conf.d).
    static func decode(_ document: Value, file: String, into diagnostics: inout [Diagnostic]) -> DaemonSettings {
        var settings = DaemonSettings()
        guard case .object(let object) = document else {
            diagnostics.append(Diagnostic(file: file, message: "daemon settings must be a JSON object, got \(document.typeName)"))
            return settings
        }
        for field in object.fields {
            func problem(_ expected: String) {
                diagnostics.append(Diagnostic(
                    file: file, param: field.name, message: "expected \(expected), got \(field.value.typeName) \(field.value.quoted)"))
            }
            switch field.name {
            case "stateDirectory":
                guard let text = field.value.stringValue, !text.isEmpty else { problem("a directory path"); continue }
                let directory = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
                settings.stateDirectory = text.hasPrefix("/") ? text : directory + "/" + text
            case "logLevel":
                guard let text = field.value.stringValue, logLevels.contains(text) else {
                    problem("one of " + logLevels.map { "\"\($0)\"" }.joined(separator: ", "))
                    continue
                }
                settings.logLevel = text
            case let name where numbers[name] != nil:
                guard let number = field.value.intValue, number > 0 else {
                    problem("a positive integer")
                    continue
                }
                settings[keyPath: Self.numbers[field.name]!] = Int(number)
            default:
                let known = ["stateDirectory", "logLevel"] + numbers.keys.sorted()
                let hint = EditDistance.nearest(to: field.name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                diagnostics.append(Diagnostic(file: file, param: field.name, message: "unknown daemon setting\(hint)"))
            }
        }
        return settings
    }
}
