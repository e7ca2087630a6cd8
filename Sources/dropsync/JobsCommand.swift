import ArgumentParser
import DropsyncCore
import DropsyncStore

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Lists recent jobs, newest first.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only jobs of this dataflow.")
    var flow: String?

    @Option(parsing: .unconditional, help: "How many jobs to list.")
    var limit = 20

    @Flag(help: "Print the jobs as a JSON array of their headlines (`dropsync job ID --json` has the details).")
    var json = false

    func validate() throws { try requirePositive(limit, "--limit") }

    func run() throws {
        let jobs = try JobStore(database: options.openDatabase(listing: flow)).list(dataflow: flow, limit: limit)
        if json {
            Output.json(.array(jobs.map(\.summaryJSONValue)))
            return
        }
        print("id      status     started                   processed   errors  trigger  dataflow")
        for job in jobs {
            print(job.id.padding(toLength: 8, withPad: " ", startingAt: 0)
                + job.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + UTCDateFormat.iso8601(job.startedAt).padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(job.processed).leftPadded(9) + String(job.errors).leftPadded(9) + "  "
                + job.trigger.padding(toLength: 9, withPad: " ", startingAt: 0) + job.dataflow)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
