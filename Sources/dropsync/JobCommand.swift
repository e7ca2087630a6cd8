import ArgumentParser
import DropsyncCore
import DropsyncStore

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Shows one job: steps, errors and trace.",
        usage: "dropsync job [--config <dir>] [--state-dir <dir>] <id> [--json]")

    @OptionGroup var options: GlobalOptions

    /// The job id, captured with whatever else is not an option (so that `job -1` is told what
    /// a job id is, rather than that it is missing); `validate` wants exactly one.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The job id (see `dropsync jobs`).", valueName: "id"))
    var ids: [String] = []

    var id: String { ids[0] }

    func validate() throws {
        guard let given = ids.first else { throw ValidationError("Missing expected argument '<id>'") }
        if let unknown = ids.first(where: { $0.hasPrefix("-") && Int($0) == nil }) {
            throw ValidationError("Unknown option '\(unknown)'")
        }
        guard ids.count == 1 else { throw ValidationError("one job id, not \(ids.joined(separator: " "))") }
        guard let number = Int(given), number > 0 else {
            throw ValidationError("'\(given)' is not a job id: job ids are positive numbers (see dropsync jobs)")
        }
    }

    @Flag(help: "Print the job as JSON.")
    var json = false

    func run() throws {
        guard let report = try JobStore(database: options.openDatabase()).report(id: id) else {
            throw CommandFailure("no job with id \(id)")
        }
        if json {
            Output.json(report.jsonValue)
            return
        }
        print(report.summaryText)
        if !report.trace.isEmpty { print("  trace:") }
        for line in report.trace {
            let step = line.step.map { " [\($0)]" } ?? ""
            print("    \(UTCDateFormat.iso8601(line.time)) \(line.level.rawValue)\(step) \(line.message)")
        }
    }
}
