import Foundation

/// Everything in a `conf.d/` directory: daemon settings and the dataflows, each checked and
/// compiled. `dropsync check` and the daemon both load through here.
public struct Configuration: Sendable {
    public var directory: String
    public var settings: DaemonSettings
    public var dataflows: [CompiledDataflow]
    public var diagnostics: [Diagnostic]

    public var isValid: Bool { errors.isEmpty }

    /// The diagnostics that make the configuration invalid (not the warnings).
    public var errors: [Diagnostic] { diagnostics.filter { !$0.isWarning } }

    public func dataflow(named name: String) -> CompiledDataflow? { dataflows.first { $0.dataflow.name == name } }

    /// Loads every `*.json` file of `directory`; problems are collected, never thrown.
    public static func load(directory: String, registry: ComponentRegistry) -> Configuration {
        // Relative paths in params resolve against the dataflow file's directory: make it absolute
        // (and without `.` or `..`, for the messages that name files in it).
        let directory = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL.path
        var diagnostics: [Diagnostic] = []
        var settings = DaemonSettings()
        var dataflows: [CompiledDataflow] = []
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
            let message = !exists ? "the configuration directory does not exist"
                : isDirectory.boolValue ? "the configuration directory cannot be read"
                : "is not a directory (the configuration is a directory of .json files)"
            diagnostics.append(Diagnostic(file: directory, message: message))
            return Configuration(directory: directory, settings: settings, dataflows: [], diagnostics: diagnostics)
        }
        var firstFileByName: [String: String] = [:]
        for name in files {
            let path = directory + "/" + name
            guard let document = parse(path, into: &diagnostics) else { continue }
            if name == DaemonSettings.fileName {
                settings = DaemonSettings.decode(document, file: path, into: &diagnostics)
                continue
            }
            guard let dataflow = DataflowDecoder.decode(document, file: path, into: &diagnostics) else { continue }
            var loads = !dataflow.name.isEmpty
            if let first = firstFileByName[dataflow.name] {
                diagnostics.append(Diagnostic(file: path, message: "dataflow name '\(dataflow.name)' is already used by \(first)"))
                loads = false
            } else if loads {
                firstFileByName[dataflow.name] = path
            }
            // Checked even when it cannot load, so that all of its problems show at once.
            if let compiled = DataflowValidator(registry: registry).compile(dataflow, into: &diagnostics), loads {
                dataflows.append(compiled)
            }
        }
        if !files.contains(where: { $0 != DaemonSettings.fileName }) {
            diagnostics.append(Diagnostic(file: directory, message: "no dataflows in this directory: no *.json file other than \(DaemonSettings.fileName) (is --config right?)"))
        }
        return Configuration(directory: directory, settings: settings, dataflows: dataflows, diagnostics: diagnostics)
    }

    private static func parse(_ path: String, into diagnostics: inout [Diagnostic]) -> Value? {
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(Diagnostic(file: path, message: "cannot be read"))
            return nil
        }
        do {
            let (value, duplicateKeys) = try JSONParser.parseConfiguration(data)
            for key in duplicateKeys {
                diagnostics.append(Diagnostic(
                    file: "\(path):\(key.line):\(key.column)", message: "key '\(key.name)' appears twice in one object (the last one would win)"))
            }
            return value
        } catch {
            diagnostics.append(Diagnostic(file: "\(path):\(error.line):\(error.column)", message: "invalid JSON: \(error.message)"))
            return nil
        }
    }
}
