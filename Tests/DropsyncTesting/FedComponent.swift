import DropsyncCore

/// A component running in a task of its own, its input fed packet by packet through a channel of
/// one place, so that a test can act at a known point of the run: when `send` returns, the
/// component has taken every packet before the last one sent. What it sends goes nowhere.
public final class FedComponent: Sendable {
    private let input = Channel(capacity: 1)
    private let task: Task<Void, any Error>

    public init(_ component: any Component, job: JobContext = ComponentHarness.makeJob()) {
        let step = StepRun(
            id: "step", type: type(of: component).spec.type, input: Inlet(input), output: Outlet([]), errorOutput: Outlet([]),
            metrics: StepMetrics(), job: job)
        task = Task { [input] in
            do {
                try await component.run(step)
            } catch {
                // As the engine does: a sender waiting on the input must not wait forever.
                input.abort()
                throw error
            }
            input.close()
        }
    }

    /// Sends `packets` in order; returns once the component has taken all but the last.
    public func send(_ packets: [Packet]) async throws {
        for packet in packets { _ = try await input.send(packet) }
    }

    /// Cancels the run, as Ctrl-C or the daemon's shutdown cancels a job.
    public func cancel() { task.cancel() }

    /// Waits for the run to end; what it threw, or nil.
    public func end() async -> (any Error)? {
        do {
            try await task.value
            return nil
        } catch {
            return error
        }
    }
}
