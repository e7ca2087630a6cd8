import DropsyncCore
@testable import DropsyncDaemon
import Testing

/// When a file of a polled (remote) drop zone is judged ready, and why.
@Suite struct RemoteReadinessJudgeTests {
    static let now = 1_800_000_000.0

    /// A judge for `/in` with `rules` (by default: two polls alone make a file ready), and a listing helper.
    func judge(_ rules: ReadinessRules = ReadinessRules(stableFor: 0)) -> RemoteReadinessJudge {
        RemoteReadinessJudge(settings: DropZoneSettings(directory: "/in", fileNamePattern: ".*\\.csv", readiness: rules))
    }

    func listing(_ files: (String, Int64, Double)...) -> [String: TransportEntry] {
        Dictionary(uniqueKeysWithValues: files.map { ($0.0, TransportEntry(name: $0.0, size: $0.1, modified: $0.2)) })
    }

    func poll(_ judge: inout RemoteReadinessJudge, _ files: [String: TransportEntry], at now: Double = now) -> [DropZoneFinding] {
        judge.judge(files, path: { "/in/" + $0 }, now: now)
    }

    @Test("a file is ready at the second poll that finds it unchanged, and yielded once")
    func twoPolls() {
        var judge = judge()
        let file = ListedFile(name: "a.csv", path: "/in/a.csv", size: 10, modified: 5)
        #expect(poll(&judge, listing(("a.csv", 10, 5))) == [.seen(file, waitingFor: "the next poll to find it unchanged")])
        #expect(poll(&judge, listing(("a.csv", 10, 5))) == [.ready(file, reason: "unchanged across two polls")])
        #expect(poll(&judge, listing(("a.csv", 10, 5))).isEmpty)
    }

    @Test("a file is ready only once the polls have found it unchanged for stableFor seconds, however short the poll interval")
    func stableFor() {
        var judge = judge(ReadinessRules(stableFor: 30))
        let file = ListedFile(name: "a.csv", path: "/in/a.csv", size: 10, modified: 5)
        #expect(poll(&judge, listing(("a.csv", 10, 5)), at: Self.now) == [.seen(file, waitingFor: "the next poll to find it unchanged")])
        #expect(poll(&judge, listing(("a.csv", 10, 5)), at: Self.now + 1) == [.seen(file, waitingFor: "polls to find it unchanged for 30s")])
        #expect(poll(&judge, listing(("a.csv", 10, 5)), at: Self.now + 29).isEmpty)
        // The upload went on: the clock starts again for the new version.
        let grown = ListedFile(name: "a.csv", path: "/in/a.csv", size: 20, modified: 40)
        _ = poll(&judge, listing(("a.csv", 20, 40)), at: Self.now + 40)
        _ = poll(&judge, listing(("a.csv", 20, 40)), at: Self.now + 41)
        #expect(poll(&judge, listing(("a.csv", 20, 40)), at: Self.now + 69).isEmpty)
        #expect(poll(&judge, listing(("a.csv", 20, 40)), at: Self.now + 70) == [.ready(grown, reason: "unchanged across two polls")])
    }

    @Test("a file that grew between two polls waits for the next one")
    func growing() {
        var judge = judge()
        _ = poll(&judge, listing(("a.csv", 10, 5)))
        let grown = ListedFile(name: "a.csv", path: "/in/a.csv", size: 20, modified: 6)
        #expect(poll(&judge, listing(("a.csv", 20, 6))) == [.seen(grown, waitingFor: "the next poll to find it unchanged")])
        #expect(poll(&judge, listing(("a.csv", 20, 6))) == [.ready(grown, reason: "unchanged across two polls")])
    }

    @Test("what a stable file still waits for", arguments: [
        (ReadinessRules(minimumSize: 100), "size ≥ 100"),
        (ReadinessRules(stableFor: 0, doneMarker: "{name}.done"), "done marker a.csv.done"),
        (ReadinessRules(minimumAge: 60), "age 60s"),
    ])
    func waiting(rules: ReadinessRules, waitingFor: String) {
        var judge = judge(rules)
        let listed = listing(("a.csv", 10, Self.now - 1))
        let file = ListedFile(name: "a.csv", path: "/in/a.csv", size: 10, modified: Self.now - 1)
        #expect(poll(&judge, listed) == [.seen(file, waitingFor: waitingFor)])
        #expect(poll(&judge, listed).isEmpty, "still not ready at the second poll")
    }

    @Test("a done marker in the listing lets the file through, and is no file itself")
    func doneMarker() {
        var judge = judge(ReadinessRules(stableFor: 0, doneMarker: "{name}.done"))
        let listed = listing(("a.csv", 10, 5), ("a.csv.done", 0, 5))
        _ = poll(&judge, listed)
        let file = ListedFile(name: "a.csv", path: "/in/a.csv", size: 10, modified: 5)
        #expect(poll(&judge, listed) == [.ready(file, reason: "unchanged across two polls, done marker a.csv.done")])
    }

    @Test("a done marker older than the file (left from an earlier delivery) does not let it through")
    func staleDoneMarker() {
        var judge = judge(ReadinessRules(stableFor: 0, doneMarker: "{name}.done"))
        let listed = listing(("a.csv", 10, 5), ("a.csv.done", 0, 4))
        let file = ListedFile(name: "a.csv", path: "/in/a.csv", size: 10, modified: 5)
        #expect(poll(&judge, listed) == [.seen(file, waitingFor: "a done marker a.csv.done newer than the file")])
        #expect(poll(&judge, listed).isEmpty)
        #expect(poll(&judge, listing(("a.csv", 10, 5), ("a.csv.done", 0, 6))) == [.ready(file, reason: "unchanged across two polls, done marker a.csv.done")])
    }

    @Test("ignored names and names the pattern does not match are passed over; unsafe ones are unusable")
    func names() {
        var judge = judge()
        let findings = poll(&judge, listing((".hidden.csv", 1, 5), ("b.csv.part", 1, 5), ("notes.txt", 1, 5), ("a\u{7}.csv", 1, 5)))
        #expect(findings.count == 1)
        guard case .unusable(let path, _) = findings.first else {
            Issue.record("\(findings)")
            return
        }
        #expect(path == "/in/a\u{7}.csv")
    }
}
