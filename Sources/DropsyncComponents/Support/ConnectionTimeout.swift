import DropsyncCore

/// The `timeout` param of the remote connections (SFTP, FTP): seconds to wait for the server.
enum ConnectionTimeout {
    static let spec = ParamSpec(
        "timeout", .integer, default: 60, constraints: [.between(1, 86_400)], "Seconds to wait for the server before giving up.")

    /// `timeout` (its range checked by the spec).
    static func duration(_ params: Params) -> Duration { .seconds(params.int("timeout") ?? 60) }
}
