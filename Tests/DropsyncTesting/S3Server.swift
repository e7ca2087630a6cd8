import Foundation

/// moto's S3 server on loopback for the tests, with request signatures checked: a user and its
/// access key are created while moto still lets requests through, then every request must be
/// signed with that key (`Tests/Peers/s3_peer.py` does the moto side and the boto3 calls). A
/// bucket, `bucket`, exists from the start. Killed (SIGKILL) and reaped when released.
public final class S3Server: @unchecked Sendable {
    public let port: Int
    public let accessKey: String
    public let secretKey: String
    public let bucket = "dropsync-test"
    private let directory = TemporaryDirectory("moto")
    private let process: SpawnedProcess

    /// The peer script, found from this file's place in the package.
    static let peerScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers/s3_peer.py").path

    public init() throws {
        port = try LoopbackPort.free()
        let log = directory.path + "/moto.log"
        process = try SpawnedProcess("/usr/bin/env", ["python3", Self.peerScript, "serve", String(port)], log: log)
        guard LoopbackPort.waitForListener(port: port, deadline: .now + .seconds(60)), process.isRunning else {
            throw PeerFailure(what: "moto did not start", output: directory.readText("moto.log") ?? "")
        }
        let keys = try Self.peer(["setup", "http://127.0.0.1:\(port)"])
        let fields = try JSONSerialization.jsonObject(with: Data(keys.utf8)) as? [String: String]
        guard let accessKey = fields?["accessKey"], let secretKey = fields?["secretKey"] else {
            throw PeerFailure(what: "moto gave no access key", output: keys)
        }
        self.accessKey = accessKey
        self.secretKey = secretKey
        try call("create-bucket", bucket)
    }

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Stops the server (SIGSTOP) until `resume`: a server that stalls mid-transfer.
    public func suspend() { process.signalWithDescendants(SIGSTOP) }

    public func resume() { process.signalWithDescendants(SIGCONT) }

    /// The connection params of a reader or writer of `bucket` (a JSON object's members).
    public func connectionParams(secretKey: String? = nil) -> String {
        #""bucketName": "\#(bucket)", "accessKey": "\#(accessKey)", "secretKey": "\#(secretKey ?? self.secretKey)", "endpoint": "\#(endpoint)""#
    }

    /// Runs one call of the peer script against `bucket`, signed with the server's key; returns
    /// what it printed. Calls: `put KEY FILE`, `put-text KEY TEXT`, `put-many PREFIX COUNT`,
    /// `get KEY FILE`, `keys PREFIX`, `uploads`.
    @discardableResult
    public func call(_ name: String, _ arguments: String...) throws -> String {
        let bucketArguments = name == "create-bucket" ? arguments : [bucket] + arguments
        return try Self.peer([name, endpoint, accessKey, secretKey] + bucketArguments)
    }

    /// The keys under `prefix`, as boto3 lists them.
    public func keys(_ prefix: String) throws -> [String] {
        try call("keys", prefix).split(separator: "\n").map(String.init)
    }

    /// The keys of multipart uploads begun and neither completed nor aborted.
    public func pendingUploads() throws -> [String] {
        try call("uploads").split(separator: "\n").map(String.init)
    }

    private static func peer(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peerScript] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeerFailure(what: "s3_peer.py \(arguments.first ?? "") failed", output: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    public struct PeerFailure: Error, CustomStringConvertible {
        public let what: String
        public let output: String
        public var description: String { "\(what): \(output)" }
    }
}
