import DropsyncCore

/// The `timeout` param of the remote connections (SFTP, FTP): seconds to wait for the server.
enum ConnectionTimeout {
    static let spec = ParamSpec("timeout", .integer, default: 60, "Seconds (1 to 86400) to wait for the server before giving up.")

    /// `timeout`, checked.
    static func duration(_ params: Params) throws(ParamError) -> Duration {
        let seconds = params.int("timeout") ?? 60
        guard (1...86_400).contains(seconds) else { throw ParamError("timeout", "must be 1 to 86400 seconds, got \(seconds)") }
        return .seconds(seconds)
    }
}
