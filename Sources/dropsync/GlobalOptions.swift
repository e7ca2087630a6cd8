import ArgumentParser
import DropsyncComponents
import DropsyncCore
import DropsyncStore
import Foundation

/// `--config` and `--state-dir`, which every command takes, and what they resolve to.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The conf.d directory (default: $DROPSYNC_CONFIG or /etc/dropsync/conf.d).", valueName: "dir"))
    var config: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp(
        "Where the SQLite state lives (default: $DROPSYNC_STATE_DIR, stateDirectory in dropsync.json, or /var/lib/dropsync).",
        valueName: "dir"))
    var stateDirectory: String?

    var configDirectory: String {
        config ?? ProcessInfo.processInfo.environment["DROPSYNC_CONFIG"] ?? "/etc/dropsync/conf.d"
    }

    func loadConfiguration() -> Configuration {
        Configuration.load(directory: configDirectory, registry: BuiltinComponents.registry)
    }

    /// The state directory: the flag, then the environment, then the settings file, then the default.
    func resolvedStateDirectory(_ settings: DaemonSettings) -> String {
        if let stateDirectory { return stateDirectory }
        if let fromEnvironment = ProcessInfo.processInfo.environment["DROPSYNC_STATE_DIR"] { return fromEnvironment }
        return settings.stateDirectory ?? "/var/lib/dropsync"
    }

    func openDatabase(_ settings: DaemonSettings) throws -> StateDatabase {
        let directory = resolvedStateDirectory(settings)
        do {
            return try StateDatabase.open(directory: directory)
        } catch {
            throw CommandFailure("cannot open the state database in \(directory): \(error)")
        }
    }

    /// Opens the database with the settings of the configuration directory, whether or not its
    /// dataflows are valid (history and accounts stay readable while a dataflow is broken).
    func openDatabase() throws -> StateDatabase { try openDatabase(loadConfiguration().settings) }
}

/// A command that failed for a reason to print on one line; exits 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum Output {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("dropsync: " + message + "\n").utf8))
    }

    static func json(_ value: Value, pretty: Bool = true) {
        print(JSONWriter.string(value, indent: pretty ? 2 : nil))
    }
}
