import ArgumentParser
import DropsyncComponents
import DropsyncCore

struct ComponentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components", abstract: "Lists the components, their ports and params.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Print the catalog as JSON.")
    var json = false

    func run() {
        if json { Output.json(ComponentCatalog.jsonValue(BuiltinComponents.registry)) } else {
            print(ComponentCatalog.text(BuiltinComponents.registry))
        }
    }
}
