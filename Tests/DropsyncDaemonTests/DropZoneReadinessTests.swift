import DropsyncCore
import DropsyncDaemon
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// When the monitor judges a file of a drop zone ready, and why.
@Suite struct DropZoneReadinessTests {
    @Test("a file written and closed is ready at once, closed after writing")
    func closedFile() async throws {
        let fixture = DropZoneFixture(readiness: ReadinessRules(stableFor: 60))
        fixture.start()
        let path = fixture.drop("a.csv")
        let ready = try #require(await fixture.log.ready(path))
        #expect(ready.reason == "closed after writing")
        #expect(ready.file.name == "a.csv")
        #expect(ready.file.size == 5)
    }

    @Test("a file closed after writing waits settleAfterClose; a writer coming back (an upload resumed in rounds) restarts the wait")
    func resumedUpload() async throws {
        let fixture = DropZoneFixture(readiness: ReadinessRules(stableFor: 60, settleAfterClose: 5))
        fixture.start()
        let path = fixture.path("resumed.csv")
        // Four rounds a tenth of a second apart (on this thread: nothing here waits for the
        // cooperative pool), each well within settleAfterClose of the one before.
        var lastClose = ContinuousClock.now
        for round in 1...4 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            try #require(descriptor >= 0)
            #expect(write(descriptor, "line \(round)\n", 7) == 7)
            close(descriptor)
            lastClose = .now
            usleep(100_000)
        }
        let ready = try #require(await fixture.log.ready(path))
        #expect(ready.arrived >= lastClose + .seconds(5))
        #expect(ready.file.size == 28)
        #expect(ready.reason == "closed after writing")
        #expect(fixture.log.findings.filter { if case .ready = $0 { true } else { false } }.count == 1)
    }

    @Test("a file renamed into the drop zone is ready at once")
    func renamedFile() async throws {
        let fixture = DropZoneFixture(readiness: ReadinessRules(stableFor: 60, settleAfterClose: 60))
        fixture.start()
        let outside = fixture.drop("a.csv", in: fixture.scratch.path)
        #expect(rename(outside, fixture.path("a.csv")) == 0)
        let ready = try #require(await fixture.log.ready(fixture.path("a.csv"), within: .seconds(10)))
        #expect(ready.reason == "renamed into the drop zone")
    }

    @Test("a file that only appears (link, as sftp-server does) is ready once it stayed unchanged for stableFor")
    func linkedFile() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        let outside = fixture.drop("a.csv", in: fixture.scratch.path)
        let linked = ContinuousClock.now
        #expect(link(outside, fixture.path("a.csv")) == 0)
        let ready = try #require(await fixture.log.ready(fixture.path("a.csv")))
        #expect(ready.reason.hasPrefix("unchanged for 0."))
        #expect(linked.duration(to: ready.arrived) >= .seconds(0.3))
        #expect(fixture.log.findings.first == .seen(ready.file, waitingFor: "stable for 0.3s"))
    }

    @Test("a file still being written is not ready before its writer closes it, even when the writer pauses")
    func slowlyWrittenFile() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        let path = fixture.path("slow.csv")
        let descriptor = open(path, O_WRONLY | O_CREAT, 0o644)
        try #require(descriptor >= 0)
        for _ in 0..<15 {
            _ = write(descriptor, "line\n", 5)
            try await Task.sleep(for: .milliseconds(100))
        }
        // A pause longer than stableFor: the open descriptor still holds the file back.
        let paused = ContinuousClock.now
        while paused.duration(to: .now) < .seconds(0.6) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(fixture.log.findings.allSatisfy { if case .ready = $0 { false } else { true } })
        let closed = ContinuousClock.now
        close(descriptor)
        let ready = try #require(await fixture.log.ready(path))
        #expect(ready.arrived >= closed)
        #expect(ready.reason == "closed after writing")
        #expect(ready.file.size == 75)
    }

    @Test("a file there before the monitor starts is found by the first listing, once stable")
    func fileBeforeStart() async throws {
        let fixture = DropZoneFixture()
        let path = fixture.drop("early.csv")
        fixture.start()
        let ready = try #require(await fixture.log.ready(path))
        #expect(ready.reason.hasPrefix("unchanged for 0."))
    }

    @Test("a file smaller than minimumSize waits until it grows")
    func minimumSize() async throws {
        let fixture = DropZoneFixture(readiness: ReadinessRules(minimumSize: 10))
        fixture.start()
        let path = fixture.drop("a.csv", "id\n")
        let seen = await fixture.log.first {
            if case .seen(let file, let waitingFor) = $0 { file.path == path && file.size == 3 && waitingFor == "size ≥ 10" } else { false }
        }
        #expect(seen != nil)
        fixture.drop("a.csv", "id\n1\n2\n3\n4\n")
        let ready = try #require(await fixture.log.ready(path))
        #expect(ready.file.size == 11)
        #expect(fixture.log.findings.filter { if case .ready = $0 { true } else { false } }.count == 1)
    }

    @Test("a file younger than minimumAge waits until it is old enough")
    func minimumAge() async throws {
        let fixture = DropZoneFixture(readiness: ReadinessRules(minimumAge: 0.5, stableFor: 60))
        fixture.start()
        let path = fixture.drop("a.csv")
        let ready = try #require(await fixture.log.ready(path))
        #expect(Date().timeIntervalSince1970 - ready.file.modified >= 0.5)
        #expect(ready.reason == "closed after writing")
        #expect(fixture.log.findings.contains { $0 == .seen(ready.file, waitingFor: "age 0.5s") })
    }

    @Test("with a done marker, a file is ready only once its marker exists, and the marker is never a finding")
    func doneMarker() async throws {
        let fixture = DropZoneFixture(readiness: ReadinessRules(stableFor: 60, doneMarker: "{name}.done"))
        fixture.start()
        let path = fixture.drop("a.csv")
        let seen = await fixture.log.first { $0.path == path }
        guard case .seen(_, let waitingFor) = seen?.finding else {
            Issue.record("expected a.csv seen first, got \(String(describing: seen))")
            return
        }
        #expect(waitingFor == "done marker a.csv.done")
        fixture.drop("a.csv.done", "")
        let ready = try #require(await fixture.log.ready(path))
        #expect(ready.reason == "closed after writing, done marker a.csv.done")
        fixture.drop("b.csv")
        _ = await fixture.log.first { $0.path == fixture.path("b.csv") }
        #expect(!fixture.mentioned(fixture.path("a.csv.done")))
    }

    @Test("a done marker older than the file (left from an earlier delivery) does not make it ready; a new one does")
    func staleDoneMarker() async throws {
        let fixture = DropZoneFixture(readiness: ReadinessRules(stableFor: 60, doneMarker: "{name}.done"))
        let marker = fixture.drop("a.csv.done", "")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: marker)
        fixture.start()
        let path = fixture.drop("a.csv")
        let seen = await fixture.log.first {
            if case .seen(let file, let waitingFor) = $0 { file.path == path && waitingFor == "a done marker a.csv.done newer than the file" } else { false }
        }
        #expect(seen != nil, "\(fixture.log.findings)")
        #expect(!fixture.log.findings.contains { if case .ready = $0 { true } else { false } })
        fixture.drop("a.csv.done", "")
        let ready = try #require(await fixture.log.ready(path))
        #expect(ready.reason == "closed after writing, done marker a.csv.done")
    }

    @Test("ignored names (dotfiles, upload temp names) are never yielded")
    func ignoredNames() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        for name in [".x", "a.part", "b.csv.tmp", "c.filepart", "d.uploading"] { fixture.drop(name) }
        let sentinel = fixture.drop("sentinel.csv")
        _ = try #require(await fixture.log.ready(sentinel))
        #expect(fixture.log.findings.allSatisfy { $0.path == sentinel })
    }

    @Test("names not matching fileNameRegex are never yielded")
    func nonMatchingNames() async throws {
        let fixture = DropZoneFixture(fileNamePattern: #"partner_.*\.csv"#)
        fixture.start()
        for name in ["other.csv", "partner_1.txt", "xpartner_1.csv"] { fixture.drop(name) }
        let sentinel = fixture.drop("partner_1.csv")
        _ = try #require(await fixture.log.ready(sentinel))
        #expect(fixture.log.findings.allSatisfy { $0.path == sentinel })
    }
}
