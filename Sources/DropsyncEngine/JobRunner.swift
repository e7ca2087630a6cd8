import DropsyncCore
import Foundation

/// Runs one job of a compiled dataflow: one bounded channel into every step that has inputs,
/// every step a child task (on a thread of its own) of one task group.
///
/// The first step that throws fails the job: the group cancels the other steps, whose writers
/// roll back what they had not committed. A reader that cannot open a file instead stops there
/// (`JobContext.sourceUnreadable`): the job fails once the files before it are through.
/// Cancelling the calling task cancels the job.
public struct JobRunner: Sendable {
    /// Packets buffered on each edge: batches of records or chunks of bytes.
    public var channelCapacity: Int

    public init(channelCapacity: Int = 8) { self.channelCapacity = channelCapacity }

    public func run(_ dataflow: CompiledDataflow, job: JobContext, trigger: String) async -> JobReport {
        let incoming = dataflow.incomingEdges
        var inputs: [String: Channel] = [:]
        for step in dataflow.steps {
            if let count = incoming[step.id], count > 0 {
                inputs[step.id] = Channel(capacity: channelCapacity, producers: count)
            }
        }
        let runs = dataflow.steps.map { step in
            StepRun(
                id: step.id, type: step.spec.type, input: Inlet(inputs[step.id]),
                output: Outlet(step.definition.next.compactMap { inputs[$0] }),
                errorOutput: Outlet(step.definition.error.compactMap { inputs[$0] }),
                metrics: StepMetrics(), job: job)
        }
        job.trace(.info, "job started (\(trigger))")
        var failure: (any Error)?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var threads: [StepThread] = []
                defer { threads.forEach { $0.stop() } }
                for (step, run) in zip(dataflow.steps, runs) {
                    let thread = StepThread(name: step.id)
                    threads.append(thread)
                    group.addTask(executorPreference: thread) {
                        do {
                            try await step.component.run(run)
                        } catch {
                            run.input.abort()
                            run.output.abort()
                            run.errorOutput.abort()
                            throw Self.attributed(error, to: step.id)
                        }
                        run.input.close()
                        run.output.finish()
                        run.errorOutput.finish()
                    }
                }
                // A failing step aborts its channels, so its neighbours may end (with
                // CancellationError) before its own error arrives: report the real cause.
                var cause: (any Error)?
                while true {
                    do {
                        guard try await group.next() != nil else { break }
                    } catch {
                        if cause == nil || cause is CancellationError { cause = error }
                        group.cancelAll()
                    }
                }
                if let cause { throw cause }
                // A reader stopped at a file it could not open. Every step ended normally, so the
                // files before it went through every writer: they are committed. A test run whose
                // `--limit` was used up did not need the file.
                if let unreadable = job.unreadableSource, !job.limit.isExhausted {
                    for source in job.sources where source.path != unreadable.file { job.sourceCommitted(source) }
                    throw unreadable
                }
            }
        } catch {
            // A job its caller cancelled was cancelled, whatever error its steps ended with.
            failure = Task.isCancelled ? CancellationError() : error
        }
        return report(dataflow, job: job, trigger: trigger, runs: runs, failure: failure)
    }

    /// The error as the job reports it: naming the step, whatever its origin (SQLite, Foundation…).
    static func attributed(_ error: any Error, to step: String) -> any Error {
        switch error {
        case is CancellationError: error
        case let known as DropsyncError: known.inStep(step)
        default: DropsyncError("STEP_FAILED", "\(error)", step: step)
        }
    }

    private func report(_ dataflow: CompiledDataflow, job: JobContext, trigger: String, runs: [StepRun], failure: (any Error)?) -> JobReport {
        let status: JobStatus
        var message: String?
        switch failure {
        case nil: status = .succeeded
        case is CancellationError: status = .cancelled
        case let error?:
            status = .failed
            message = String(describing: error)
        }
        let known = failure as? DropsyncError
        if let message { job.trace(.error, message) }
        let steps = zip(dataflow.steps, runs).map { step, run in
            StepReport(
                id: step.id, type: step.spec.type,
                durationMs: run.metrics.busyNanoseconds.value / 1_000_000,
                input: run.metrics.input.value, output: run.metrics.output.value, errors: run.metrics.errors.value,
                bytesIn: run.metrics.bytesIn.value, bytesOut: run.metrics.bytesOut.value)
        }
        let processed = zip(dataflow.steps, steps)
            .filter { $0.0.spec.output == .records && $0.0.spec.input != .records }
            .reduce(0) { $0 + $1.1.output + $1.1.errors }
        let errors = steps.reduce(0) { $0 + $1.errors }
        job.trace(.info, "job \(status.rawValue): \(processed) records processed, \(errors) rejected")
        var report = JobReport(
            id: job.jobID, dataflow: dataflow.name, trigger: trigger, status: status, startedAt: job.startedAt,
            endedAt: Date(), processed: processed, errors: errors, steps: steps, errorSamples: job.errorSamples,
            trace: job.traceLines, failure: message, files: job.sources)
        report.failureCode = known?.code
        report.failureFile = known?.file
        return report
    }
}
