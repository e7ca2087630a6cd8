import ArgumentParser
import DropsyncComponents
import DropsyncCore
import DropsyncDaemon
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs one job of a dataflow now and prints its summary.",
        discussion: """
            Exits 0 when the job succeeded (rejected records within a step's error budget are \
            reported, not fatal), 1 when it failed or was cancelled (Ctrl-C or SIGTERM: writers roll \
            back), 2 when the configuration does not pass `dropsync check`.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The dataflow's name.")
    var flow: String

    @Option(name: .customLong("file"), help: ArgumentHelp(
        "Read this file instead of listing the drop zone (repeatable): a local path (relative to the current directory) "
            + "when the dataflow reads with datasource.read.local; for an SFTP, FTP or S3 reader, the file's path on the "
            + "server, in the reader's directory (/outbound/a.csv, an S3 key in/a.csv).",
        valueName: "path"))
    var files: [String] = []

    @Option(parsing: .unconditional, help: "Stop the readers after this many records (a test run; at least 1).")
    var limit: Int?

    @Flag(help: "Go through every step but commit nothing (account writes roll back, no file is written, the ledger is left alone); print what would change.")
    var dryRun = false

    @Flag(help: "Print the job as JSON.")
    var json = false

    func validate() throws { try requirePositive(limit, "--limit") }

    func run() async throws {
        let configuration = options.loadConfiguration()
        guard configuration.isValid else {
            for diagnostic in configuration.errors { Output.error(diagnostic.description) }
            throw ExitCode(2)
        }
        guard let dataflow = configuration.dataflow(named: flow) else {
            throw options.unknownDataflow(flow, in: configuration)
        }
        let explicitFiles = explicitFiles(dataflow)
        let executor = JobExecutor(database: try options.openDatabase(configuration.settings, access: .create))
        let showProgress = isatty(STDERR_FILENO) == 1 && !json
        let (limit, dryRun) = (limit, dryRun)
        let job = Task {
            let pending = try await executor.prepare(
                dataflow, trigger: "manual", explicitFiles: explicitFiles, limit: limit, dryRun: dryRun)
            let progress = showProgress ? ProgressLine(pending.context) : nil
            defer { progress?.stop() }
            return try await executor.execute(pending)
        }
        // Ctrl-C or SIGTERM cancels the job: writers roll back, and the history says "cancelled".
        let interruption = SignalCancellation([SIGINT, SIGTERM]) { job.cancel() }
        defer { interruption.stop() }
        let report = try await job.value
        if json {
            Output.json(report.jsonValue)
        } else {
            print(report.summaryText)
            if dryRun {
                // What the writers would have done: their receipts.
                let writers = Set(dataflow.steps.filter { $0.spec.output == .nothing }.map(\.id))
                for line in report.trace {
                    if let step = line.step, writers.contains(step) { print("  [\(step)] \(line.message)") }
                }
            }
        }
        if report.status != .succeeded { throw ExitCode.failure }
    }

    /// The `--file` paths as the dataflow's reader takes them: local ones made absolute, remote
    /// ones as the server names them (an S3 key is relative).
    private func explicitFiles(_ dataflow: CompiledDataflow) -> [String]? {
        guard !files.isEmpty else { return nil }
        guard dataflow.steps.contains(where: { $0.spec.type == LocalReadStep.spec.type }) else { return files }
        return files.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }
}
