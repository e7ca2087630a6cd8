import DropsyncCore
import Foundation

/// Runs the built `dropsync` executable, as an operator would, and captures what it printed.
public enum DropsyncCommand {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The package's root directory.
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The executable next to the test bundle (`.build/<triple>/debug/dropsync`).
    public static var executable: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for directory in [beside, beside.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("dropsync").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot + "/.build/debug/dropsync"
    }

    /// Runs `dropsync arguments…` (or another `program`, such as a script of the package) to its
    /// end; see `start`.
    public static func run(
        _ arguments: [String], program: String = executable, in scratch: TemporaryDirectory, timeout: Duration = .seconds(120)
    ) throws -> Result {
        try start(arguments, program: program, in: scratch).wait(timeout: timeout)
    }

    /// Runs `dropsync arguments…` and parses its standard output as JSON.
    public static func json(_ arguments: [String], in scratch: TemporaryDirectory) throws -> Value {
        let result = try run(arguments, in: scratch)
        guard result.status == 0 else { throw CommandError(result: result) }
        return try JSONParser.parse(result.stdout)
    }

    /// A command that exited with a failure.
    public struct CommandError: Error, CustomStringConvertible {
        public let result: Result
        public var description: String { "exit \(result.status): \(result.stderr)" }
    }

    /// Starts `dropsync arguments…` (or `program`); output goes to files in `scratch` (never to
    /// the runner's pipes).
    public static func start(
        _ arguments: [String], program: String = executable, environment extra: [String: String] = [:], in scratch: TemporaryDirectory
    ) throws -> Running {
        let id = UUID().uuidString.prefix(8)
        let stdoutPath = "\(scratch.path)/.stdout-\(id)"
        let stderrPath = "\(scratch.path)/.stderr-\(id)"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DROPSYNC_CONFIG")
        environment.removeValue(forKey: "DROPSYNC_STATE_DIR")
        environment.merge(extra) { _, given in given }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// A started `dropsync` process.
    public struct Running {
        let process: Process
        let stdoutPath: String
        let stderrPath: String

        /// Sends a signal (SIGINT, SIGTERM, …).
        public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        public var isRunning: Bool { process.isRunning }

        /// What the process has written to standard error so far.
        public var stderrSoFar: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Waits for the process to end; one that outlives `timeout` is killed with SIGKILL and reaped.
        public func wait(timeout: Duration = .seconds(120)) -> Result {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus,
                stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
        }
    }
}
