import ArgumentParser
import DropsyncComponents
import DropsyncCore
import DropsyncDaemon
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Runs the daemon: watches the drop zones of conf.d and imports every new file once.",
        discussion: """
            Meant for systemd (Type=notify): READY=1 once loaded, SIGHUP reloads conf.d (an invalid one is refused \
            and the running one kept), SIGTERM or SIGINT stop taking files and let running jobs finish within \
            shutdownGraceSeconds. Logs go to the journal's native protocol under systemd, readable lines on stderr \
            otherwise.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "auto (the journal under systemd, text otherwise), journal, text or json.")
    var logFormat: LogFormat = .auto

    func run() async throws {
        let (daemon, logger) = try makeDaemon()
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [daemon], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The daemon on the loaded configuration, which only the daemon holds (it releases the
    /// dataflows when it stops), and the logger, once logging is set up.
    private func makeDaemon() throws -> (Daemon, Logger) {
        let configuration = options.loadConfiguration()
        DaemonLogging.bootstrap(format: logFormat, level: Logger.Level(rawValue: configuration.settings.logLevel) ?? .info)
        let logger = Logger(label: "dropsync")
        for warning in configuration.diagnostics where warning.isWarning { logger.warning("\(warning.description)") }
        guard configuration.isValid else {
            for diagnostic in configuration.errors {
                logger.error("\(diagnostic.description)", metadata: ["code": "INVALID_CONFIGURATION"])
            }
            throw ExitCode(2)
        }
        let notifier = SystemdNotifier()
        if !notifier.isActive { logger.debug("no NOTIFY_SOCKET (not started by systemd): readiness notifications are off") }
        let daemon = Daemon(
            configDirectory: configuration.directory, registry: BuiltinComponents.registry, configuration: configuration,
            database: try options.openDatabase(configuration.settings, access: .create), notifier: notifier, logger: logger)
        return (daemon, logger)
    }
}

extension LogFormat: ExpressibleByArgument {}
