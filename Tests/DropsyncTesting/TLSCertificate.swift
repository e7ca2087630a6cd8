import Foundation

/// A self-signed certificate for `127.0.0.1` (P-256 key, valid two days) made with `openssl` for a
/// test server: it is its own CA, so a client trusts it when given it as its CA file.
public struct TLSCertificate: Sendable {
    /// The certificate, PEM.
    public let certificate: String
    /// Its private key, PEM, unencrypted.
    public let key: String

    /// Makes `<name>.pem` and `<name>.key` in `directory`.
    public init(in directory: String, name: String = "server") throws {
        certificate = directory + "/\(name).pem"
        key = directory + "/\(name).key"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(status: process.terminationStatus) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public var description: String { "openssl could not make a certificate (exit \(status))" }
    }
}
