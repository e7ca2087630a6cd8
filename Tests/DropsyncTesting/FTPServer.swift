import Foundation

/// A real FTP server (pyftpdlib, `ftp_server.py` beside this file) on loopback for the tests: one
/// user with a password, whose home is a directory of the test's; a free port; passive data
/// connections on loopback. With a certificate it requires explicit FTPS (AUTH TLS) on control and
/// data connections. Killed (SIGKILL) and reaped when released or `kill`ed (`SpawnedProcess`).
public final class FTPServer: @unchecked Sendable {
    public static let username = "partner"
    public static let password = "ftp-Pa55word-4711"

    public let port: Int
    /// What the server serves as `/` to the user.
    public let home: String
    private let log: String
    private var process: SpawnedProcess?

    /// Starts a server for `home` (created when missing); `machineListings: false` takes MLSD and
    /// MLST away, as on older servers.
    public init(home: String, tls: TLSCertificate? = nil, machineListings: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        self.home = home
        let label = "ftp-\(UUID().uuidString.prefix(8))"
        let base = (home as NSString).deletingLastPathComponent
        let portFile = "\(base)/\(label).port"
        let log = "\(base)/\(label).log"
        self.log = log
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ftp_server.py").path
        var arguments = ["python3", script, portFile, home, Self.username, Self.password]
        if let tls { arguments += ["--tls", tls.certificate, tls.key] }
        if !machineListings { arguments.append("--no-machine-listings") }
        let process = try SpawnedProcess("/usr/bin/env", arguments, log: log)
        self.process = process
        let deadline = ContinuousClock.now + .seconds(30)
        var port: Int?
        while port == nil, process.isRunning, ContinuousClock.now < deadline {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { usleep(20_000) }
        }
        guard let port else { throw ServerFailure(log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "") }
        self.port = port
    }

    /// Kills the server now (a partner's server going away mid-transfer).
    public func kill() { process = nil }

    /// Stops the server (SIGSTOP) until `resume`: a server that stalls mid-transfer.
    public func suspend() { process?.signalWithDescendants(SIGSTOP) }

    public func resume() { process?.signalWithDescendants(SIGCONT) }

    /// What the server logged.
    public var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    public struct ServerFailure: Error, CustomStringConvertible {
        public let log: String
        public var description: String { "the FTP server did not start: \(log)" }
    }
}
