import ArgumentParser
import DropsyncCore

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Prints a dataflow as Graphviz DOT (pipe it to `dot -Tsvg`).")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The dataflow's name.")
    var flow: String

    func run() throws {
        let configuration = options.loadConfiguration()
        guard let dataflow = configuration.dataflow(named: flow) else {
            for diagnostic in configuration.diagnostics { Output.error(diagnostic.description) }
            throw CommandFailure("no valid dataflow named '\(flow)' in \(options.configDirectory)")
        }
        print(DOTGraph.render(dataflow.dataflow))
    }
}
