import DropsyncCore
import DropsyncTesting
import Foundation
import Gzip

/// A `dropsync serve` under test, on its own conf.d, drop zone and state, talked to only through
/// files, the command line and its `NOTIFY_SOCKET`.
final class DaemonFixture: @unchecked Sendable {
    let scratch = TemporaryDirectory("serve")
    private(set) var daemon: DropsyncCommand.Running?
    private(set) var notifications: NotifySocketListener?
    var inbound: String { scratch.path + "/inbound" }

    /// A gzip'd CSV import into the account store; files that fail for good are quarantined.
    static func flow(extraSteps: String = "", next: String = "write", readerParams: String = "") -> String {
        """
        {
          "name": "fans",
          "steps": [
            { "id": "read", "type": "datasource.read.local",
              "params": { "path": "../inbound", "fileNameRegex": ".*\\\\.csv\\\\.gz", "stableFor": 0.3,
                          "afterFailure": "quarantine", "quarantinePath": "../quarantine" \(readerParams) },
              "next": ["gunzip"] },
            { "id": "gunzip", "type": "file.uncompress.gzip", "next": ["parse"] },
            { "id": "parse", "type": "file.parse.dsv", "params": { "inferTypes": true }, "next": ["\(next)"] },
            \(extraSteps)
            { "id": "write", "type": "datasource.write.account" }
          ]
        }
        """
    }

    init(flow: String = DaemonFixture.flow(), settings: String = "{}") {
        scratch.write("conf.d/fans.json", flow)
        scratch.write("conf.d/dropsync.json", settings)
        try! FileManager.default.createDirectory(atPath: inbound, withIntermediateDirectories: true)
    }

    deinit {
        if let daemon, daemon.isRunning {
            daemon.signal(SIGKILL)
            _ = daemon.wait(timeout: .seconds(10))
        }
    }

    /// Starts the daemon and waits for READY=1; returns whether it came.
    @discardableResult
    func start() throws -> Bool {
        let listener = try NotifySocketListener(path: scratch.path + "/notify-\(UUID().uuidString.prefix(6)).sock")
        notifications = listener
        daemon = try DropsyncCommand.start(
            ["serve", "--log-format", "text"] + locations, environment: ["NOTIFY_SOCKET": listener.path], in: scratch)
        return listener.waitFor("READY=1") != nil
    }

    /// Sends a signal and waits for the daemon to exit.
    func stop(_ signal: Int32 = SIGTERM) -> DropsyncCommand.Result? {
        guard let daemon else { return nil }
        daemon.signal(signal)
        defer { self.daemon = nil }
        return daemon.wait(timeout: .seconds(60))
    }

    var locations: [String] { ["--config", scratch.path + "/conf.d", "--state-dir", scratch.path + "/state"] }

    func dropsync(_ arguments: String...) throws -> DropsyncCommand.Result {
        try DropsyncCommand.run(arguments + locations, in: scratch)
    }

    /// The ledger as `files --json` prints it, by file name.
    func files() throws -> [String: Record] {
        let listed = try DropsyncCommand.json(["files", "--json", "--limit", "100000"] + locations, in: scratch)
        var byName: [String: Record] = [:]
        for case .object(let entry) in listed.arrayValue ?? [] {
            if let path = entry["path"]?.stringValue { byName[(path as NSString).lastPathComponent] = entry }
        }
        return byName
    }

    func status(of name: String) throws -> String? { try files()[name]?["status"]?.stringValue }

    func accountCount() throws -> Int {
        Int(try dropsync("accounts", "count").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Writes a gzip'd CSV of accounts `uids` into the drop zone in one go (temporary name, then
    /// rename, as careful uploaders do).
    func drop(_ name: String, uids: some Sequence<String>, source: String = "partner") throws {
        let bytes = Self.gzipCSV(uids: uids, source: source)
        let temporary = inbound + "/." + name + ".part"
        _ = FileManager.default.createFile(atPath: temporary, contents: Data(bytes))
        guard rename(temporary, inbound + "/" + name) == 0 else { throw POSIXError(.EIO) }
    }

    static func gzipCSV(uids: some Sequence<String>, source: String = "partner") -> [UInt8] {
        var text = "UID,email,source\n"
        for uid in uids { text += "\(uid),\(uid)@example.com,\(source)\n" }
        let encoder = try! GzipEncoder()
        return try! encoder.encode(Array(text.utf8)) + encoder.finish()
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
    func waitUntil(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}
