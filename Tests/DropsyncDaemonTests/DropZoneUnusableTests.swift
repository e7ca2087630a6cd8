import DropsyncCore
import DropsyncDaemon
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files of a drop zone that can never be read as they are: reported once as unusable, with why.
@Suite struct DropZoneUnusableTests {
    /// The `unusable` finding for `path`, waiting for it.
    func unusableReason(_ fixture: DropZoneFixture, _ path: String) async -> String? {
        let entry = await fixture.log.first { if case .unusable(path, _) = $0 { true } else { false } }
        guard case .unusable(_, let reason) = entry?.finding else { return nil }
        return reason
    }

    @Test("a symlink pointing out of the drop zone is unusable")
    func symlinkOut() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        let outside = fixture.drop("secret.csv", in: fixture.scratch.path)
        #expect(symlink(outside, fixture.path("a.csv")) == 0)
        #expect(await unusableReason(fixture, fixture.path("a.csv")) == "a symlink pointing out of the drop zone")
    }

    @Test("a symlink to a file inside the drop zone is a file like any other")
    func symlinkInside() async throws {
        let fixture = DropZoneFixture(fileNamePattern: #".*\.csv"#)
        fixture.start()
        fixture.drop("a.dat")
        #expect(symlink(fixture.path("a.dat"), fixture.path("a.csv")) == 0)
        let ready = try #require(await fixture.log.ready(fixture.path("a.csv")))
        #expect(ready.file.size == 5)
    }

    @Test("a directory named like a file is unusable")
    func directory() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        #expect(mkdir(fixture.path("x.csv"), 0o755) == 0)
        #expect(await unusableReason(fixture, fixture.path("x.csv")) == "a directory, not a file")
    }

    @Test("a file without read permission is unusable (root reads it anyway, so then it is ready)")
    func noReadPermission() async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        let path = fixture.path("a.csv")
        let descriptor = open(path, O_WRONLY | O_CREAT, 0)
        try #require(descriptor >= 0)
        _ = write(descriptor, "id\n", 3)
        close(descriptor)
        if geteuid() == 0 {
            // access(R_OK) grants root everything: the file is readable for this process.
            #expect(await fixture.log.ready(path) != nil)
        } else {
            #expect(await unusableReason(fixture, path) == "no read permission")
        }
    }

    @Test("a name with control characters, invalid UTF-8 or a backslash is unusable and shown escaped", arguments: [
        (Array("a\nb.csv".utf8), #"a\nb.csv"#, "the name contains control characters"),
        (Array("tab\there".utf8), #"tab\there"#, "the name contains control characters"),
        ([0x61, 0xFF, 0x2E, 0x63, 0x73, 0x76], #"a\xFF.csv"#, "the name is not valid UTF-8"),
        ([0xC3, 0xA9, 0x1B, 0xE2, 0x82], #"é\x1B\xE2\x82"#, "the name is not valid UTF-8"),
        // Shown differently from the invalid name above, which it would otherwise look like.
        (Array(#"a\xFF.csv"#.utf8), #"a\\xFF.csv"#, "the name contains a backslash"),
    ] as [([UInt8], String, String)])
    func unsafeName(bytes: [UInt8], shown: String, reason: String) async throws {
        let fixture = DropZoneFixture()
        fixture.start()
        let descriptor = (Array(fixture.zone.utf8) + [0x2F] + bytes + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        }
        try #require(descriptor >= 0)
        close(descriptor)
        #expect(await unusableReason(fixture, fixture.path(shown)) == reason)
    }
}
