import Foundation

/// A real OpenSSH `sshd` on loopback for the tests: its own configuration, host keys (Ed25519,
/// ECDSA, RSA) and a free port, in a temporary directory; killed (SIGKILL) and reaped when released
/// (`SpawnedProcess`). Its SFTP subsystem applies the umask 022, whatever the test run's, as
/// servers commonly do, so the modes of uploaded files are known.
public final class OpenSSHServer: @unchecked Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    private var process: SpawnedProcess

    /// The host key types generated, as `ssh-keygen -t` names them.
    public static let keyTypes = ["ed25519", "ecdsa", "rsa"]

    public init() throws {
        let directory = TemporaryDirectory("sshd")
        self.directory = directory
        for type in Self.keyTypes {
            try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", "", "-f", directory.path + "/host_\(type)"])
        }
        // sshd started as root wants its privilege separation directory.
        if geteuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) }
        let port = try LoopbackPort.free()
        self.port = port
        let configuration = """
            Port \(port)
            ListenAddress 127.0.0.1
            \(Self.keyTypes.map { "HostKey \(directory.path)/host_\($0)" }.joined(separator: "\n"))
            PidFile \(directory.path)/sshd.pid
            UsePAM no
            StrictModes no
            AuthorizedKeysFile \(directory.path)/authorized_keys
            Subsystem sftp internal-sftp -u 022
            LogLevel ERROR
            """
        directory.write("sshd_config", configuration)
        process = try Self.start(directory)
        guard LoopbackPort.waitForListener(port: port, deadline: .now + .seconds(30)), process.isRunning else {
            throw ServerFailure(log: directory.readText("sshd.log") ?? "")
        }
    }

    private static func start(_ directory: TemporaryDirectory) throws -> SpawnedProcess {
        try SpawnedProcess("/usr/sbin/sshd", ["-D", "-e", "-f", directory.path + "/sshd_config"], log: directory.path + "/sshd.log")
    }

    /// Kills the server and every session it serves (a server gone mid-transfer).
    public func kill() { process.signalWithDescendants(SIGKILL) }

    /// Stops the server and its sessions (SIGSTOP) until `resume`: a server that stalls mid-transfer.
    public func suspend() { process.signalWithDescendants(SIGSTOP) }

    public func resume() { process.signalWithDescendants(SIGCONT) }

    /// Starts the server again on the same port, with the same keys, after `kill`.
    public func restart() throws {
        _ = process.isRunning
        process = try Self.start(directory)
        guard LoopbackPort.waitForListener(port: port, deadline: .now + .seconds(30)), process.isRunning else {
            throw ServerFailure(log: directory.readText("sshd.log") ?? "")
        }
    }

    /// The user the tests log in as: whoever runs them (sshd, run by them, accepts no one else).
    public static var username: String { String(cString: getpwuid(geteuid()).pointee.pw_name) }

    /// A new Ed25519 login key for `username`, authorized on this server; returns its private key file.
    public func authorizeNewUserKey() throws -> String {
        let path = directory.path + "/user_key_\(UUID().uuidString.prefix(6))"
        try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path])
        let authorized = (directory.readText("authorized_keys") ?? "") + (try String(contentsOfFile: path + ".pub", encoding: .utf8))
        directory.write("authorized_keys", authorized)
        return path
    }

    /// known_hosts lines for this server's keys.
    public var knownHostsLines: String {
        Self.keyTypes.map { type in
            let fields = publicKey(type).split(separator: " ")
            return "[127.0.0.1]:\(port) \(fields[0]) \(fields[1])"
        }.joined(separator: "\n") + "\n"
    }

    /// known_hosts text with every host name hashed by `ssh-keygen -H`, as `HashKnownHosts yes`
    /// writes them (it leaves `@revoked` and `@cert-authority` lines as they are).
    public func hashed(knownHosts text: String) throws -> String {
        let name = "known_hosts_\(UUID().uuidString.prefix(6))"
        try Self.run("/usr/bin/ssh-keygen", ["-H", "-f", directory.write(name, text)])
        return directory.readText(name) ?? ""
    }

    /// A host key's public half as `ssh-keygen` wrote it (`type base64 comment`).
    public func publicKey(_ type: String) -> String { directory.readText("host_\(type).pub") ?? "" }

    /// The fingerprint OpenSSH shows for a host key (`SHA256:…`).
    public func fingerprint(_ type: String) throws -> String {
        let output = try Self.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", directory.path + "/host_\(type).pub"])
        return String(output.split(separator: " ")[1])
    }

    public struct ServerFailure: Error, CustomStringConvertible {
        public let log: String
        public var description: String { "sshd did not start: \(log)" }
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
