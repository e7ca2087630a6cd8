import ArgumentParser
import SFTP

struct SFTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sftp", abstract: "SFTP drop zones: onboarding a partner's server.", subcommands: [Trust.self])

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Shows the host keys a server offers, with the known_hosts lines to pin them.",
            discussion: """
                Compare the fingerprints with what the partner tells you over another channel before you trust \
                them; then add the lines to the known_hosts file a reader's knownHosts param names, or pin one \
                fingerprint with hostKeyFingerprint.
                """)

        @Option(help: "The server's host name or address.")
        var host: String

        @Option(help: "The server's SSH port.")
        var port = 22

        @Option(help: "Seconds to wait for the server (1 to 86400).")
        var timeout = 30

        func validate() throws {
            guard (1...86_400).contains(timeout) else { throw ValidationError("--timeout must be 1 to 86400 seconds") }
        }

        func run() throws {
            let keys: [SSHHostKey]
            do {
                keys = try HostKeyScan.keys(host: host, port: port, timeout: .seconds(timeout))
            } catch {
                throw CommandFailure("\(error.message) [\(error.code)]")
            }
            for key in keys {
                print("\(key.type.padding(toLength: 20, withPad: " ", startingAt: 0)) \(key.fingerprint)")
            }
            print("\nknown_hosts lines:")
            for key in keys { print(key.knownHostsLine(host: host, port: port)) }
        }
    }
}
