import DropsyncCore
import DropsyncDaemon
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The drop zone as a whole: bursts, and a directory that goes away and comes back.
@Suite struct DropZoneDirectoryTests {
    @Test("2,000 files dropped at once are each yielded ready exactly once")
    func burst() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        let paths = (0..<2000).map { fixture.path("file-\($0).csv") }
        for path in paths { fixture.drop(String(path.split(separator: "/").last!)) }
        let all = await fixture.log.until(within: .seconds(60)) { entries in
            Set(entries.compactMap { if case .ready(let file, _) = $0.finding { file.path } else { nil } }).count == paths.count ? true : nil
        }
        #expect(all == true)
        // A file dropped afterwards shows the monitor kept up; nothing was yielded twice.
        _ = try #require(await fixture.log.ready(fixture.drop("last.csv")))
        var readyCounts: [String: Int] = [:]
        for case .ready(let file, _) in fixture.log.findings { readyCounts[file.path, default: 0] += 1 }
        #expect(paths.allSatisfy { readyCounts[$0] == 1 })
        #expect(!fixture.log.findings.contains { if case .unusable = $0 { true } else { false } })
    }

    @Test("a drop zone deleted and created again is watched again")
    func recreated() async throws {
        let fixture = DropZoneFixture()
        let problems = fixture.monitor.problems()
        fixture.start()
        _ = try #require(await fixture.log.ready(fixture.drop("before.csv")))
        try FileManager.default.removeItem(atPath: fixture.zone)
        try FileManager.default.createDirectory(atPath: fixture.zone, withIntermediateDirectories: false)
        let ready = await fixture.log.ready(fixture.drop("after.csv"))
        #expect(ready != nil)
        var iterator = problems.makeAsyncIterator()
        #expect(await iterator.next() == .unavailable(directory: fixture.zone, reason: "was removed"))
    }

    @Test("a drop zone missing at start is watched once it appears")
    func missingAtStart() async throws {
        let fixture = DropZoneFixture(createZone: false)
        let problems = fixture.monitor.problems()
        fixture.start()
        var iterator = problems.makeAsyncIterator()
        #expect(await iterator.next() == .unavailable(directory: fixture.zone, reason: "does not exist"))
        try FileManager.default.createDirectory(atPath: fixture.zone, withIntermediateDirectories: false)
        #expect(await iterator.next() == .recovered(directory: fixture.zone))
        #expect(await fixture.log.ready(fixture.drop("a.csv")) != nil)
    }

    @Test("a change to the directory itself (chmod) is no finding")
    func directoryChanged() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        #expect(chmod(fixture.zone, 0o750) == 0)
        let sentinel = fixture.drop("sentinel.csv")
        _ = try #require(await fixture.log.ready(sentinel))
        #expect(fixture.log.findings.allSatisfy { $0.path == sentinel })
    }

    @Test("stop() ends the findings")
    func stop() async throws {
        let fixture = DropZoneFixture()
        let findings = fixture.monitor.findings()
        fixture.monitor.stop()
        var iterator = findings.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }
}
