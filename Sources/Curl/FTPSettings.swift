/// Where an FTP server is, how to log in, and how the connection is protected. Its description
/// (and its mirror, for `dump`) is the location: the password never shows.
public struct FTPSettings: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How the connections to the server are protected.
    public enum Security: Sendable, Hashable {
        /// Plain FTP: the password and the files travel unencrypted.
        case none
        /// Explicit FTPS (`AUTH TLS` on the FTP port), control and data connections encrypted.
        /// The server's certificate is checked against `caFile` (a PEM bundle), or the system's
        /// CAs when nil, unless `verify` is false.
        case tls(verify: Bool, caFile: String?)
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String
    public var security: Security
    /// How long to wait for the server: to connect, for a reply, and for a stalled transfer to move.
    public var timeout: Duration

    public init(host: String, port: Int = 21, username: String, password: String, security: Security = .none, timeout: Duration = .seconds(60)) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.timeout = timeout
    }

    /// `ftp://user@host:21`, as the ledger and messages name the server.
    public var location: String { "ftp://\(username)@\(urlHost):\(port)" }

    /// The host as a URL writes it: an IPv6 address in brackets.
    var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    public var description: String { location }

    public var debugDescription: String { location }

    public var customMirror: Mirror { Mirror(self, children: ["location": location]) }
}
