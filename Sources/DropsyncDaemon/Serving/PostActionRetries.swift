/// The failed post-actions of one worker, by file path: each failure in a row doubles the wait
/// before the next try (from `retryBackoffSeconds`, at most an hour), and only a new problem
/// (the first, or one that reads differently) deserves an error in the log.
struct PostActionRetries {
    /// The longest wait between two tries of a post-action.
    static let longestDelay = Duration.seconds(3600)

    /// One more failure of a file's post-action.
    struct Failure: Equatable {
        /// Failures in a row so far, this one included.
        let count: Int
        /// How long to wait before trying again.
        let delay: Duration
        /// Whether it is the first failure, or fails for another reason than the one before.
        let isNew: Bool
    }

    let firstDelay: Duration
    private var failures: [String: (count: Int, problem: String)] = [:]

    init(firstDelay: Duration) { self.firstDelay = firstDelay }

    /// Notes that the post-action of `path` failed for `problem`.
    mutating func failed(_ path: String, problem: String) -> Failure {
        let previous = failures[path]
        let count = (previous?.count ?? 0) + 1
        failures[path] = (count, problem)
        let delay = min(firstDelay * (1 << min(count - 1, 16)), Self.longestDelay)
        return Failure(count: count, delay: delay, isNew: previous?.problem != problem)
    }

    /// Forgets the failures of `path` (its post-action succeeded, or is no longer needed).
    mutating func ended(_ path: String) { failures[path] = nil }
}
