import Curl
import DropsyncCore
import Foundation

/// The connection params of the FTP reader and writer, read when the configuration loads: where,
/// who, and whether the connection is protected by TLS (explicit FTPS, the certificate verified
/// unless `tlsVerify` is false). `check` warns of a connection that sends the password in clear
/// text or does not verify the server.
struct FTPConnection: Sendable {
    static let specs: [ParamSpec] = [
        ParamSpec("host", .string, required: true, "The server's host name or address."),
        ParamSpec("port", .integer, default: 21, constraints: [.between(1, 65_535)], "The FTP port (also for explicit FTPS)."),
        ParamSpec("username", .string, required: true, "The login."),
        ParamSpec("password", .secret, required: true, "The password, usually by reference: {\"env\": …}, {\"file\": …} or {\"credential\": …}."),
        ConnectionTimeout.spec,
        ParamSpec(
            "tls", .oneOf(["none", "require"]), default: "none",
            "`require`: explicit FTPS (AUTH TLS), control and data connections encrypted, or no connection; "
                + "`none`: plain FTP, password and files unencrypted."),
        ParamSpec(
            "tlsVerify", .boolean, default: true,
            "Whether the server's certificate must be valid for `host` and signed by a trusted CA (`caFile`, or the system's)."),
        ParamSpec("caFile", .string, "A PEM file of the CA certificates to trust instead of the system's (relative to the dataflow's directory)."),
    ]

    let settings: FTPSettings

    init(_ params: Params) throws(ParamError) {
        let host = try params.requiredString("host")
        let port = params.int("port") ?? 21
        guard let password = try params.secret("password") else { throw ParamError("password", "is required") }
        let verify = params.bool("tlsVerify") ?? true
        let security: FTPSettings.Security
        if params.string("tls") == "require" {
            let caFile = params.string("caFile") == nil ? nil : try params.path("caFile")
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) { throw ParamError("caFile", "\(caFile) cannot be read") }
            if !verify {
                params.warnings.add("tlsVerify", "the server's certificate is not verified: whoever is in between can read the password and the files")
            }
            security = .tls(verify: verify, caFile: caFile)
        } else {
            for name in ["tlsVerify", "caFile"] where params.values[name] != nil {
                throw ParamError(name, "applies only with tls: \"require\"")
            }
            params.warnings.add("tls", "plain FTP sends the password and the files unencrypted; use tls: \"require\" where the server has FTPS")
            security = .none
        }
        settings = FTPSettings(
            host: host, port: port, username: try params.requiredString("username"), password: password, security: security,
            timeout: ConnectionTimeout.duration(params))
    }

    /// Connects, checks the certificate (FTPS), logs in.
    func connect() throws(DropsyncError) -> FTPClient { try FTPClient(settings) }

    /// Where, as the client names it.
    var location: String { settings.location }
}
