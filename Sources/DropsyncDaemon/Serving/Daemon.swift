import DropsyncCore
import DropsyncStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `dropsync serve`: one `DataflowWorker` per watched dataflow, a global limit on running jobs,
/// SIGHUP reloads, systemd notifications and a graceful stop.
///
/// At start, jobs a killed daemon left running are marked failed and their claimed files become
/// ready again, so every file ends processed once in effect. A reload that does not pass `check`
/// is refused and logged; a valid one replaces the workers without dropping running jobs.
public actor Daemon: Service {
    private let configDirectory: String
    private let registry: ComponentRegistry
    private let executor: JobExecutor
    private let notifier: SystemdNotifier
    private let logger: Logger
    private let settings: DaemonSettings
    private let slots: JobSlots
    private var configuration: Configuration
    private var workers: [String: DataflowWorker] = [:]
    /// Workers a reload replaced whose last job has not ended: stopped with the others at shutdown.
    private var retired: [DataflowWorker] = []

    public init(
        configDirectory: String, registry: ComponentRegistry, configuration: Configuration, database: StateDatabase,
        notifier: SystemdNotifier, logger: Logger
    ) {
        self.configDirectory = configDirectory
        self.registry = registry
        self.configuration = configuration
        self.executor = JobExecutor(database: database)
        self.notifier = notifier
        self.logger = logger
        settings = configuration.settings
        slots = JobSlots(settings.maxConcurrentJobs)
    }

    public func run() async throws {
        // SIGHUP is trapped before READY=1: a reload asked for right after must not kill the daemon.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        try await recover()
        await startWorkers(replacing: [:])
        notifier.ready(status: status)
        logger.info("ready: \(status)")
        let notifier = notifier
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in hangups.cancelOnGracefulShutdown() { await self.reload() }
            }
            if let interval = notifier.watchdogInterval {
                group.addTask {
                    while !Task.isCancelled {
                        notifier.watchdog()
                        try? await Task.sleep(for: interval)
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await self.pollLedger()
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        notifier.stopping()
        logger.info("stopping: no new files; running jobs get \(settings.shutdownGraceSeconds)s to finish")
        await slots.close()
        await withTaskGroup(of: Void.self) { group in
            for worker in Array(workers.values) + retired {
                group.addTask { await worker.stop(grace: .seconds(self.settings.shutdownGraceSeconds)) }
            }
        }
        // The dataflows' components (PGP keys among them) are released here, not by the process's
        // exit, which tears down C++ libraries (librnp's Botan) while Swift threads still run.
        workers = [:]
        retired = []
        configuration.dataflows = []
        logger.info("stopped")
    }

    private var status: String {
        "watching \(workers.count) drop zone(s) for \(configuration.dataflows.count) dataflow(s)"
    }

    /// Ends what a killed daemon left behind: its running jobs failed, its claims ready again.
    private func recover() async throws {
        let interrupted = try await JobStore(database: executor.database).failInterruptedJobs(
            endedAt: Date(), reason: "the daemon stopped during the job")
        let reclaimed = try await executor.database.ledger.reclaimAbandoned()
        if interrupted > 0 || !reclaimed.isEmpty {
            logger.warning("recovered from an unclean stop: \(interrupted) job(s) marked failed, \(reclaimed.count) file(s) ready again")
        }
    }

    private func startWorkers(replacing previous: [String: DataflowWorker]) async {
        let policy = DataflowWorker.Policy(settings)
        for dataflow in configuration.dataflows where dataflow.dataflow.watch {
            guard let reader = dataflow.entryPoints.lazy.compactMap({ $0.component as? any DropZoneReader }).first else {
                logger.info("dataflow \(dataflow.name) reads no drop zone: it runs with `dropsync run` only")
                continue
            }
            let access: any DropZoneAccess = if let remote = reader as? any RemoteDropZoneReader {
                RemoteDropZone(reader: remote)
            } else {
                LocalDropZone(settings: reader.dropZone, reconcileInterval: policy.reconcileInterval)
            }
            let worker = DataflowWorker(
                dataflow: dataflow, zone: reader.dropZone, access: access, executor: executor, slots: slots, policy: policy, logger: logger,
                predecessorJob: await previous[dataflow.name]?.runningJob)
            workers[dataflow.name] = worker
            await worker.start()
        }
    }

    private func pollLedger() async {
        for worker in workers.values { await worker.pollLedger() }
        var running: [DataflowWorker] = []
        for worker in retired where await !worker.isDone { running.append(worker) }
        retired = running
    }

    /// Loads the configuration again: a valid one replaces the running one (running jobs finish
    /// on the old); an invalid one is logged with its diagnostics and refused.
    private func reload() async {
        notifier.reloading()
        logger.info("reloading \(configDirectory)")
        let candidate = Configuration.load(directory: configDirectory, registry: registry)
        guard candidate.isValid else {
            for diagnostic in candidate.errors { logger.error("\(diagnostic.description)", metadata: ["code": "INVALID_CONFIGURATION"]) }
            logger.error("the new configuration has \(candidate.errors.count) problem(s): keeping the running one")
            notifier.ready(status: status)
            return
        }
        for warning in candidate.diagnostics where warning.isWarning { logger.warning("\(warning.description)") }
        if candidate.settings != settings {
            logger.warning("dropsync.json changed: daemon settings take effect at the next restart; the dataflows are reloaded now")
        }
        configuration = candidate
        let previous = workers
        workers = [:]
        for worker in previous.values {
            await worker.retire()
            retired.append(worker)
        }
        await startWorkers(replacing: previous)
        notifier.ready(status: status)
        logger.info("reloaded: \(status)")
    }
}
