import ArgumentParser
import DropsyncCore
import DropsyncStore

struct AccountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Reads the embedded account store.",
        subcommands: [Get.self, Count.self])

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints one account as a JSON object.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The account's UID.")
        var uid: String

        @Flag(help: "Print compact JSON on one line.")
        var json = false

        func run() throws {
            guard let account = try AccountStore(database: options.openDatabase()).get(uid: uid) else {
                throw CommandFailure("no account with UID \(uid)")
            }
            Output.json(.object(account), pretty: !json)
        }
    }

    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints the number of accounts.")

        @OptionGroup var options: GlobalOptions

        func run() throws {
            print(try AccountStore(database: options.openDatabase()).count())
        }
    }
}
