import ArgumentParser
import DropsyncCore
import DropsyncStore
import Foundation

struct FilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files", abstract: "The file ledger: what the daemon saw in its drop zones and what became of each file.",
        subcommands: [List.self, Why.self, Retry.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists files, most recently updated first.")

        @OptionGroup var options: GlobalOptions

        @Option(help: "Only the files of this dataflow.")
        var flow: String?

        @Option(help: "Only files in this state.")
        var status: LedgerStatus?

        @Option(parsing: .unconditional, help: "At most this many files.")
        var limit = 200

        @Flag(help: "Print a JSON array of {path, location, dataflow, status, attempts, jobId, reason, postActionProblem, updatedAt}.")
        var json = false

        func validate() throws { try requirePositive(limit, "--limit") }

        func run() throws {
            let entries = try options.openDatabase(listing: flow).ledger.list(dataflow: flow, status: status, limit: limit)
            if json { return Output.json(.array(entries.map(Self.value))) }
            print("status       attempts  job     updated                   dataflow              path / reason")
            for entry in entries {
                let columns = [
                    entry.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
                    String(entry.attempts).padding(toLength: 9, withPad: " ", startingAt: 0),
                    (entry.job ?? "-").padding(toLength: 7, withPad: " ", startingAt: 0),
                    UTCDateFormat.iso8601(entry.updatedAt).padding(toLength: 25, withPad: " ", startingAt: 0),
                    (entry.dataflow ?? "-").padding(toLength: 21, withPad: " ", startingAt: 0),
                ]
                print(columns.joined(separator: " ") + " " + entry.path)
                if let reason = Self.reason(entry) { print(String(repeating: " ", count: 79) + "  " + reason) }
            }
        }

        /// Why the file is where it is: its error, or why it was judged ready (or what it waits for).
        static func reason(_ entry: LedgerEntry) -> String? {
            entry.status == .succeeded || entry.status == .claimed ? entry.lastError : entry.lastError ?? entry.readyReason
        }

        static func value(_ entry: LedgerEntry) -> Value {
            var record = Record()
            record["path"] = .string(entry.path)
            record["location"] = .string(entry.location)
            record["dataflow"] = entry.dataflow.map(Value.string) ?? .null
            record["status"] = .string(entry.status.rawValue)
            record["attempts"] = .int(Int64(entry.attempts))
            record["jobId"] = entry.job.map(Value.string) ?? .null
            record["reason"] = reason(entry).map(Value.string) ?? .null
            record["postActionProblem"] = entry.postActionProblem.map(Value.string) ?? .null
            record["updatedAt"] = .string(UTCDateFormat.iso8601(entry.updatedAt))
            return .object(record)
        }
    }

    struct Why: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explains what happened to a file: when it was seen, why it was judged ready, its job, the outcome.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var file: LedgerFile

        func run() throws {
            let database = try options.openDatabase()
            let entry = try file.entry(in: database.ledger)
            var lines = ["\(entry.path)", "  dataflow     \(entry.dataflow ?? "-") (\(entry.location))"]
            lines.append("  first seen   \(UTCDateFormat.iso8601(entry.firstSeen))")
            if let size = entry.size { lines.append("  size         \(size) bytes") }
            if let tag = entry.versionTag { lines.append("  version tag  \(tag)") }
            if let reason = entry.readyReason { lines.append("  \(entry.status == .seen ? "waiting" : "ready") because \(reason)") }
            lines.append("  status       \(entry.status.rawValue) since \(UTCDateFormat.iso8601(entry.updatedAt)), \(entry.attempts) attempt(s)")
            if let job = entry.job, let report = try JobStore(database: database).report(id: job) {
                var line = "  job          \(job): \(report.status.rawValue), \(report.processed) records, \(report.errors) rejected"
                if let ended = report.endedAt { line += String(format: ", %.2fs", ended.timeIntervalSince(report.startedAt)) }
                lines.append(line + "  (dropsync job \(job))")
            }
            if let error = entry.lastError { lines.append((entry.status == .succeeded ? "  note         " : "  error        ") + error) }
            if let movedTo = entry.movedTo { lines.append("  moved to     \(movedTo)") }
            if let problem = entry.postActionProblem { lines.append("  post-action  \(problem) (retrying)") }
            print(lines.joined(separator: "\n"))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queues a failed or quarantined file again (a quarantined one is moved back into its drop zone first).")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var file: LedgerFile

        func run() async throws {
            let ledger = try options.openDatabase(access: .existing).ledger
            let entry = try file.entry(in: ledger)
            let absolute = entry.path
            guard entry.status == .failed || entry.status == .quarantined else {
                throw CommandFailure("\(absolute) is \(entry.status.rawValue); only failed or quarantined files can be retried")
            }
            // Ready in the ledger first: the daemon, seeing the file come back, then queues it
            // instead of quarantining it again.
            guard try await ledger.requeue(location: entry.location, path: absolute) else {
                throw CommandFailure("\(absolute) changed state meanwhile; see dropsync files why")
            }
            if entry.status == .quarantined, let movedTo = entry.movedTo, !entry.location.hasPrefix("local:") {
                print("\(absolute): queued again; move \(movedTo) back to \(absolute) on \(entry.location) and the daemon takes it")
                return
            }
            if entry.status == .quarantined, let movedTo = entry.movedTo, !FileManager.default.fileExists(atPath: absolute) {
                do {
                    try FileManager.default.moveItem(atPath: movedTo, toPath: absolute)
                } catch {
                    throw CommandFailure(
                        "queued again, but \(movedTo) could not be moved back to \(absolute) (\(error.localizedDescription)): "
                            + "move it there by hand and the daemon takes it")
                }
            }
            print("\(absolute): queued again; a running daemon takes it within seconds")
        }
    }
}

/// The file argument of `files why` and `files retry`, and its ledger entry.
struct LedgerFile: ParsableArguments {
    @Argument(help: "The file's path in its drop zone: a local path, or a remote one as its server names it (/outbound/a.csv, an S3 key in/a.csv).")
    var path: String

    /// The file's most recent entry: by the path as given (a remote one: `in/fans.csv`), else as
    /// a local path made absolute; a failure naming the path when the ledger has none.
    func entry(in ledger: LedgerStore) throws -> LedgerEntry {
        let absolute = URL(fileURLWithPath: path).standardized.path
        guard let entry = try ledger.entries(path: path).first ?? ledger.entries(path: absolute).first else {
            throw CommandFailure("the ledger has no file \(absolute)")
        }
        return entry
    }
}

extension LedgerStatus: ExpressibleByArgument {}
