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
