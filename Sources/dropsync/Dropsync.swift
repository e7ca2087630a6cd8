import ArgumentParser

@main
struct Dropsync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropsync",
        abstract: "Runs IdentitySync-style dataflows on drop-zone files, with its state in SQLite.",
        subcommands: [
            ServeCommand.self, CheckCommand.self, RunCommand.self, FilesCommand.self, JobsCommand.self, JobCommand.self,
            AccountsCommand.self, ComponentsCommand.self, GraphCommand.self, PGPCommand.self, SFTPCommand.self,
        ])
}

extension Dropsync {
    /// Runs the command line; `dropsync help NAME…` with an unknown name is an error, as
    /// `dropsync NAME` is (ArgumentParser would print the main help and exit 0).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "help", let unknown = unknownCommand(arguments.dropFirst()) {
            exit(withError: ValidationError("Unknown command '\(unknown)'"))
        }
        await main(arguments)
    }

    /// The first of the names `arguments` start with (`files list`, up to the first option)
    /// that is not a subcommand of the command before it; nil when each is.
    static func unknownCommand(_ arguments: ArraySlice<String>) -> String? {
        var command: any ParsableCommand.Type = Dropsync.self
        for name in arguments.prefix(while: { !$0.hasPrefix("-") }) {
            let subcommands = command.configuration.subcommands
            guard let next = subcommands.first(where: { $0._commandName == name || $0.configuration.aliases.contains(name) }) else {
                return name
            }
            command = next
        }
        return nil
    }
}
