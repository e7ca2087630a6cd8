import DropsyncTesting
import Foundation
import Testing

/// The files in systemd/, checked by systemd's own tools (Debian package `systemd`).
@Suite struct SystemdUnitTests {
    let scratch = TemporaryDirectory("unit")
    static let systemdDirectory = DropsyncCommand.packageRoot + "/systemd"

    /// The unit with its commands pointing at the built `dropsync` (verify wants them to exist).
    func unitForTheBuiltBinary() throws -> String {
        let unit = try String(contentsOfFile: Self.systemdDirectory + "/dropsync.service", encoding: .utf8)
        return scratch.write("dropsync.service", unit.replacingOccurrences(of: "/usr/local/bin/dropsync", with: DropsyncCommand.executable))
    }

    func run(_ tool: String, _ arguments: [String]) throws -> DropsyncCommand.Result {
        let program = try #require(
            ["/usr/bin/", "/bin/"].map { $0 + tool }.first(where: FileManager.default.isExecutableFile),
            "\(tool) is missing: install the Debian package systemd")
        return try DropsyncCommand.run(arguments, program: program, in: scratch)
    }

    @Test("systemd-analyze verify accepts the unit")
    func verify() throws {
        let result = try run("systemd-analyze", ["verify", try unitForTheBuiltBinary()])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.contains("dropsync.service:"), "\(result.stderr)")
    }

    @Test("systemd-analyze security rates the unit's exposure 2.0 or lower")
    func exposure() throws {
        let result = try run("systemd-analyze", ["security", "--offline=yes", "--no-pager", try unitForTheBuiltBinary()])
        let line = try #require(
            (result.stdout + result.stderr).split(separator: "\n").first { $0.contains("Overall exposure level for dropsync.service:") },
            "\(result.stdout)\(result.stderr)")
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(line)")
        #expect(score <= 2.0, "\(line)")
    }

    @Test("sysusers.d creates the dropsync user, and tmpfiles.d its drop zones, in an empty root", .enabled(if: getuid() == 0, "chown needs root"))
    func userAndDropZones() throws {
        let root = scratch.path + "/root"
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        let users = try run("systemd-sysusers", ["--root=" + root, Self.systemdDirectory + "/dropsync.sysusers"])
        #expect(users.status == 0, "\(users.stderr)")
        let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
        let entry = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("dropsync:") }).split(separator: ":", omittingEmptySubsequences: false)
        #expect(entry[5] == "/var/lib/dropsync")
        #expect(entry[6] == "/usr/sbin/nologin")

        let zones = try run("systemd-tmpfiles", ["--root=" + root, "--create", Self.systemdDirectory + "/dropsync.tmpfiles"])
        #expect(zones.status == 0, "\(zones.stderr)")
        var status = stat()
        try #require(stat(root + "/srv/dropsync/example", &status) == 0)
        #expect(String(status.st_uid) == entry[2])
        #expect(String(status.st_gid) == entry[3])
        #expect(status.st_mode & 0o7777 == 0o2770)
    }

    @Test("the example configuration make install puts in /etc/dropsync/conf.d passes check")
    func exampleConfiguration() throws {
        let result = try DropsyncCommand.run(["check", "--config", Self.systemdDirectory + "/conf.d"], in: scratch)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
