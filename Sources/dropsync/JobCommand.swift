import ArgumentParser
import DropsyncCore
import DropsyncStore

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "job", abstract: "Shows one job: steps, errors and trace.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The job id (see `dropsync jobs`).")
    var id: String

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
