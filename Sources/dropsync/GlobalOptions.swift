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

    /// Opens the state database: `.create` for the commands that run jobs (`run`, `serve`);
    /// the others find it there (a mistyped `--state-dir` creates nothing).
    func openDatabase(_ settings: DaemonSettings, access: StateDatabase.Access) throws -> StateDatabase {
        let directory = resolvedStateDirectory(settings)
        do {
            return try StateDatabase.open(directory: directory, access: access)
        } catch let error as DropsyncError where error.code == "STATE_DATABASE_MISSING" {
            throw CommandFailure("\(error.message) (is --state-dir right?)")
        } catch let error as DropsyncError {
            throw CommandFailure(error.message)
        }
    }

    /// Opens the existing database read-only, after checking that `flow`, when given, names a
    /// dataflow of the configuration or one the history knows (a dataflow since removed from
    /// conf.d stays listable; a typo is an error).
    func openDatabase(listing flow: String?) throws -> StateDatabase {
        let configuration = loadConfiguration()
        let database = try openDatabase(configuration.settings, access: .readOnly)
        if let flow, configuration.dataflow(named: flow) == nil, try !database.hasHistory(dataflow: flow) {
            throw unknownDataflow(flow, in: configuration, besides: "and none in the history of \(database.path)")
        }
        return database
    }

    /// The failure for a dataflow name that `configuration` does not have, listing those it has.
    func unknownDataflow(_ flow: String, in configuration: Configuration, besides: String? = nil) -> CommandFailure {
        let names = configuration.dataflows.map(\.name).sorted().joined(separator: ", ")
        let elsewhere = besides.map { ", " + $0 } ?? ""
        return CommandFailure("no dataflow named '\(flow)' in \(configDirectory)\(elsewhere) (known: \(names))")
    }

    /// Opens the existing database with the settings of the configuration directory, whether or
    /// not its dataflows are valid (history and accounts stay readable while a dataflow is broken);
    /// read-only unless told.
    func openDatabase(access: StateDatabase.Access = .readOnly) throws -> StateDatabase {
        try openDatabase(loadConfiguration().settings, access: access)
    }
}

/// Fails unless a count the operator gave (`--limit`) is at least 1. Its option is parsed
/// `.unconditional`ly, so that a negative value gets here rather than being taken for an option.
func requirePositive(_ value: Int?, _ option: String) throws {
    if let value, value < 1 { throw ValidationError("\(option) must be a positive number, not \(value)") }
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
