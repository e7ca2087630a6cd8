import Foundation
import Synchronization

/// A task executor backed by one dedicated thread.
///
/// Each step of a job runs on its own `StepThread`, so blocking C calls (zlib on big chunks,
/// sqlite3_step, libssh2, curl) never occupy Swift's cooperative pool, and the stages of a
/// pipeline spread over the machine's cores.
final class StepThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [unowned self] in
            // Set from the thread itself, Foundation also names the kernel thread (15 bytes at
            // most), so `top -H` and `perf` show the step.
            Thread.current.name = name
            self.loop()
        }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread exit once its queue is empty; call after the last task using it ended.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
