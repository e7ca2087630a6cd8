@testable import DropsyncDaemon
import Testing

/// How long a failed post-action waits before its next try, and which failures are news.
@Suite struct PostActionRetriesTests {
    @Test("each failure in a row doubles the wait, up to an hour")
    func delaysDouble() {
        var retries = PostActionRetries(firstDelay: .seconds(10))
        let delays = (0..<12).map { _ in retries.failed("/in/a.csv", problem: "cannot move").delay }
        #expect(Array(delays.prefix(5)) == [.seconds(10), .seconds(20), .seconds(40), .seconds(80), .seconds(160)])
        #expect(delays.last == PostActionRetries.longestDelay)
        #expect(delays.allSatisfy { $0 <= PostActionRetries.longestDelay })
    }

    @Test("only the first failure, or one for another reason, is new")
    func newProblems() {
        var retries = PostActionRetries(firstDelay: .seconds(1))
        #expect(retries.failed("/in/a.csv", problem: "no room").isNew)
        #expect(!retries.failed("/in/a.csv", problem: "no room").isNew)
        #expect(retries.failed("/in/b.csv", problem: "no room").isNew)
        #expect(retries.failed("/in/a.csv", problem: "permission denied").isNew)
    }

    @Test("once ended, a file starts over: the next failure is new and waits the first delay")
    func endedStartsOver() {
        var retries = PostActionRetries(firstDelay: .seconds(1))
        _ = retries.failed("/in/a.csv", problem: "no room")
        _ = retries.failed("/in/a.csv", problem: "no room")
        retries.ended("/in/a.csv")
        #expect(retries.failed("/in/a.csv", problem: "no room") == .init(count: 1, delay: .seconds(1), isNew: true))
    }
}
