import ArgumentParser

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validates the configuration as the daemon loads it; lists every problem.")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let configuration = options.loadConfiguration()
        for diagnostic in configuration.diagnostics { Output.error(diagnostic.description) }
        guard configuration.isValid else {
            Output.error("\(configuration.errors.count) problem(s) in \(options.configDirectory)")
            throw ExitCode.failure
        }
        print("\(options.configDirectory): \(configuration.dataflows.count) dataflow(s) valid")
    }
}
