import DropsyncCore
import DropsyncStore
import Foundation
import Logging

/// Serves one dataflow's drop zone: records what the monitor finds in the ledger, runs the ready
/// files as jobs (one job at a time, up to `maxFilesPerJob` files each, claimed in a transaction),
/// and settles every claimed file after its job: succeeded (then kept, deleted or archived),
/// retried later after a transient failure, failed or quarantined after a final one, or ready
/// again when its job ended before reaching it.
actor DataflowWorker {
    /// How the daemon retries and batches.
    struct Policy: Sendable {
        var maxAttempts: Int
        var retryBackoff: Duration
        var maxFilesPerJob: Int
        var reconcileInterval: Duration

        init(_ settings: DaemonSettings) {
            maxAttempts = settings.maxAttempts
            retryBackoff = .seconds(settings.retryBackoffSeconds)
            maxFilesPerJob = settings.maxFilesPerJob
            reconcileInterval = .seconds(settings.reconciliationIntervalSeconds)
        }
    }

    /// The longest wait between two tries of a file whose server cannot be reached.
    static let longestUnreachableDelay = Duration.seconds(900)

    let dataflow: CompiledDataflow
    let zone: DropZoneSettings
    private let executor: JobExecutor
    private let slots: JobSlots
    let policy: Policy
    let access: any DropZoneAccess
    private(set) var logger: Logger
    var ledger: LedgerStore { executor.database.ledger }
    private var location: String { access.location }

    /// Ready files not yet claimed, by path.
    private var pending: [String: DropZoneFile] = [:]
    /// Files waiting out a retry delay: not queued from the ledger meanwhile.
    private var delayed: [String: DropZoneFile] = [:]
    /// Files taken from `pending` for a job and not settled yet: not queued from the ledger meanwhile.
    private var inFlight: Set<String> = []
    private var jobs: Task<Void, Never>?
    /// The running job's execution by the engine: what the end of the shutdown grace period
    /// cancels (the worker's bookkeeping around it is never cancelled).
    private var execution: Task<JobReport, any Error>?
    /// Whether the shutdown grace period is over: a job about to start is cancelled at once.
    private var graceOver = false
    private var findings: Task<Void, Never>?
    private var problems: Task<Void, Never>?
    private var retiring = false
    /// The job of the worker this one replaced at a reload: it ends before this one's first.
    private var predecessorJob: Task<Void, Never>?
    /// The post-actions that failed, retried with growing delays.
    var postActionRetries: PostActionRetries

    init(
        dataflow: CompiledDataflow, zone: DropZoneSettings, access: any DropZoneAccess, executor: JobExecutor, slots: JobSlots,
        policy: Policy, logger: Logger, predecessorJob: Task<Void, Never>?
    ) {
        self.dataflow = dataflow
        self.zone = zone
        self.executor = executor
        self.slots = slots
        self.policy = policy
        postActionRetries = PostActionRetries(firstDelay: policy.retryBackoff)
        self.predecessorJob = predecessorJob
        self.access = access
        var logger = logger
        logger[metadataKey: "dataflow"] = "\(dataflow.name)"
        self.logger = logger
    }

    /// Starts watching; the inotify watch is in place when this returns (the daemon says READY=1
    /// after), so a file dropped right after is seen by its event.
    func start() {
        let findingStream = access.findings()
        let problemStream = access.problems()
        findings = Task {
            for await finding in findingStream { await self.handle(finding) }
        }
        let logger = logger
        problems = Task {
            for await problem in problemStream {
                switch problem {
                case .unavailable(let directory, let reason):
                    logger.error("drop zone \(directory) \(reason); trying again", metadata: ["code": "DROP_ZONE_UNAVAILABLE"])
                case .refused(let directory, let reason):
                    logger.error(
                        "drop zone \(directory) refused us: \(reason); not trying again until the configuration is reloaded",
                        metadata: ["code": "DROP_ZONE_REFUSED"])
                case .recovered(let directory):
                    logger.info("drop zone \(directory) is back; listing it, and trying again the files that waited for it")
                    self.retryDelayedFiles()
                case .eventsLost(let directory):
                    logger.warning("inotify events lost for \(directory) (burst larger than the kernel queue); listing it")
                }
            }
        }
    }

    /// Stops watching and taking jobs; the running job (if any) goes on. Returns at once.
    func retire() {
        retiring = true
        access.stop()
        findings?.cancel()
    }

    /// The running job's task, if any (a successor waits for it).
    var runningJob: Task<Void, Never>? { jobs }

    /// Whether a retired worker has nothing running any more.
    var isDone: Bool { retiring && jobs == nil }

    /// Retires, then gives the running job `grace` to end before cancelling it (its writes roll
    /// back; its files are ready again for the next start). Returns once nothing of the worker
    /// runs any more.
    ///
    /// The grace period starts at once: the findings being recorded may wait for the job's
    /// transaction, so they are awaited after the job, never before it.
    func stop(grace: Duration) async {
        retire()
        if let running = jobs {
            let timer = Task { [weak self] in
                try await Task.sleep(for: grace)
                await self?.endGrace()
            }
            await running.value
            timer.cancel()
        }
        await findings?.value
        await problems?.value
    }

    /// The shutdown grace period is over: the running job (or one about to start) is cancelled.
    private func endGrace() {
        graceOver = true
        guard let execution else { return }
        logger.warning("the running job did not end within the shutdown grace period: cancelling it; its files stay for the next start")
        execution.cancel()
    }

    // MARK: Findings

    private func handle(_ finding: DropZoneFinding) async {
        do {
            switch finding {
            case .seen(let file, let waitingFor):
                try await ledger.observe(version(of: file), status: .seen, reason: "waiting for " + waitingFor)
            case .ready(let file, let reason):
                let observed = version(of: file)
                switch try await ledger.observe(observed, status: .ready, reason: reason) {
                case .ready: enqueue(observed)
                case .succeeded, .failed, .quarantined: await finishPostAction(observed)
                case .seen, .claimed: break
                }
            case .unusable(let path, let reason):
                let file = DropZoneFile(dataflow: dataflow.name, location: location, path: path, size: 0, modified: 0)
                try await ledger.observe(file, status: .seen, reason: reason)
                try await ledger.settle(file, status: .failed, error: reason)
                logger.warning("cannot read \(path): \(reason)", metadata: ["file": "\(path)", "code": "FILE_UNUSABLE"])
            }
        } catch is CancellationError {
            // The worker stopped while the finding was being recorded: the next start lists the zone again.
        } catch {
            logger.error("the ledger could not record a finding: \(error)")
        }
    }

    private func version(of file: ListedFile) -> DropZoneFile {
        DropZoneFile(
            dataflow: dataflow.name, location: location, path: file.path, size: file.size, modified: file.modified,
            versionTag: file.versionTag)
    }

    /// Queues the ledger's ready files this worker does not know of yet (after a restart, or a
    /// `files retry`) that are in the drop zone as the ledger knows them.
    func pollLedger() async {
        // Only files of this worker's drop zone: `dropsync run --file` records files from anywhere.
        guard !retiring, let entries = try? ledger.list(dataflow: dataflow.name, status: .ready, location: location, limit: 10_000)
        else { return }
        for entry in entries where pending[entry.path] == nil && delayed[entry.path] == nil && !inFlight.contains(entry.path) {
            guard let size = entry.size, let modified = entry.modified else { continue }
            let file = DropZoneFile(dataflow: dataflow.name, location: entry.location, path: entry.path, size: size, modified: modified)
            if (try? await access.isPresent(file)) == true { enqueue(file) }
        }
    }

    private func enqueue(_ file: DropZoneFile) {
        pending[file.path] = file
        guard jobs == nil, !retiring else { return }
        jobs = Task { await self.runJobs() }
    }

    // MARK: Jobs

    private func runJobs() async {
        if let predecessorJob {
            await predecessorJob.value
            self.predecessorJob = nil
        }
        while !retiring && !pending.isEmpty && !Task.isCancelled {
            guard await slots.acquire() else { break }
            guard !retiring else {
                await slots.release()
                break
            }
            let batch = Array(pending.values.sorted { $0.path < $1.path }.prefix(policy.maxFilesPerJob))
            for file in batch {
                pending[file.path] = nil
                inFlight.insert(file.path)
            }
            await runJob(batch)
            for file in batch { inFlight.remove(file.path) }
            await slots.release()
        }
        jobs = nil
        if !pending.isEmpty && !retiring && !Task.isCancelled { jobs = Task { await self.runJobs() } }
    }

    private func runJob(_ batch: [DropZoneFile]) async {
        var jobLogger = logger
        var claimed: [DropZoneFile] = []
        do {
            let fresh = zone.skipsDuplicateContent ? try await withoutDuplicates(batch) : batch
            claimed = try await ledger.claim(fresh, job: nil)
            guard !claimed.isEmpty else { return }
            let job = try await executor.prepare(dataflow, trigger: "file", explicitFiles: claimed.map(\.path), recordsFiles: false)
            jobLogger[metadataKey: "job"] = "\(job.context.jobID)"
            let names = claimed.prefix(3).map { ($0.path as NSString).lastPathComponent }.joined(separator: ", ")
            jobLogger.info("job \(job.context.jobID) started: \(claimed.count) file(s): \(names)\(claimed.count > 3 ? ", …" : "")")
            let execution = Task { [executor] in try await executor.execute(job) }
            self.execution = execution
            if graceOver { execution.cancel() }
            let result = await execution.result
            self.execution = nil
            let report = try result.get()
            log(report, jobLogger)
            try await settle(claimed, report: report, committed: job.context.committedSources, logger: jobLogger)
        } catch {
            // The state database failed us: each claimed file is retried later, as transient.
            jobLogger.error("the job could not run: \(error)", metadata: ["code": "DATABASE_ERROR"])
            for file in claimed {
                try? await fail(
                    file, code: "DATABASE_ERROR", reason: "the job could not run: \(error)", transient: true, job: nil, logger: jobLogger)
            }
        }
    }

    /// The files whose content was not imported before under another name; the others are
    /// settled as succeeded (the data is in already) and post-actioned.
    private func withoutDuplicates(_ batch: [DropZoneFile]) async throws -> [DropZoneFile] {
        var fresh: [DropZoneFile] = []
        for file in batch {
            guard let hash = await access.contentHash(file.path) else {
                fresh.append(file)
                continue
            }
            try await ledger.recordHash(file, hash)
            guard let original = try ledger.imported(contentHash: hash, dataflow: dataflow.name, besides: file.path) else {
                fresh.append(file)
                continue
            }
            guard try await !ledger.claim([file], job: nil).isEmpty else { continue }
            try await ledger.settle(file, status: .succeeded, error: "skipped: same content as \(original.path), imported by job \(original.job ?? "?")")
            logger.info("\(file.path) skipped: same content as \(original.path)", metadata: ["file": "\(file.path)"])
            await finishPostAction(file)
        }
        return fresh
    }

    private func log(_ report: JobReport, _ logger: Logger) {
        let seconds = String(format: "%.2f", (report.endedAt ?? Date()).timeIntervalSince(report.startedAt))
        let summary = "job \(report.id) \(report.status.rawValue) in \(seconds)s: \(report.processed) records, \(report.errors) rejected"
        switch report.status {
        case .succeeded: logger.info("\(summary)")
        case .cancelled: logger.warning("\(summary)")
        case .failed, .running:
            var metadata: Logger.Metadata = ["code": "\(report.failureCode ?? "JOB_FAILED")"]
            if let file = report.failureFile { metadata["file"] = "\(file)" }
            logger.error("\(summary); \(report.failure ?? "no reason given")", metadata: metadata)
        }
    }

    /// What became of each claimed file, recorded and acted upon.
    private func settle(_ claimed: [DropZoneFile], report: JobReport, committed: Set<FileInfo>, logger: Logger) async throws {
        let judge = FileOutcome.Judge(report, files: claimed.map(\.path), committed: committed)
        for file in claimed {
            switch judge.outcome(of: file.path) {
            case .succeeded:
                try await ledger.settle(file, status: .succeeded, job: report.id)
                await finishPostAction(file)
            case .failed:
                try await fail(
                    file, code: report.failureCode ?? "JOB_FAILED", reason: report.failure ?? "the job failed",
                    transient: judge.failureIsTransient, job: report.id, logger: logger)
            case .unread:
                try await ledger.settle(file, status: .failed, error: "the job ended without reading the file", job: report.id)
            case .notReached:
                try await ledger.settle(file, status: .ready)
                if report.status == .failed { enqueue(file) }
            }
        }
    }

    /// A failure of the file by `job`: retried later when transient and attempts remain (however
    /// long it takes when its server cannot be reached), else final.
    private func fail(
        _ file: DropZoneFile, code: String, reason: String, transient: Bool, job: String?, logger: Logger
    ) async throws {
        var logger = logger
        logger[metadataKey: "file"] = "\(file.path)"
        logger[metadataKey: "code"] = "\(code)"
        if code == "FILE_NOT_FOUND" {
            try await ledger.settle(file, status: .failed, error: "the file vanished before it was read", job: job)
            return logger.warning("\(file.path) vanished before it was read")
        }
        let attempts = try ledger.entry(location: file.location, path: file.path)?.attempts ?? policy.maxAttempts
        // An unreachable server is not the file's fault: it is waited for however long it takes.
        let unreachable = code == "CONNECTION_FAILED"
        if unreachable || (transient && attempts < policy.maxAttempts) {
            var delay = policy.retryBackoff * (1 << min(max(attempts - 1, 0), 16))
            if unreachable { delay = min(delay, Self.longestUnreachableDelay) }
            delayed[file.path] = file
            try await ledger.settle(file, status: .ready, error: reason, job: job)
            logger.warning(unreachable
                ? "\(file.path) could not be fetched (attempt \(attempts)): \(reason); retrying in \(delay)"
                : "\(file.path) failed (attempt \(attempts) of \(policy.maxAttempts)); retrying in \(delay)")
            Task { [weak self] in
                try? await Task.sleep(for: delay)
                await self?.retryAfterDelay(file)
            }
            return
        }
        try await ledger.settle(file, status: .failed, error: reason, job: job)
        logger.error("\(file.path) failed for good: \(reason)")
        await finishPostAction(file)
    }

    private func retryAfterDelay(_ file: DropZoneFile) {
        guard delayed.removeValue(forKey: file.path) != nil, !retiring else { return }
        enqueue(file)
    }

    /// The drop zone is back after an outage: the files waiting out a retry delay (mostly for
    /// it) are tried now rather than after their delay, which grows to minutes.
    private func retryDelayedFiles() {
        let waiting = delayed.values
        delayed = [:]
        guard !retiring else { return }
        for file in waiting { enqueue(file) }
    }
}
